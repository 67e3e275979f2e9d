import { Client, InvalidCredentialsError, type Entry } from 'ldapts';
import type { SsoDeps } from '../../deps.js';
import { SignInRejected } from '../../errors.js';
import type { LinkedPerson } from '../../linking/link-identity.js';
import { resolvePerson } from '../../login/complete-sign-in.js';
import type { ExpiringStore } from '../../state/expiring-store.js';
import { checkAttemptBudget, recordFailedAttempt } from '../password/attempt-limits.js';
import type { LoadedProvider } from '../provider-config.js';
import type { UpstreamIdentity } from '../upstream-identity.js';
import { escapeDnValue, escapeFilterValue } from './ldap-escape.js';

type LdapProvider = Extract<LoadedProvider, { kind: 'ldap' }>;

/**
 * Sign-in by LDAP bind (RFC 4513 §5.1.3 simple bind) against a subsidiary's directory or Active Directory:
 * rate limit → refuse empty passwords (an empty simple bind is an *unauthenticated* bind that servers accept,
 * RFC 4513 §5.1.2) → lock-out check → find the entry (service-account search, or a DN template) → bind as the
 * person → read attributes → link to the HR person. Lock-out is counted here because many directories (OpenLDAP
 * without ppolicy) do not lock accounts themselves.
 */
export class LdapSignIn {
  constructor(
    private readonly deps: SsoDeps,
    private readonly store: ExpiringStore,
  ) {}

  async signIn(
    provider: LdapProvider,
    login: string,
    password: string,
    ip: string | null,
  ): Promise<LinkedPerson> {
    const identity = await this.authenticate(provider, login, password, ip);
    return resolvePerson(this.deps, provider, identity);
  }

  async authenticate(
    provider: LdapProvider,
    login: string,
    password: string,
    ip: string | null,
  ): Promise<UpstreamIdentity> {
    const name = login.trim();
    await checkAttemptBudget(this.store, provider.id, name, ip);
    if (name === '' || password === '') {
      throw new SignInRejected(
        'bad_credentials',
        'empty login or password (would be an unauthenticated LDAP bind)',
      );
    }
    const lockKey = `${provider.id}:${name.toLowerCase()}`;
    const failures = (await this.store.get<{ n: number }>('ldap-failures', lockKey))?.n ?? 0;
    if (failures >= provider.config.maxFailedAttempts) {
      throw new SignInRejected('locked', `LDAP login ${name} locked after ${failures} failures`);
    }

    const config = provider.config;
    const client = new Client({
      url: config.url,
      timeout: config.timeoutMs,
      connectTimeout: config.timeoutMs,
      tlsOptions: config.caCertificate ? { ca: [config.caCertificate] } : undefined,
    });
    try {
      if (config.startTls) await client.startTLS(config.caCertificate ? { ca: [config.caCertificate] } : {});
      const entry = await this.findEntry(client, provider, name);
      try {
        await client.bind(entry.dn, password);
      } catch (error) {
        if (error instanceof InvalidCredentialsError) {
          await this.store.increment('ldap-failures', lockKey, config.lockoutMinutes * 60);
          await recordFailedAttempt(this.store, provider.id, name, ip);
          throw new SignInRejected(
            'bad_credentials',
            `LDAP bind as ${entry.dn} refused: invalid credentials`,
          );
        }
        throw error;
      }
      await this.store.delete('ldap-failures', lockKey);
      const attributes = config.bindDn ? entry : await this.readOwnEntry(client, entry.dn, provider);
      return this.toIdentity(provider, attributes);
    } catch (error) {
      if (error instanceof SignInRejected) throw error;
      throw new SignInRejected(
        'upstream_failed',
        `LDAP ${config.url}: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  private async findEntry(client: Client, provider: LdapProvider, login: string): Promise<Entry> {
    const config = provider.config;
    if (!config.bindDn) {
      if (!config.userDnTemplate)
        throw new SignInRejected('upstream_failed', 'LDAP provider has neither bindDn nor userDnTemplate');
      return { dn: config.userDnTemplate.replace('{login}', escapeDnValue(login)) };
    }
    const bindPassword = provider.secrets.bindPassword;
    if (!bindPassword)
      throw new SignInRejected('upstream_failed', 'LDAP provider has a bindDn but no bind password');
    await client.bind(config.bindDn, bindPassword);
    const { searchEntries } = await client.search(config.baseDn, {
      scope: 'sub',
      filter: config.userFilter.replaceAll('{login}', escapeFilterValue(login)),
      attributes: attributeList(provider),
      sizeLimit: 2,
    });
    if (searchEntries.length !== 1) {
      throw new SignInRejected(
        'bad_credentials',
        `LDAP search for ${login} found ${searchEntries.length} entries`,
      );
    }
    return searchEntries[0] as Entry;
  }

  private async readOwnEntry(client: Client, dn: string, provider: LdapProvider): Promise<Entry> {
    const { searchEntries } = await client.search(dn, { scope: 'base', attributes: attributeList(provider) });
    const entry = searchEntries[0];
    if (!entry) throw new SignInRejected('upstream_failed', `LDAP entry ${dn} not readable after bind`);
    return entry;
  }

  private toIdentity(provider: LdapProvider, entry: Entry): UpstreamIdentity {
    const a = provider.config.attributes;
    const first = (name: string): string | null => {
      const value = entry[name];
      const v = Array.isArray(value) ? value[0] : value;
      if (v === undefined) return null;
      const text = Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
      return text.trim() === '' ? null : text.trim();
    };
    const subject = a.subject === 'dn' ? entry.dn : first(a.subject);
    if (!subject) throw new SignInRejected('upstream_failed', `LDAP entry ${entry.dn} has no ${a.subject}`);
    const employeeNumberAttribute = provider.linkClaim ?? a.employeeNumber;
    return {
      providerId: provider.id,
      subject,
      email: first(a.email)?.toLowerCase() ?? null,
      emailVerified: provider.config.emailIsVerified,
      employeeNumber: first(employeeNumberAttribute),
      givenName: first(a.givenName),
      familyName: first(a.familyName),
      displayName: first(a.displayName),
      amr: ['pwd'],
      claims: {
        dn: entry.dn,
        [a.email]: first(a.email),
        [employeeNumberAttribute]: first(employeeNumberAttribute),
      },
    };
  }
}

function attributeList(provider: LdapProvider): string[] {
  const a = provider.config.attributes;
  return [
    ...new Set(
      [
        a.subject,
        a.email,
        a.employeeNumber,
        a.givenName,
        a.familyName,
        a.displayName,
        provider.linkClaim,
      ].filter((v): v is string => typeof v === 'string' && v !== 'dn'),
    ),
  ];
}
