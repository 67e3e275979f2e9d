import { ConnectorError } from '../kit/errors.js';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from './urns.js';

/**
 * The attribute names a mapping may write to a SCIM User, in RFC 7644 §3.10 notation — the names Entra's and
 * Okta's attribute-mapping screens show: `title`, `name.givenName`, `phoneNumbers[type eq "mobile"].value`,
 * `addresses[type eq "work"].locality`, the enterprise extension (RFC 7643 §4.3) by short name (`department`,
 * `manager`, …) or in full (`urn:…:enterprise:2.0:User:department`), and any other extension as
 * `urn:…:attribute`. Each name is parsed once into a leaf the mapping can read and write.
 */
export type Leaf =
  | { kind: 'core'; attribute: string }
  | { kind: 'name'; sub: string }
  | { kind: 'typed'; attribute: TypedAttribute; type: string; sub: string }
  | { kind: 'extension'; schema: string; attribute: string; sub: string | null };

export type TypedAttribute = 'emails' | 'phoneNumbers' | 'ims' | 'photos' | 'addresses';

// RFC 7643 §4.1.1: singular string attributes a mapping may set (userName, displayName and active come from
// the account itself).
export const CORE_SIMPLE = [
  'nickName',
  'title',
  'userType',
  'preferredLanguage',
  'locale',
  'timezone',
  'profileUrl',
];
const NAME_SUBS = [
  'formatted',
  'familyName',
  'givenName',
  'middleName',
  'honorificPrefix',
  'honorificSuffix',
];
// RFC 7643 §4.1.2: multi-valued attributes whose values carry a "type", and the sub-attributes of each.
const TYPED_SUBS: Record<TypedAttribute, string[]> = {
  emails: ['value'],
  phoneNumbers: ['value'],
  ims: ['value'],
  photos: ['value'],
  addresses: ['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country'],
};
// RFC 7643 §4.3.
export const ENTERPRISE_ATTRIBUTES = [
  'employeeNumber',
  'costCenter',
  'organization',
  'division',
  'department',
  'manager',
] as const;
/** Fields of the account itself, not of `attributes`. */
const ACCOUNT_FIELDS = [
  'userName',
  'displayName',
  'active',
  'externalId',
  'id',
  'emails',
  'password',
  'groups',
  'meta',
];

const TYPED_KEY = /^(emails|phoneNumbers|ims|photos|addresses)\[\s*type\s+eq\s+"([^"]+)"\s*\]\.(\w+)$/i;

/** The canonical key of a leaf: what `toTargetAccount` reads back under. */
export function leafKey(leaf: Leaf): string {
  switch (leaf.kind) {
    case 'core':
      return leaf.attribute;
    case 'name':
      return `name.${leaf.sub}`;
    case 'typed':
      return `${leaf.attribute}[type eq "${leaf.type}"].${leaf.sub}`;
    case 'extension':
      if (leaf.schema === ENTERPRISE_USER_SCHEMA) return leaf.attribute;
      return `${leaf.schema}:${leaf.attribute}${leaf.sub === null ? '' : `.${leaf.sub}`}`;
  }
}

/** Parses a mapping's attribute name; an unknown one is `invalid_config` naming it and what is accepted. */
export function parseLeaf(key: string): Leaf {
  const invalid = (why: string): ConnectorError =>
    new ConnectorError('invalid_config', {
      message: `attribute "${key}" cannot be written to a SCIM User: ${why}`,
    });
  const core = CORE_SIMPLE.find((name) => name.toLowerCase() === key.toLowerCase());
  if (core) return { kind: 'core', attribute: core };
  const enterprise = ENTERPRISE_ATTRIBUTES.find((name) => name.toLowerCase() === key.toLowerCase());
  if (enterprise)
    return { kind: 'extension', schema: ENTERPRISE_USER_SCHEMA, attribute: enterprise, sub: null };
  if (key.toLowerCase().startsWith('name.')) {
    const sub = NAME_SUBS.find((name) => name.toLowerCase() === key.slice(5).toLowerCase());
    if (sub) return { kind: 'name', sub };
    throw invalid(`name has the sub-attributes ${NAME_SUBS.join(', ')}`);
  }
  const typed = TYPED_KEY.exec(key);
  if (typed) {
    const attribute = (Object.keys(TYPED_SUBS) as TypedAttribute[]).find(
      (name) => name.toLowerCase() === (typed[1] ?? '').toLowerCase(),
    ) as TypedAttribute;
    const sub = TYPED_SUBS[attribute].find((name) => name.toLowerCase() === (typed[3] ?? '').toLowerCase());
    if (!sub) throw invalid(`${attribute} values have ${TYPED_SUBS[attribute].join(', ')}`);
    const type = typed[2] ?? '';
    if (attribute === 'emails' && type.toLowerCase() === 'work') {
      throw invalid("the work e-mail is the account's email; map it there");
    }
    return { kind: 'typed', attribute, type, sub };
  }
  if (key.toLowerCase().startsWith('urn:')) {
    if (key.toLowerCase().startsWith(`${USER_SCHEMA.toLowerCase()}:`))
      return parseLeaf(key.slice(USER_SCHEMA.length + 1));
    const colon = key.lastIndexOf(':');
    const schema = key.slice(0, colon);
    const [attribute = '', sub, ...rest] = key.slice(colon + 1).split('.');
    if (
      !/^[A-Za-z][\w$-]*$/.test(attribute) ||
      rest.length > 0 ||
      (sub !== undefined && !/^[A-Za-z][\w$-]*$/.test(sub))
    ) {
      throw invalid('write extension attributes as urn:<schema>:<attribute>[.<sub-attribute>]');
    }
    if (schema.toLowerCase() === ENTERPRISE_USER_SCHEMA.toLowerCase()) {
      const known = ENTERPRISE_ATTRIBUTES.find((name) => name.toLowerCase() === attribute.toLowerCase());
      if (!known) throw invalid(`the enterprise extension has ${ENTERPRISE_ATTRIBUTES.join(', ')}`);
      // `manager.value` and `manager` both name the manager's id.
      if (known === 'manager' && sub !== undefined && sub.toLowerCase() !== 'value')
        throw invalid('write manager or manager.value');
      if (known !== 'manager' && sub !== undefined) throw invalid(`${known} has no sub-attributes`);
      return { kind: 'extension', schema: ENTERPRISE_USER_SCHEMA, attribute: known, sub: null };
    }
    return { kind: 'extension', schema, attribute, sub: sub ?? null };
  }
  if (ACCOUNT_FIELDS.some((name) => name.toLowerCase() === key.toLowerCase())) {
    throw invalid('it is set from the account itself (userName, displayName, email, active, correlation id)');
  }
  throw invalid(
    'use SCIM attribute notation, e.g. title, name.givenName, phoneNumbers[type eq "mobile"].value, department, manager, or urn:<schema>:<attribute>',
  );
}

/** The unit a PATCH replaces for a leaf: multi-valued attributes are replaced whole (see mapping.ts). */
export function unitOf(leaf: Leaf): string {
  switch (leaf.kind) {
    case 'core':
      return leaf.attribute;
    case 'name':
      return `name.${leaf.sub}`;
    case 'typed':
      return leaf.attribute;
    case 'extension':
      return `${leaf.schema}:${leaf.attribute}`;
  }
}
