import { randomBytes } from 'node:crypto';
import { Attribute, Change } from 'ldapts';
import type { AccountInput, Page, ReadRequest, TargetAccount } from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import {
  PERMANENTLY_LOCKED,
  UAC_ACCOUNTDISABLE,
  UAC_NORMAL_ACCOUNT,
  accountReadAttributes,
  desiredAttributes,
  isActive,
  toTargetAccount,
  type DesiredAttributes,
} from './account-entry.js';
import type { LdapSettings } from './config.js';
import type { Directory } from './directory.js';
import type { LdapEntry } from './entry.js';
import { LdapResult } from './ldap-errors.js';
import { ensureOu, isLdapCode, moveEntry } from './entry-writes.js';
import { childDn, firstRdn, formatDn, isBelow, parentDn, parseDn, rdnString, sameDn } from './protocol/dn.js';
import { and, eq, or } from './protocol/filter.js';

export function userFilter(settings: LdapSettings, ...extra: string[]): string {
  return and(
    settings.userClassFilter,
    ...(settings.config.userFilter ? [settings.config.userFilter] : []),
    ...extra,
  );
}

/** The department OU ids of accounts that sit in one (placement `ou`), looked up once per distinct parent. */
async function departmentIds(
  dir: Directory,
  entries: LdapEntry[],
): Promise<Map<string, string[] | undefined>> {
  const s = dir.settings;
  const result = new Map<string, string[] | undefined>();
  if (s.config.departmentPlacement !== 'ou') return result;
  const parents = new Map<string, string>();
  for (const entry of entries) {
    const parent = parentDn(entry.dn);
    if (isBelow(parent, s.departmentsDn) && !sameDn(parent, s.disabledDn)) parents.set(entry.dn, parent);
  }
  const ids = await dir.idsOfDns([...parents.values()]);
  for (const entry of entries) {
    const parent = parents.get(entry.dn);
    const id = parent ? ids.get(parent) : undefined;
    result.set(entry.dn, id ? [id] : []);
  }
  return result;
}

async function toAccounts(dir: Directory, entries: LdapEntry[]): Promise<TargetAccount[]> {
  const departments = await departmentIds(dir, entries);
  return entries.map((entry) =>
    toTargetAccount(dir.settings, entry, dir.idOf(entry), departments.get(entry.dn)),
  );
}

async function toAccount(dir: Directory, entry: LdapEntry): Promise<TargetAccount> {
  const [account] = await toAccounts(dir, [entry]);
  if (!account) throw new Error('unreachable: one entry gives one account');
  return account;
}

export async function listAccounts(dir: Directory, request: ReadRequest): Promise<Page<TargetAccount>> {
  const s = dir.settings;
  const page = await dir.readPage(
    {
      base: s.usersDn,
      scope: 'sub',
      filter: userFilter(s),
      attributes: accountReadAttributes(s),
      pageSize: request.pageSize,
    },
    request.cursor,
  );
  return { items: await toAccounts(dir, page.entries), nextCursor: page.nextCursor };
}

/** Looks the account up by correlation id, user name or e-mail, preferring the strongest key that matches. */
export async function findAccount(
  dir: Directory,
  input: Pick<AccountInput, 'correlationId' | 'userName' | 'email'>,
): Promise<TargetAccount | null> {
  const entry = await findEntry(dir, input, true);
  return entry ? toAccount(dir, entry) : null;
}

async function findEntry(
  dir: Directory,
  input: Pick<AccountInput, 'correlationId' | 'userName' | 'email'>,
  byEmail: boolean,
): Promise<LdapEntry | null> {
  const s = dir.settings;
  const map = s.attributes;
  const keys: [string, string][] = [];
  if (input.correlationId) keys.push([map.correlation, input.correlationId]);
  if (input.userName) keys.push([map.userName, input.userName]);
  if (byEmail && input.email) keys.push([map.email, input.email]);
  if (keys.length === 0) return null;
  const entries = await dir.search('look up the account', s.usersDn, {
    scope: 'sub',
    filter: userFilter(s, or(...keys.map(([attribute, value]) => eq(attribute, value)))),
    attributes: accountReadAttributes(s),
    sizeLimit: 20,
  });
  for (const [attribute, value] of keys) {
    const match = entries.find((e) => e.all(attribute).some((v) => v.toLowerCase() === value.toLowerCase()));
    if (match) return match;
  }
  return null;
}

