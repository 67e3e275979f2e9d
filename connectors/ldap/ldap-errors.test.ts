import {
  BusyError,
  InsufficientAccessError,
  InvalidCredentialsError,
  NoSuchObjectError,
  StrongAuthRequiredError,
} from 'ldapts';
import { toConnectorError } from './ldap-errors.js';

const context = { operation: 'bind as cn=svc,dc=corp', url: 'ldap://dc1:389' };

describe('toConnectorError', () => {
  it('reads the reason out of an Active Directory bind failure', () => {
    const error = toConnectorError(
      new InvalidCredentialsError(
        '80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 775, v4563',
      ),
      context,
    );
    expect(error.connectorCode).toBe('auth_failed');
    expect(error.retryable).toBe(false);
    expect(error.publicMessage).toMatch(/the account is locked out/);
    expect(error.vendorCode).toBe('49');
    expect(error.vendorMessage).toMatch(/data 775/);
    expect(toConnectorError(new InvalidCredentialsError(''), context).publicMessage).toMatch(
      /check bindDn and bindPassword/,
    );
  });

  it.each([
    [new InsufficientAccessError('no write access to parent'), 'permission_denied', false, '50'],
    [new NoSuchObjectError(''), 'not_found', false, '32'],
    [new BusyError(''), 'unavailable', true, '51'],
    [new StrongAuthRequiredError('confidentiality required'), 'invalid_config', false, '8'],
  ])('maps %p', (ldapError, code, retryable, vendorCode) => {
    const error = toConnectorError(ldapError, context);
    expect([error.connectorCode, error.retryable, error.vendorCode]).toEqual([code, retryable, vendorCode]);
  });

  it('treats a dropped or refused connection as retryable, and a rejected certificate as configuration', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:389'), { code: 'ECONNREFUSED' });
    expect(toConnectorError(refused, context).connectorCode).toBe('unavailable');
    expect(toConnectorError(refused, context).retryable).toBe(true);
    const closed = new Error(
      'Connection closed before message response was received. Message type: SearchRequest (0x63)',
    );
    expect(toConnectorError(closed, context).connectorCode).toBe('unavailable');
    const tls = Object.assign(new Error('unable to verify the first certificate'), {
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
    const mapped = toConnectorError(tls, context);
    expect(mapped.connectorCode).toBe('invalid_config');
    expect(mapped.publicMessage).toMatch(/caCertificate/);
  });
});
