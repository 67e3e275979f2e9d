import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from '../urns.js';

/**
 * The attribute definitions the simulator serves and enforces (RFC 7643 §2.2 characteristics, §4.1 User, §4.2
 * Group, §4.3 enterprise extension). One table drives `/Schemas`, filter case sensitivity, read-only checks and
 * `returned: never` (password).
 */
export type AttributeType =
  'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex';

export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  referenceTypes?: string[];
  canonicalValues?: string[];
  subAttributes?: AttributeDefinition[];
}

export interface SchemaDefinition {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDefinition[];
}

// RFC 7643 §2.2: "required" false, "caseExact" false, "mutability" readWrite, "returned" default, "uniqueness" none.
function attr(
  name: string,
  type: AttributeType,
  description: string,
  options: Partial<Omit<AttributeDefinition, 'name' | 'type' | 'description'>> = {},
): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...options,
  };
}

// RFC 7643 §2.4: the sub-attributes every multi-valued attribute of the core schema shares.
function multiValued(
  name: string,
  description: string,
  options: {
    valueType?: AttributeType;
    types?: string[];
    mutability?: AttributeDefinition['mutability'];
  } = {},
): AttributeDefinition {
  return attr(name, 'complex', description, {
    multiValued: true,
    ...(options.mutability ? { mutability: options.mutability } : {}),
    subAttributes: [
      attr('value', options.valueType ?? 'string', `The value of the ${name} entry.`),
      attr('display', 'string', 'A human-readable name, primarily used for display purposes.'),
      attr('type', 'string', 'A label indicating the function of the entry.', {
        ...(options.types ? { canonicalValues: options.types } : {}),
      }),
      attr('primary', 'boolean', 'Whether this entry is the primary one; at most one entry may be.'),
    ],
  });
}

const memberAttributes = (target: string): AttributeDefinition[] => [
  attr('value', 'string', `The id of the ${target}.`, { mutability: 'immutable', caseExact: true }),
  attr('$ref', 'reference', `The URI of the ${target}.`, {
    mutability: 'immutable',
    referenceTypes: ['User', 'Group'],
    caseExact: true,
  }),
  attr('display', 'string', 'A human-readable name.', { mutability: 'readOnly' }),
  attr('type', 'string', 'The type of the member.', {
    mutability: 'immutable',
    canonicalValues: ['User', 'Group'],
  }),
];

/** RFC 7643 §3.1: attributes of every resource, not listed in any schema's `attributes`. */
export const COMMON_ATTRIBUTES: AttributeDefinition[] = [
  attr('id', 'string', 'Identifier assigned by the service provider.', {
    caseExact: true,
    mutability: 'readOnly',
    returned: 'always',
    uniqueness: 'server',
  }),
  attr('externalId', 'string', 'Identifier assigned by the provisioning client.', { caseExact: true }),
  attr('meta', 'complex', 'Resource metadata.', {
    mutability: 'readOnly',
    subAttributes: [
      attr('resourceType', 'string', 'The resource type.', { mutability: 'readOnly', caseExact: true }),
      attr('created', 'dateTime', 'When the resource was added.', { mutability: 'readOnly' }),
      attr('lastModified', 'dateTime', 'When the resource was last changed.', { mutability: 'readOnly' }),
      attr('location', 'reference', 'The URI of the resource.', { mutability: 'readOnly', caseExact: true }),
      attr('version', 'string', 'The version (ETag) of the resource.', {
        mutability: 'readOnly',
        caseExact: true,
      }),
    ],
  }),
];

// RFC 7643 §4.1.
export const USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr('userName', 'string', 'Unique identifier for the User, used to sign in.', {
      required: true,
      uniqueness: 'server',
    }),
    attr('name', 'complex', "The components of the user's name.", {
      subAttributes: [
        attr('formatted', 'string', 'The full name, formatted for display.'),
        attr('familyName', 'string', 'The family name.'),
        attr('givenName', 'string', 'The given name.'),
        attr('middleName', 'string', 'The middle name(s).'),
        attr('honorificPrefix', 'string', 'The honorific prefix(es).'),
        attr('honorificSuffix', 'string', 'The honorific suffix(es).'),
      ],
    }),
    attr('displayName', 'string', 'The name of the User, suitable for display.'),
    attr('nickName', 'string', 'The casual way to address the user.'),
    attr('profileUrl', 'reference', "A URI of the user's online profile.", { referenceTypes: ['external'] }),
    attr('title', 'string', "The user's title, such as 'Vice President'."),
    attr('userType', 'string', 'The relationship between the organization and the user.'),
    attr('preferredLanguage', 'string', "The user's preferred written or spoken language."),
    attr('locale', 'string', "The user's default location for localizing."),
    attr('timezone', 'string', "The User's time zone in the 'Olson' format."),
    attr('active', 'boolean', "The User's administrative status."),
    attr('password', 'string', "The User's cleartext password, for setting it.", {
      mutability: 'writeOnly',
      returned: 'never',
    }),
    multiValued('emails', 'Email addresses for the user.', { types: ['work', 'home', 'other'] }),
    multiValued('phoneNumbers', 'Phone numbers for the User.', {
      types: ['work', 'home', 'mobile', 'fax', 'pager', 'other'],
    }),
    multiValued('ims', 'Instant messaging addresses for the User.'),
    multiValued('photos', 'URLs of photos of the User.', {
      valueType: 'reference',
      types: ['photo', 'thumbnail'],
    }),
    attr('addresses', 'complex', 'A physical mailing address for this User.', {
      multiValued: true,
      subAttributes: [
        attr('formatted', 'string', 'The full mailing address.'),
        attr('streetAddress', 'string', 'The street address.'),
        attr('locality', 'string', 'The city or locality.'),
        attr('region', 'string', 'The state or region.'),
        attr('postalCode', 'string', 'The zip code or postal code.'),
        attr('country', 'string', 'The country name (ISO 3166-1 alpha-2).'),
        attr('type', 'string', 'A label indicating the function of the address.', {
          canonicalValues: ['work', 'home', 'other'],
        }),
        attr('primary', 'boolean', 'Whether this is the primary address.'),
      ],
    }),
    // RFC 7643 §4.1.2: "groups" is read-only; membership changes go through the Group resource.
    attr('groups', 'complex', 'The groups the user belongs to.', {
      multiValued: true,
      mutability: 'readOnly',
      subAttributes: [
        attr('value', 'string', 'The id of the Group.', { mutability: 'readOnly', caseExact: true }),
        attr('$ref', 'reference', 'The URI of the Group.', {
          mutability: 'readOnly',
          referenceTypes: ['Group'],
        }),
        attr('display', 'string', 'The displayName of the Group.', { mutability: 'readOnly' }),
        attr('type', 'string', 'direct or indirect membership.', {
          mutability: 'readOnly',
          canonicalValues: ['direct', 'indirect'],
        }),
      ],
    }),
    multiValued('entitlements', 'A list of entitlements for the User.'),
    multiValued('roles', 'A list of roles for the User.'),
    multiValued('x509Certificates', 'A list of certificates issued to the User.', { valueType: 'string' }),
  ],
};

