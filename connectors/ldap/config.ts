import { z } from 'zod';
import { secret } from '../kit/config-schema.js';
import { childDn, formatDn, isBelow, parseDn, sameDn } from './protocol/dn.js';
import { assertAttributeName, assertFilter } from './protocol/filter.js';

export type LdapFlavour = 'openldap' | 'ad';
export type DisableStrategy = 'userAccountControl' | 'ppolicy' | 'disabledOu';

const dn = (what: string) =>
  z.string().refine((value) => isDn(value), {
    message: `${what} must be a DN as RFC 4514 writes it, e.g. ou=people,dc=example,dc=org`,
  });

const attributeName = z.string().refine(
  (value) => {
    try {
      assertAttributeName(value);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an LDAP attribute name' },
);

const filter = z.string().refine(
  (value) => {
    try {
      assertFilter(value);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be one LDAP filter in parentheses (RFC 4515), e.g. (department=Sales)' },
);

/** Which LDAP attribute holds each of our fields. Defaults depend on the flavour (see ATTRIBUTE_DEFAULTS). */
const attributeMapSchema = z
  .object({
    userName: attributeName,
    rdn: attributeName,
    correlation: attributeName,
    email: attributeName,
    displayName: attributeName,
    givenName: attributeName,
    familyName: attributeName,
    jobTitle: attributeName,
    phone: attributeName,
    mobile: attributeName,
    manager: attributeName,
    division: attributeName,
    location: attributeName,
  })
  .partial();

export const ldapConfigSchema = z
  .object({
    url: z
      .string()
      .regex(/^ldaps?:\/\/[^/\s]+\/?$/i, 'url must be ldap://host[:port] or ldaps://host[:port]')
      .describe('ldap://dc1.example.com:389 or ldaps://dc1.example.com:636'),
    startTls: z
      .boolean()
      .default(false)
      .describe('Upgrade an ldap:// connection with StartTLS (RFC 4511 §4.14)'),
    caCertificate: z
      .string()
      .regex(/-----BEGIN CERTIFICATE-----/, 'caCertificate must be PEM')
      .optional()
      .describe('PEM CA certificate(s) the server certificate must chain to (ldaps:// or StartTLS)'),
    bindDn: dn('bindDn').describe('The service account Junction binds as'),
    bindPassword: secret(z.string().min(1, 'bindPassword is required')),
    baseDn: dn('baseDn').describe('Everything Junction reads or writes lies below this DN'),
    flavour: z.enum(['openldap', 'ad']).default('openldap'),
    usersOu: dn('usersOu')
      .default('ou=people')
      .describe('Where accounts live: a DN, relative to baseDn or full'),
    groupsOu: dn('groupsOu').default('ou=groups').describe('Where groups live: relative to baseDn or full'),
    departmentsOu: dn('departmentsOu')
      .optional()
      .describe('Root of the department OUs (default: usersOu, so people sit in their department OU)'),
    departmentPlacement: z
      .enum(['ou', 'flat'])
      .default('flat')
      .describe('ou: each account lives in its department OU; flat: all accounts directly in usersOu'),
    disableStrategy: z
      .enum(['userAccountControl', 'ppolicy', 'disabledOu'])
      .optional()
      .describe('ad: userAccountControl (default); openldap: ppolicy (default) or disabledOu'),
    disabledOu: dn('disabledOu')
      .default('ou=disabled')
      .describe(
        'disabledOu strategy: where disabled accounts go; relative to usersOu or full, and below usersOu',
      ),
    uuidAttribute: attributeName
      .optional()
      .describe(
        'Stable id that survives renames and moves: entryUUID (openldap) or objectGUID (ad) by default',
      ),
    userFilter: filter.optional().describe('Extra filter ANDed to the account/person search'),
    upnSuffix: z
      .string()
      .regex(/^[A-Za-z0-9.-]+$/, 'upnSuffix is a DNS domain, e.g. corp.example.com')
      .optional()
      .describe('ad: userPrincipalName = userName@upnSuffix (default: the e-mail address)'),
    setRandomPassword: z
      .boolean()
      .default(true)
      .describe(
        'ad: give new accounts a random password (needs ldaps:// or StartTLS); people sign in through SSO',
      ),
    attributes: attributeMapSchema.optional().describe('Overrides of the flavour default attribute names'),
    pageSize: z.number().int().min(1).max(5000).default(500),
    timeoutMs: z.number().int().min(1000).max(600_000).default(30_000),
    accesslogDn: z
      .string()
      .refine((value) => isDn(value), { message: 'accesslogDn must be a DN, e.g. cn=accesslog' })
      .optional()
      .describe(
        'openldap: suffix of a slapo-accesslog database logging deletes, readable by bindDn; incremental reads then report deleted people',
      ),
    deletedObjectsDn: z
      .string()
      .refine((value) => isDn(value), { message: 'deletedObjectsDn must be a DN' })
      .optional()
      .describe(
        'ad: the Deleted Objects container incremental reads look for deleted people in (default CN=Deleted Objects,<the DC= part of baseDn>)',
      ),
    incrementalOverlapSeconds: z
      .number()
      .int()
      .min(0)
      .max(86_400)
      .default(120)
      .describe(
        'Incremental reads start this long before the previous watermark (clock skew, second precision)',
      ),
  })
  .superRefine((config, ctx) => {
    if (config.startTls && config.url.toLowerCase().startsWith('ldaps:')) {
      ctx.addIssue({
        code: 'custom',
        path: ['startTls'],
        message: 'startTls is for ldap:// URLs; ldaps:// is TLS already',
      });
    }
    const strategy = config.disableStrategy;
    // Field checks have reported malformed DNs already; relations between DNs are checked on well-formed ones.
    if (![config.baseDn, config.usersOu, config.disabledOu].every(isDn)) return;
    const usersDn = absolute(config.usersOu, config.baseDn);
    if (strategy === 'disabledOu' && !isBelow(absolute(config.disabledOu, config.baseDn, usersDn), usersDn)) {
      ctx.addIssue({
        code: 'custom',
        path: ['disabledOu'],
        message: 'disabledOu must lie below usersOu, so that disabled accounts are still listed',
      });
    }
    if (config.flavour === 'ad' && config.accesslogDn) {
      ctx.addIssue({
        code: 'custom',
        path: ['accesslogDn'],
        message:
          'accesslogDn is for OpenLDAP; Active Directory reports deletions through its Deleted Objects',
      });
    }
    if (config.flavour === 'openldap' && config.deletedObjectsDn) {
      ctx.addIssue({
        code: 'custom',
        path: ['deletedObjectsDn'],
        message: 'deletedObjectsDn is for Active Directory; OpenLDAP reports deletions through accesslogDn',
      });
    }
    if (config.flavour === 'openldap' && strategy === 'userAccountControl') {
      ctx.addIssue({
        code: 'custom',
        path: ['disableStrategy'],
        message: 'userAccountControl is Active Directory only; use ppolicy or disabledOu with OpenLDAP',
      });
    }
  });

export type LdapConfig = z.infer<typeof ldapConfigSchema>;
export type AttributeMap = Required<z.infer<typeof attributeMapSchema>>;

const ATTRIBUTE_DEFAULTS: Record<LdapFlavour, AttributeMap> = {
  openldap: {
    userName: 'uid',
    rdn: 'uid',
    correlation: 'employeeNumber',
    email: 'mail',
    displayName: 'displayName',
    givenName: 'givenName',
    familyName: 'sn',
    jobTitle: 'title',
    phone: 'telephoneNumber',
    mobile: 'mobile',
    manager: 'manager',
    division: 'businessCategory',
    location: 'l',
  },
  ad: {
    userName: 'sAMAccountName',
    // AD names user objects CN=<display name>; a clash in one OU gets the user name appended.
    rdn: 'cn',
    correlation: 'employeeID',
    email: 'mail',
    displayName: 'displayName',
    givenName: 'givenName',
    familyName: 'sn',
    jobTitle: 'title',
    phone: 'telephoneNumber',
    mobile: 'mobile',
    manager: 'manager',
    division: 'division',
    location: 'l',
  },
};

/** Everything the connector derives from its config once, with DNs made absolute. */
export interface LdapSettings {
  config: LdapConfig;
  flavour: LdapFlavour;
  baseDn: string;
  usersDn: string;
  groupsDn: string;
  departmentsDn: string;
  disabledDn: string;
  disableStrategy: DisableStrategy;
  uuidAttribute: string;
  /** AD objectGUID is 16 raw bytes; entryUUID and most others are strings. */
  uuidIsBinary: boolean;
  /**
   * Where an incremental read finds people deleted since the watermark: AD's Deleted Objects container, an
   * OpenLDAP access log, or nowhere (only a full read notices them).
   */
  deletions: { kind: 'deletedObjects' | 'accesslog'; dn: string } | null;
  /** Attribute the server keeps the last change time in (filterable with >=). */
  changedAttribute: string;
  attributes: AttributeMap;
  userObjectClasses: string[];
  userClassFilter: string;
  groupObjectClasses: string[];
  groupClassFilter: string;
  /** groupOfNames requires a member; an empty group keeps this one (the empty DN). AD groups may be empty. */
  emptyGroupMember: string | null;
  pageSize: number;
}

function mergeAttributeMap(
  defaults: AttributeMap,
  overrides: Partial<AttributeMap> | undefined,
): AttributeMap {
  const merged = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof AttributeMap)[]) {
    const value = overrides?.[key];
    if (value) merged[key] = value;
  }
  return merged;
}

/** A configured DN: taken as given when it lies in the base DN, otherwise relative to `relativeTo`. */
function absolute(dnValue: string, baseDn: string, relativeTo: string = baseDn): string {
  return sameDn(dnValue, baseDn) || isBelow(dnValue, baseDn) ? dnValue : childDn(dnValue, relativeTo);
}

/** AD user objects, computers (which derive from user) left out. */
export const AD_USER_CLASS_FILTER = '(&(objectClass=user)(!(objectClass=computer)))';

/**
 * The domain naming context a DN lies in (its trailing DC= RDNs), where AD keeps CN=Deleted Objects; the DN
 * itself when it has none.
 */
function domainDn(dnValue: string): string {
  const rdns = parseDn(dnValue);
  let first = rdns.length;
  while (first > 0 && rdns[first - 1]?.every((ava) => ava.type.toLowerCase() === 'dc')) first--;
  return first < rdns.length ? formatDn(rdns.slice(first)) : dnValue;
}

function isDn(value: string): boolean {
  try {
    parseDn(value);
    return true;
  } catch {
    return false;
  }
}

export function resolveSettings(config: LdapConfig): LdapSettings {
  const flavour = config.flavour;
  const ad = flavour === 'ad';
  const usersDn = absolute(config.usersOu, config.baseDn);
  const uuidAttribute = config.uuidAttribute ?? (ad ? 'objectGUID' : 'entryUUID');
  return {
    config,
    flavour,
    baseDn: config.baseDn,
    usersDn,
    groupsDn: absolute(config.groupsOu, config.baseDn),
    departmentsDn: config.departmentsOu ? absolute(config.departmentsOu, config.baseDn) : usersDn,
    disabledDn: absolute(config.disabledOu, config.baseDn, usersDn),
    disableStrategy: config.disableStrategy ?? (ad ? 'userAccountControl' : 'ppolicy'),
    uuidAttribute,
    uuidIsBinary: uuidAttribute.toLowerCase() === 'objectguid',
    deletions: ad
      ? {
          kind: 'deletedObjects',
          dn: config.deletedObjectsDn ?? childDn('cn=Deleted Objects', domainDn(config.baseDn)),
        }
      : config.accesslogDn
        ? { kind: 'accesslog', dn: config.accesslogDn }
        : null,
    changedAttribute: ad ? 'whenChanged' : 'modifyTimestamp',
    attributes: mergeAttributeMap(ATTRIBUTE_DEFAULTS[flavour], config.attributes),
    userObjectClasses: ad
      ? ['top', 'person', 'organizationalPerson', 'user']
      : ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
    // AD computers are users too (objectClass computer derives from user): leave them out. A domain controller
    // never shows tombstones to searches without Show Deleted; the emulation does (slapd/ad-schema.ts).
    userClassFilter: ad ? `(&${AD_USER_CLASS_FILTER}(!(isDeleted=TRUE)))` : '(objectClass=inetOrgPerson)',
    groupObjectClasses: ad ? ['top', 'group'] : ['top', 'groupOfNames'],
    groupClassFilter: ad ? '(objectClass=group)' : '(objectClass=groupOfNames)',
    emptyGroupMember: ad ? null : '',
    pageSize: config.pageSize,
  };
}
