import { RESOURCE_TYPE_SCHEMA, SCHEMA_SCHEMA, SERVICE_PROVIDER_CONFIG_SCHEMA } from '../urns.js';
import {
  GROUP_KIND,
  SCHEMA_DEFINITIONS,
  USER_KIND,
  type AttributeDefinition,
  type ResourceKind,
  type SchemaDefinition,
} from './attribute-schema.js';

/** What the simulated service provider announces and does; each switch mimics a class of real servers. */
export interface ProviderFeatures {
  /** PATCH (RFC 7644 §3.5.2); false answers PATCH with 501, as servers without it do. */
  patch: boolean;
  /** ETags (RFC 7644 §3.14): meta.version, the ETag header and If-Match / If-None-Match. */
  etag: boolean;
  /** The most resources one list response holds (RFC 7643 §5 `filter.maxResults`); `count` above it is cut. */
  maxResults: number;
  /**
   * Whether /ServiceProviderConfig tells `filter.maxResults`. Off, the server still caps pages silently, as some
   * real servers do: clients must page by what they get.
   */
  announceMaxResults: boolean;
  /**
   * Attributes this provider cannot filter on (400 invalidFilter, RFC 7644 §3.4.2.2), as some real servers
   * cannot filter on externalId.
   */
  unfilterable: string[];
  /** Answer a successful PATCH with 204 and no body instead of 200 and the resource (RFC 7644 §3.5.2). */
  patchNoContent: boolean;
  /** Whether the authentication schemes include HTTP Basic (RFC 7617) besides the bearer token. */
  basicAuth: boolean;
  /** Whether an OAuth 2.0 client-credentials token endpoint is served (RFC 6749 §4.4). */
  oauth: boolean;
}

// RFC 7643 §5: the service provider's configuration.
export function serviceProviderConfig(features: ProviderFeatures, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    documentationUri: 'https://www.rfc-editor.org/rfc/rfc7644',
    patch: { supported: features.patch },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, ...(features.announceMaxResults ? { maxResults: features.maxResults } : {}) },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: features.etag },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'Authentication with a bearer token (RFC 6750)',
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
        primary: true,
      },
      ...(features.basicAuth
        ? [
            {
              type: 'httpbasic',
              name: 'HTTP Basic',
              description: 'Authentication with a user name and password (RFC 7617)',
              specUri: 'https://www.rfc-editor.org/rfc/rfc7617',
            },
          ]
        : []),
    ],
    meta: {
      resourceType: 'ServiceProviderConfig',
      location: `${baseUrl}/ServiceProviderConfig`,
    },
  };
}

// RFC 7643 §6: a resource type.
export function resourceType(kind: ResourceKind, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: kind.name,
    name: kind.name,
    endpoint: kind.endpoint,
    description: kind.core.description,
    schema: kind.core.id,
    ...(kind.extensions.length > 0
      ? { schemaExtensions: kind.extensions.map((extension) => ({ schema: extension.id, required: false })) }
      : {}),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${kind.name}` },
  };
}

export const RESOURCE_KINDS = [USER_KIND, GROUP_KIND];

// RFC 7643 §7: a schema, as /Schemas serves it.
export function schemaResource(schema: SchemaDefinition, baseUrl: string): Record<string, unknown> {
  return {
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(renderAttribute),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

export const SCHEMAS = SCHEMA_DEFINITIONS;

function renderAttribute(attribute: AttributeDefinition): Record<string, unknown> {
  const { subAttributes, ...rest } = attribute;
  return subAttributes ? { ...rest, subAttributes: subAttributes.map(renderAttribute) } : rest;
}
