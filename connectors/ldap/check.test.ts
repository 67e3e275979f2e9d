import { ConnectorError } from '../kit/errors.js';
import { closeLiveSearches } from './paged-search.js';
import { launchSlapd, type RunningSlapd } from './slapd/launch-slapd.js';
import { account, openConnector } from './test-support.js';

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe('check() and failures against slapd', () => {
  let ldap: RunningSlapd;
  beforeAll(async () => {
    ldap = await launchSlapd({ flavour: 'openldap' });
  });
  afterAll(async () => {
    await closeLiveSearches();
    await ldap?.stop();
  });

  it('says what it verified', async () => {
    const connector = openConnector(ldap);
    const report = await connector.check();
    expect(report.message).toBe(
      `bound to LDAP at ${ldap.url} as ${ldap.adminDn}; dc=example,dc=org, ${ldap.usersDn} and ${ldap.groupsDn} are readable; incremental reads do not see people deleted in the directory (no accesslogDn): the scheduled full read finds them`,
    );
    expect(report.details).toMatchObject({
      pagedResults: true,
      uuidAttribute: 'entryUUID',
      disableStrategy: 'ppolicy',
    });
    await connector.close?.();
  });

  it('invalid credentials (49): auth_failed, not retried', async () => {
    const started = Date.now();
    const error = await failure(openConnector(ldap, { bindPassword: 'wrong' }).check());
    expect([error.connectorCode, error.retryable, error.vendorCode]).toEqual(['auth_failed', false, '49']);
    expect(error.publicMessage).toMatch(/check bindDn and bindPassword \(LDAP 49 invalidCredentials\)/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a base DN or OU that does not exist (32): invalid_config naming it', async () => {
    const error = await failure(
      openConnector(ldap, { baseDn: 'dc=nowhere,dc=org', bindDn: ldap.adminDn }).check(),
    );
    expect(error.connectorCode).toBe('invalid_config');
    expect(error.publicMessage).toMatch(/baseDn dc=nowhere,dc=org/);
    const ou = await failure(openConnector(ldap, { usersOu: 'ou=staff' }).check());
    expect(ou.publicMessage).toMatch(/usersOu ou=staff,dc=example,dc=org does not exist/);
  });

  it('insufficient access (50): permission_denied on the first write, nothing written', async () => {
    const reader = openConnector(ldap, { bindDn: ldap.readerDn, bindPassword: ldap.readerPassword });
    expect((await reader.check()).ok).toBe(true);
    const error = await failure(reader.createAccount(account(1)));
    expect([error.connectorCode, error.vendorCode]).toEqual(['permission_denied', '50']);
    expect(await openConnector(ldap).findAccount(account(1))).toBeNull();
    await reader.close?.();
  });

  it('server down: unavailable and retryable, after retrying with backoff', async () => {
    await ldap.halt();
    try {
      const error = await failure(openConnector(ldap).check());
      expect([error.connectorCode, error.retryable]).toEqual(['unavailable', true]);
      expect(error.publicMessage).toMatch(/cannot reach the directory/);
    } finally {
      await ldap.resume();
    }
    expect((await openConnector(ldap).check()).ok).toBe(true);
  });
});