/** Where the account's entry belongs: its department OU (placement `ou`), the disabled OU, or where it is. */
async function desiredParent(
  dir: Directory,
  input: AccountInput,
  current: LdapEntry | null,
): Promise<string> {
  const s = dir.settings;
  if (s.disableStrategy === 'disabledOu' && !input.active) return s.disabledDn;
  const departmentId = input.departmentExternalIds?.[0];
  if (s.config.departmentPlacement === 'ou' && departmentId) {
    const ou = await dir.requireById(
      departmentId,
      ['ou'],
      'department OU',
      '(objectClass=organizationalUnit)',
    );
    return ou.dn;
  }
  if (current) {
    const parent = parentDn(current.dn);
    if (!sameDn(parent, s.disabledDn)) return parent;
  }
  return s.usersDn;
}

function rdnValue(settings: LdapSettings, desired: DesiredAttributes): string {
  const value = desired.get(settings.attributes.rdn.toLowerCase())?.values[0];
  if (!value) {
    throw new ConnectorError('invalid_config', {
      message: `the account has no ${settings.attributes.rdn} to name its entry by; fix the attribute mapping`,
    });
  }
  return value;
}

/** AD names people by display name; when two share one in an OU, the second gets its user name appended. */
function disambiguated(value: string, input: AccountInput): string {
  return `${value} (${input.userName})`;
}

/** Values of the naming attribute: the RDN value first (it must be one of them), then the mapped others. */
function namingValues(values: string[], rdn: string, mapped: string): string[] {
  return [rdn, ...values.filter((v) => v !== rdn && v !== mapped)];
}

function randomPassword(): string {
  // Long and from every character class, so any AD complexity policy accepts it; nobody ever types it.
  return `${randomBytes(24).toString('base64url')}aA1!`;
}

function statusAttributes(settings: LdapSettings, active: boolean): Attribute[] {
  switch (settings.disableStrategy) {
    case 'userAccountControl':
      return [
        new Attribute({
          type: 'userAccountControl',
          values: [String(UAC_NORMAL_ACCOUNT | (active ? 0 : UAC_ACCOUNTDISABLE))],
        }),
      ];
    case 'ppolicy':
      return active ? [] : [new Attribute({ type: 'pwdAccountLockedTime', values: [PERMANENTLY_LOCKED] })];
    case 'disabledOu':
      return [];
  }
}

function sameCorrelation(settings: LdapSettings, entry: LdapEntry, input: AccountInput): boolean {
  return entry.all(settings.attributes.correlation).includes(input.correlationId);
}

/**
 * Adds the account's entry. Idempotent: an account already holding this correlation id is returned as it is; one
 * holding the user name for someone else is a conflict (never adopted); entryAlreadyExists (68) on a retried add
 * reads the entry back.
 */
