import { closeLiveSearches } from './paged-search.js';
import { launchSlapd, type RunningSlapd } from './slapd/launch-slapd.js';
import { account, asAdmin, openConnector } from './test-support.js';
import { ConnectorError } from '../kit/errors.js';

describe('ldap connector over TLS (ldaps:// and StartTLS)', () => {
  let ldap: RunningSlapd;
  let tls: NonNullable<RunningSlapd['tls']>;
  beforeAll(async () => {
    ldap = await launchSlapd({ flavour: 'ad', baseDn: 'dc=corp,dc=example,dc=com', tls: true });
    if (!ldap.tls) throw new Error('slapd started without TLS');
    tls = ldap.tls;
  });
  afterAll(async () => {
    await closeLiveSearches();
    await ldap?.stop();
  });

  it('binds over ldaps:// trusting the configured CA certificate', async () => {
    const connector = openConnector(ldap, { url: tls.url, caCertificate: tls.caCertificate });
    expect((await connector.check()).message).toMatch(/ over TLS; /);
    await connector.close?.();
  });

  it('upgrades ldap:// with StartTLS', async () => {
    const connector = openConnector(ldap, { startTls: true, caCertificate: tls.caCertificate });
    expect((await connector.check()).message).toMatch(/ over TLS; /);
    await connector.close?.();
  });

  it('refuses a server certificate from an unknown CA, as configuration to fix', async () => {
    const error = await openConnector(ldap, { url: tls.url })
      .check()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).connectorCode).toBe('invalid_config');
    expect((error as ConnectorError).publicMessage).toMatch(/caCertificate/);
  });

  it('gives new AD accounts a random password (unicodePwd, quoted UTF-16LE) only over an encrypted link', async () => {
    const secure = openConnector(ldap, { url: tls.url, caCertificate: tls.caCertificate });
    const plain = openConnector(ldap);
    const a = await secure.createAccount(account(1));
    const b = await plain.createAccount(account(2));
    const passwordOf = (externalId: string): Promise<unknown> =>
      asAdmin(ldap, async (client) => {
        const { searchEntries } = await client.search(ldap.baseDn, {
          filter: `(entryUUID=${externalId})`,
          attributes: ['unicodePwd'],
          explicitBufferAttributes: ['unicodePwd'],
        });
        return searchEntries[0]?.unicodePwd;
      });
    const stored = await passwordOf(a.externalId);
    expect(Buffer.isBuffer(stored)).toBe(true);
    const text = (stored as Buffer).toString('utf16le');
    expect(text).toMatch(/^"[A-Za-z0-9_-]{32}aA1!"$/);
    expect(await passwordOf(b.externalId)).toEqual([]);
    await secure.close?.();
    await plain.close?.();
  });
});