// RFC 7643 §4.3.
export const ENTERPRISE_USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr('employeeNumber', 'string', 'Numeric or alphanumeric identifier assigned to a person.'),
    attr('costCenter', 'string', 'Identifies the name of a cost center.'),
    attr('organization', 'string', 'Identifies the name of an organization.'),
    attr('division', 'string', 'Identifies the name of a division.'),
    attr('department', 'string', 'Identifies the name of a department.'),
    attr('manager', 'complex', "The User's manager.", {
      subAttributes: [
        attr('value', 'string', 'The id of the SCIM resource representing the manager.', { caseExact: true }),
        attr('$ref', 'reference', 'The URI of the manager.', { referenceTypes: ['User'] }),
        attr('displayName', 'string', 'The displayName of the manager.', { mutability: 'readOnly' }),
      ],
    }),
  ],
};

// RFC 7643 §4.2.
export const GROUP_SCHEMA_DEFINITION: SchemaDefinition = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    attr('displayName', 'string', 'A human-readable name for the Group.', { required: true }),
    attr('members', 'complex', 'A list of members of the Group.', {
      multiValued: true,
      subAttributes: memberAttributes('member'),
    }),
  ],
};

export const SCHEMA_DEFINITIONS = [
  USER_SCHEMA_DEFINITION,
  GROUP_SCHEMA_DEFINITION,
  ENTERPRISE_USER_SCHEMA_DEFINITION,
];

/** Which schemas a resource type is made of (core first), as /ResourceTypes announces. */
export interface ResourceKind {
  name: 'User' | 'Group';
  endpoint: '/Users' | '/Groups';
  core: SchemaDefinition;
  extensions: SchemaDefinition[];
}

export const USER_KIND: ResourceKind = {
  name: 'User',
  endpoint: '/Users',
  core: USER_SCHEMA_DEFINITION,
  extensions: [ENTERPRISE_USER_SCHEMA_DEFINITION],
};
export const GROUP_KIND: ResourceKind = {
  name: 'Group',
  endpoint: '/Groups',
  core: GROUP_SCHEMA_DEFINITION,
  extensions: [],
};

/** Where an attribute path lands: the schema owning it and the attribute (and sub-attribute) definitions. */
export interface ResolvedAttribute {
  /** null for the core schema and the common attributes. */
  extension: SchemaDefinition | null;
  attribute: AttributeDefinition;
  sub: AttributeDefinition | null;
}

/**
 * Resolves `attr`, `attr.sub`, `urn:…:attr` or `urn:…:attr.sub` (RFC 7644 §3.10 attribute notation) against a
 * resource kind, case-insensitively as §3.10 requires. Returns null for unknown attributes.
 */
export function resolveAttribute(kind: ResourceKind, path: string): ResolvedAttribute | null {
  let schema: SchemaDefinition = kind.core;
  let extension: SchemaDefinition | null = null;
  let rest = path;
  if (path.toLowerCase().startsWith('urn:')) {
    const owner = [kind.core, ...kind.extensions].find((candidate) =>
      path.toLowerCase().startsWith(`${candidate.id.toLowerCase()}:`),
    );
    if (!owner) return null;
    schema = owner;
    extension = owner === kind.core ? null : owner;
    rest = path.slice(owner.id.length + 1);
  }
  const [name, subName, ...tooDeep] = rest.split('.');
  if (!name || tooDeep.length > 0) return null;
  const pool = extension ? schema.attributes : [...COMMON_ATTRIBUTES, ...schema.attributes];
  const attribute = findByName(pool, name);
  if (!attribute) return null;
  if (subName === undefined) return { extension, attribute, sub: null };
  const sub = findByName(attribute.subAttributes ?? [], subName);
  return sub ? { extension, attribute, sub } : null;
}

export function findByName(pool: AttributeDefinition[], name: string): AttributeDefinition | undefined {
  const lower = name.toLowerCase();
  return pool.find((candidate) => candidate.name.toLowerCase() === lower);
}