export async function createAccount(dir: Directory, input: AccountInput): Promise<TargetAccount> {
  const s = dir.settings;
  const desired = desiredAttributes(s, input);
  const existing = await findEntry(dir, input, false);
  if (existing) {
    if (sameCorrelation(s, existing, input)) return toAccount(dir, existing);
    throw new ConnectorError('conflict', {
      message: `${s.attributes.userName}=${input.userName} is already taken by ${existing.dn}, which does not carry ${s.attributes.correlation} ${input.correlationId}`,
    });
  }
  const parent = await desiredParent(dir, input, null);
  const rdnType = s.attributes.rdn;
  const base = rdnValue(s, desired);
  const password =
    s.flavour === 'ad' && s.config.setRandomPassword && (await dir.isEncrypted())
      ? // [MS-ADTS] §3.1.1.3.1.5.1: unicodePwd is the quoted password in UTF-16LE, writable over an encrypted link.
        [new Attribute({ type: 'unicodePwd', values: [Buffer.from(`"${randomPassword()}"`, 'utf16le')] })]
      : [];

  const add = async (rdn: string): Promise<string> => {
    const dn = childDn(rdnString(rdnType, rdn), parent);
    const attributes: Attribute[] = [
      new Attribute({ type: 'objectClass', values: s.userObjectClasses }),
      ...[...desired.values()]
        .map((a) =>
          a.name.toLowerCase() === rdnType.toLowerCase()
            ? { ...a, values: namingValues(a.values, rdn, base) }
            : a,
        )
        .filter((a) => a.values.length > 0)
        .map((a) => new Attribute({ type: a.name, values: a.values })),
      ...statusAttributes(s, input.active),
      ...password,
    ];
    try {
      await dir.run(`add ${dn}`, (client) => client.add(dn, attributes));
    } catch (error) {
      if (isLdapCode(error, LdapResult.noSuchObject) && sameDn(parent, s.disabledDn)) {
        await ensureOu(dir, s.disabledDn);
        await dir.run(`add ${dn}`, (client) => client.add(dn, attributes));
        return dn;
      }
      if (isLdapCode(error, LdapResult.noSuchObject)) {
        throw new ConnectorError('invalid_config', {
          message: `cannot add ${dn}: its parent ${parent} does not exist; create it or fix usersOu`,
        });
      }
      throw error;
    }
    return dn;
  };

  let dn: string;
  try {
    dn = await add(base);
  } catch (error) {
    if (!isLdapCode(error, LdapResult.entryAlreadyExists)) throw error;
    const clash = await dir.read(childDn(rdnString(rdnType, base), parent), accountReadAttributes(s));
    if (clash && sameCorrelation(s, clash, input)) return toAccount(dir, clash);
    if (rdnType.toLowerCase() !== 'cn') {
      throw new ConnectorError('conflict', {
        message: `${rdnString(rdnType, base)} already exists in ${parent} for someone else`,
      });
    }
    const second = disambiguated(base, input);
    try {
      dn = await add(second);
    } catch (again) {
      if (!isLdapCode(again, LdapResult.entryAlreadyExists)) throw again;
      const retried = await dir.read(childDn(rdnString(rdnType, second), parent), accountReadAttributes(s));
      if (retried && sameCorrelation(s, retried, input)) return toAccount(dir, retried);
      throw new ConnectorError('conflict', {
        message: `${rdnString(rdnType, second)} already exists in ${parent} for someone else`,
      });
    }
  }
  const created = await dir.read(dn, accountReadAttributes(s));
  if (!created) throw new ConnectorError('vendor_error', { message: `added ${dn} but cannot read it back` });
  return toAccount(dir, created);
}

/** Moves / renames first (the RDN attribute cannot be modified in place), then replaces changed attributes. */
export async function updateAccount(
  dir: Directory,
  externalId: string,
  input: AccountInput,
): Promise<TargetAccount> {
  const s = dir.settings;
  const desired = desiredAttributes(s, input);
  let entry = await dir.requireById(externalId, accountReadAttributes(s), 'account', userFilter(s));
  const rdnType = s.attributes.rdn;
  const wantedRdn = rdnValue(s, desired);
  const [currentRdn] = firstRdn(entry.dn);
  const currentRdnValue = currentRdn?.type.toLowerCase() === rdnType.toLowerCase() ? currentRdn.value : null;
  const keepRdn =
    currentRdnValue !== null &&
    (currentRdnValue === wantedRdn || currentRdnValue === disambiguated(wantedRdn, input));
  const parent = await desiredParent(dir, input, entry);
  const rdn = keepRdn && currentRdnValue !== null ? currentRdnValue : wantedRdn;
  let targetDn = childDn(rdnString(rdnType, rdn), parent);

  if (!sameDn(targetDn, entry.dn) || (!keepRdn && currentRdnValue !== wantedRdn)) {
    if (sameDn(parent, s.disabledDn)) await ensureOu(dir, s.disabledDn);
    try {
      await moveEntry(dir, entry.dn, targetDn);
    } catch (error) {
      if (!isLdapCode(error, LdapResult.entryAlreadyExists) || rdnType.toLowerCase() !== 'cn') throw error;
      targetDn = childDn(rdnString(rdnType, disambiguated(wantedRdn, input)), parent);
      await moveEntry(dir, entry.dn, targetDn);
    }
    entry = (await dir.read(targetDn, accountReadAttributes(s))) ?? entry;
  }

  const changes: Change[] = [];
  for (const attribute of desired.values()) {
    if (attribute.name.toLowerCase() === rdnType.toLowerCase()) {
      // The RDN value is in place; other values of the naming attribute (cn aliases) follow the mapping.
      const wanted = namingValues(attribute.values, rdn, wantedRdn);
      if (!sameValues(wanted, entry.all(attribute.name))) {
        changes.push(
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: attribute.name, values: wanted }),
          }),
        );
      }
      continue;
    }
    const current = entry.all(attribute.name);
    if (sameValues(attribute.values, current)) continue;
    if (attribute.values.length === 0 && current.length === 0) continue;
    changes.push(
      new Change({
        operation: 'replace',
        modification: new Attribute({ type: attribute.name, values: attribute.values }),
      }),
    );
  }
  changes.push(...statusChanges(s, entry, input.active));
  if (changes.length > 0) {
    const dn = entry.dn;
    await dir.run(`modify ${dn}`, (client) => client.modify(dn, changes));
  }
  const updated = await dir.read(entry.dn, accountReadAttributes(s));
  if (!updated)
    throw new ConnectorError('not_found', { message: `${entry.dn} disappeared while it was being updated` });
  return toAccount(dir, updated);
}

