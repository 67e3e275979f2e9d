import { URN } from './urns.js';

/** The largest page a client may ask for; larger `count` values are lowered to it (RFC 7644 §3.4.2.4). */
export const MAX_PAGE = 500;
/** Paging, filtering and ETags are supported; bulk and password change are not (RFC 7643 §5). */
export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [URN.serviceProviderConfig],
    documentationUri: 'https://datatracker.ietf.org/doc/html/rfc7644',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'A Junction SCIM token (jst_…), created by an admin for one source connection',
        primary: true,
      },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function resourceTypes(baseUrl: string) {
  return [
    {
      schemas: [URN.resourceType],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'A person; becomes a directory record like an HR person',
      schema: URN.user,
      schemaExtensions: [{ schema: URN.enterprise, required: false }],
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/User` },
    },
    {
      schemas: [URN.resourceType],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'A group; role rules can match its members',
      schema: URN.group,
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/Group` },
    },
  ];
}

interface AttributeDef {
  name: string;
  type?: 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime';
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable';
  uniqueness?: 'none' | 'server';
  subAttributes?: AttributeDef[];
}

function attribute(def: AttributeDef): Record<string, unknown> {
  return {
    name: def.name,
    type: def.type ?? 'string',
    multiValued: def.multiValued ?? false,
    description: def.name,
    required: def.required ?? false,
    caseExact: def.caseExact ?? false,
    mutability: def.mutability ?? 'readWrite',
    returned: 'default',
    uniqueness: def.uniqueness ?? 'none',
    ...(def.subAttributes ? { subAttributes: def.subAttributes.map(attribute) } : {}),
  };
}

const multiValue = (name: string): AttributeDef => ({
  name,
  type: 'complex',
  multiValued: true,
  subAttributes: [
    { name: 'value' },
    { name: 'type' },
    { name: 'primary', type: 'boolean' },
    { name: 'display' },
  ],
});

/** The attributes Junction stores (RFC 7643 §7); others a client sends are accepted and ignored. */
export function schemas(baseUrl: string) {
  const meta = (id: string) => ({ resourceType: 'Schema', location: `${baseUrl}/Schemas/${id}` });
  return [
    {
      schemas: [URN.schema],
      id: URN.user,
      name: 'User',
      description: 'User account',
      attributes: [
        { name: 'userName', required: true, uniqueness: 'server' },
        { name: 'externalId', caseExact: true },
        {
          name: 'name',
          type: 'complex',
          subAttributes: [{ name: 'formatted' }, { name: 'givenName' }, { name: 'familyName' }],
        },
        { name: 'displayName' },
        { name: 'nickName' },
        { name: 'title' },
        { name: 'userType' },
        { name: 'preferredLanguage' },
        { name: 'locale' },
        { name: 'timezone' },
        { name: 'active', type: 'boolean' },
        multiValue('emails'),
        multiValue('phoneNumbers'),
        {
          name: 'groups',
          type: 'complex',
          multiValued: true,
          mutability: 'readOnly',
          subAttributes: [{ name: 'value' }, { name: 'display' }, { name: '$ref', type: 'reference' }],
        },
      ].map((a) => attribute(a as AttributeDef)),
      meta: meta(URN.user),
    },
    {
      schemas: [URN.schema],
      id: URN.enterprise,
      name: 'EnterpriseUser',
      description: 'Enterprise User',
      attributes: [
        { name: 'employeeNumber' },
        { name: 'costCenter' },
        { name: 'organization' },
        { name: 'division' },
        { name: 'department' },
        {
          name: 'manager',
          type: 'complex',
          subAttributes: [{ name: 'value' }, { name: 'displayName', mutability: 'readOnly' }],
        },
      ].map((a) => attribute(a as AttributeDef)),
      meta: meta(URN.enterprise),
    },
    {
      schemas: [URN.schema],
      id: URN.group,
      name: 'Group',
      description: 'Group',
      attributes: [
        { name: 'displayName', required: true },
        { name: 'externalId', caseExact: true },
        {
          name: 'members',
          type: 'complex',
          multiValued: true,
          subAttributes: [
            { name: 'value', mutability: 'immutable' },
            { name: 'display', mutability: 'readOnly' },
            { name: 'type' },
          ],
        },
      ].map((a) => attribute(a as AttributeDef)),
      meta: meta(URN.group),
    },
  ];
}
