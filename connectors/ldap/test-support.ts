import { Client } from 'ldapts';
import { createLogger } from '../../core/logger.js';
import type { AccountInput } from '../kit/contract.js';
import { ldapConfigSchema, type LdapConfig } from './config.js';
import { ldapConnector } from './index.js';
import type { RunningSlapd } from './slapd/launch-slapd.js';

/** Test helpers for the ldap connector's own tests (not part of the connector). */
export function openConnector(ldap: RunningSlapd, overrides: Partial<LdapConfig> = {}) {
  const config = ldapConfigSchema.parse({
    url: ldap.url,
    bindDn: ldap.adminDn,
    bindPassword: ldap.adminPassword,
    baseDn: ldap.baseDn,
    flavour: ldap.flavour,
    // slapd mints entryUUID, not objectGUID (see slapd/ad-schema.ts).
    uuidAttribute: 'entryUUID',
    ...overrides,
  });
  return ldapConnector.create({
    connectionId: 'test',
    config,
    log: createLogger({ level: process.env.LOG_LEVEL ?? 'silent' }),
  });
}

export type LdapInstance = ReturnType<typeof openConnector>;

export function account(n: number | string, overrides: Partial<AccountInput> = {}): AccountInput {
  return {
    correlationId: `E${n}`,
    userName: `user${n}`,
    email: `user${n}@example.org`,
    displayName: `User Number ${n}`,
    active: true,
    attributes: { givenName: 'User', sn: `Number ${n}`, title: 'Engineer' },
    ...overrides,
  };
}

/** Runs `fn` with a client bound as the root DN, straight to slapd. */
export async function asAdmin<T>(ldap: RunningSlapd, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: ldap.url, timeout: 10_000 });
  try {
    await client.bind(ldap.adminDn, ldap.adminPassword);
    return await fn(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** Whether a simple bind with this DN and password succeeds. */
export async function canBind(ldap: RunningSlapd, dn: string, password: string): Promise<boolean> {
  const client = new Client({ url: ldap.url, timeout: 10_000 });
  try {
    await client.bind(dn, password);
    return true;
  } catch {
    return false;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** Every page of a read, with how many pages it took. */
export async function readAllPages<T>(
  read: (request: {
    cursor: string | null;
    pageSize?: number;
  }) => Promise<{ items: T[]; nextCursor: string | null }>,
  pageSize: number,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const page = await read({ cursor, pageSize });
    items.push(...page.items);
    pages++;
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { items, pages };
}