function sameValues(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const sorted = (list: string[]): string[] => [...list].sort();
  const [x, y] = [sorted(a), sorted(b)];
  return x.every((v, i) => v === y[i]);
}

/** Changes that make the entry active or disabled (the disabledOu strategy moves instead). */
function statusChanges(settings: LdapSettings, entry: LdapEntry, active: boolean): Change[] {
  if (isActive(settings, entry) === active) return [];
  switch (settings.disableStrategy) {
    case 'userAccountControl': {
      // Keep every other bit (PASSWD_NOTREQD, DONT_EXPIRE_PASSWORD, …); flip only ACCOUNTDISABLE.
      const current = Number.parseInt(entry.first('userAccountControl') ?? String(UAC_NORMAL_ACCOUNT), 10);
      const next = active ? current & ~UAC_ACCOUNTDISABLE : current | UAC_ACCOUNTDISABLE;
      return [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'userAccountControl', values: [String(next)] }),
        }),
      ];
    }
    case 'ppolicy':
      return [
        active
          ? new Change({
              operation: 'delete',
              modification: new Attribute({ type: 'pwdAccountLockedTime', values: [] }),
            })
          : new Change({
              operation: 'replace',
              modification: new Attribute({ type: 'pwdAccountLockedTime', values: [PERMANENTLY_LOCKED] }),
            }),
      ];
    case 'disabledOu':
      return [];
  }
}

export async function disableAccount(dir: Directory, externalId: string): Promise<void> {
  const s = dir.settings;
  const entry = await dir.requireById(externalId, accountReadAttributes(s), 'account', userFilter(s));
  if (!isActive(s, entry)) return;
  if (s.disableStrategy === 'disabledOu') {
    await ensureOu(dir, s.disabledDn);
    const [rdn] = parseDn(entry.dn);
    await moveEntry(dir, entry.dn, childDn(formatDn(rdn ? [rdn] : []), s.disabledDn));
    return;
  }
  const changes = statusChanges(s, entry, false);
  await dir.run(`disable ${entry.dn}`, (client) => client.modify(entry.dn, changes));
}

/** Deletes the entry; an account already gone counts as deleted. */
export async function deleteAccount(dir: Directory, externalId: string): Promise<void> {
  const s = dir.settings;
  const entry = await dir.findById(externalId, ['1.1'], userFilter(s));
  if (!entry) return;
  try {
    await dir.run(`delete ${entry.dn}`, (client) => client.del(entry.dn));
  } catch (error) {
    if (!isLdapCode(error, LdapResult.noSuchObject)) throw error;
  }
  dir.forget(entry.dn);
}
