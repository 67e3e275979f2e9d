import { z } from 'zod';
import type { AccountInput, TargetAccount } from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import type { LdapSettings } from './config.js';
import type { LdapEntry } from './entry.js';
import { firstRdn, isBelow } from './protocol/dn.js';

// [MS-ADTS] §2.2.16 userAccountControl flags.
export const UAC_ACCOUNTDISABLE = 0x2;
export const UAC_NORMAL_ACCOUNT = 0x200;
/** slapo-ppolicy(5): this pwdAccountLockedTime means locked until an administrator unlocks it. */
export const PERMANENTLY_LOCKED = '000001010000Z';

/** Attributes the connector sets itself; a mapping may not write them. */
export function managedAttributes(settings: LdapSettings): Set<string> {
  return new Set(
    [
      'objectClass',
      'userPassword',
      'unicodePwd',
      'memberOf',
      'pwdAccountLockedTime',
      'userAccountControl',
      'entryUUID',
      'objectGUID',
      'objectSid',
      'whenChanged',
      'whenCreated',
      'modifyTimestamp',
      'createTimestamp',
      settings.uuidAttribute,
    ].map((a) => a.toLowerCase()),
  );
}

/** What listAccounts / findAccount ask for. */
export function accountReadAttributes(settings: LdapSettings): string[] {
  return [
    '*',
    'memberOf',
    settings.uuidAttribute,
    ...(settings.disableStrategy === 'ppolicy' ? ['pwdAccountLockedTime'] : []),
  ];
}

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const attributeValuesSchema = z.record(z.string(), z.union([scalar, z.null(), z.array(scalar)]));

export interface DesiredAttribute {
  name: string;
  values: string[];
}
/** Lower-cased attribute name → what it should hold (an empty list: it should be absent). */
export type DesiredAttributes = Map<string, DesiredAttribute>;

function set(desired: DesiredAttributes, name: string, values: (string | null | undefined)[]): void {
  desired.set(name.toLowerCase(), {
    name,
    values: values.filter((v): v is string => typeof v === 'string' && v !== ''),
  });
}

// AD's sAMAccountName: at most 20 characters, none of "/\[]:;|=,+*?<>@ (MS-ADA3 "SAM-Account-Name").
const SAM_FORBIDDEN = /["/\\[\]:;|=,+*?<>@]/;

export function checkUserName(settings: LdapSettings, userName: string): void {
  if (userName.trim() === '') {
    throw new ConnectorError('invalid_config', {
      message: 'the account has an empty userName; fix the userName mapping',
    });
  }
  if (
    settings.attributes.userName.toLowerCase() === 'samaccountname' &&
    (userName.length > 20 || SAM_FORBIDDEN.test(userName))
  ) {
    throw new ConnectorError('invalid_config', {
      message: `userName ${JSON.stringify(userName)} is not a valid sAMAccountName (at most 20 characters, none of "/\\[]:;|=,+*?<>@); fix the userName mapping`,
    });
  }
}

/**
 * The attributes an account should carry: the fields Junction owns (user name, correlation id, e-mail, display
 * name, and for AD the userPrincipalName), then the mapped attributes, which may add to or override the
 * defaults but never touch what the connector manages (object classes, ids, passwords, status).
 */
export function desiredAttributes(settings: LdapSettings, input: AccountInput): DesiredAttributes {
  checkUserName(settings, input.userName);
  const map = settings.attributes;
  const desired: DesiredAttributes = new Map();
  set(desired, map.userName, [input.userName]);
  set(desired, map.correlation, [input.correlationId]);
  set(desired, map.email, [input.email]);
  set(desired, map.displayName, [input.displayName]);
  if (settings.flavour === 'ad') {
    const upn = settings.config.upnSuffix ? `${input.userName}@${settings.config.upnSuffix}` : input.email;
    set(desired, 'userPrincipalName', [upn]);
  }
  // cn is required by person; AD names the entry after it.
  set(desired, 'cn', [input.displayName]);

  const parsed = attributeValuesSchema.safeParse(input.attributes);
  if (!parsed.success) {
    throw new ConnectorError('invalid_config', {
      message: `account attributes must be strings, numbers, booleans, lists of them, or null: ${parsed.error.issues[0]?.message ?? ''}`,
    });
  }
  const managed = managedAttributes(settings);
  for (const [name, value] of Object.entries(parsed.data)) {
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(name)) {
      throw new ConnectorError('invalid_config', {
        message: `${JSON.stringify(name)} is not an LDAP attribute name; fix the attribute mapping`,
      });
    }
    if (managed.has(name.toLowerCase())) {
      throw new ConnectorError('invalid_config', {
        message: `${name} is managed by the LDAP connector itself; remove it from the attribute mapping`,
      });
    }
    const list = value === null ? [] : Array.isArray(value) ? value : [value];
    set(
      desired,
      name,
      list.map((v) => (typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v))),
    );
  }
  // person requires sn; without a mapped one, the last word of the display name stands in.
  const sn = desired.get('sn');
  if (!sn || sn.values.length === 0)
    set(desired, 'sn', [input.displayName.trim().split(/\s+/).at(-1) ?? input.displayName]);
  return desired;
}

export function isActive(settings: LdapSettings, entry: LdapEntry): boolean {
  switch (settings.disableStrategy) {
    case 'userAccountControl':
      return (Number.parseInt(entry.first('userAccountControl') ?? '0', 10) & UAC_ACCOUNTDISABLE) === 0;
    case 'ppolicy':
      return !entry.has('pwdAccountLockedTime');
    case 'disabledOu':
      return !isBelow(entry.dn, settings.disabledDn);
  }
}

/** The mapped attributes of an entry, as AccountInput.attributes names them: single values as strings. */
export function exposedAttributes(settings: LdapSettings, entry: LdapEntry): Record<string, unknown> {
  const managed = managedAttributes(settings);
  const out: Record<string, unknown> = {};
  for (const name of entry.names()) {
    if (managed.has(name.toLowerCase())) continue;
    const values = entry.all(name);
    out[name] = values.length === 1 ? values[0] : values;
  }
  return out;
}

export function groupNamesOf(entry: LdapEntry): string[] {
  return entry.all('memberOf').flatMap((dn) => {
    try {
      return [firstRdn(dn)[0]?.value ?? dn];
    } catch {
      return [];
    }
  });
}

export function toTargetAccount(
  settings: LdapSettings,
  entry: LdapEntry,
  externalId: string,
  departmentExternalIds: string[] | undefined,
): TargetAccount {
  return {
    externalId,
    userName: entry.first(settings.attributes.userName),
    email: entry.first(settings.attributes.email),
    active: isActive(settings, entry),
    attributes: exposedAttributes(settings, entry),
    groups: groupNamesOf(entry),
    ...(departmentExternalIds ? { departmentExternalIds } : {}),
  };
}
