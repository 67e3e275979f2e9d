import type { CheckReport } from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import type { ScimClient } from './client.js';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from './urns.js';

/**
 * Test connection: the ServiceProviderConfig (RFC 7644 §4) says what the server supports, /ResourceTypes and
 * /Schemas (when published) that it serves Users and whether it knows the enterprise extension, and a one-user
 * page of /Users that the token authenticates and may list users. Failures name what to fix.
 */
export async function checkConnection(client: ScimClient): Promise<CheckReport> {
  const base = client.config.baseUrl;
  let capabilities;
  try {
    capabilities = await client.providerCapabilities();
  } catch (error) {
    throw explain(error, base, 'reading /ServiceProviderConfig');
  }
  let enterprise: boolean | null = null;
  let advertised: string | null = null;
  const resourceTypes = await client.resourceTypes().catch((error: unknown) => {
    throw explain(error, base, 'reading /ResourceTypes');
  });
  if (resourceTypes) {
    const user = resourceTypes.find((type) => type.schema === USER_SCHEMA || type.name === 'User');
    if (!user) {
      throw new ConnectorError('invalid_config', {
        message: `the SCIM server at ${base} publishes no User resource type in /ResourceTypes; is baseUrl the SCIM base?`,
      });
    }
    advertised = user.endpoint;
    enterprise = (user.schemaExtensions ?? []).some(
      (extension) => extension.schema === ENTERPRISE_USER_SCHEMA,
    );
  }
  const schemas = await client.schemaIds().catch((error: unknown) => {
    throw explain(error, base, 'reading /Schemas');
  });
  if (enterprise === null && schemas) enterprise = schemas.includes(ENTERPRISE_USER_SCHEMA);
  let total: number;
  try {
    total = (await client.listUsers({ startIndex: 1, count: 1 })).totalResults;
  } catch (error) {
    const moved =
      advertised && advertised.replace(/\/+$/, '') !== client.config.usersPath
        ? `; the server announces Users at ${advertised}: set usersPath to it`
        : '';
    throw explain(error, base, `listing ${client.config.usersPath}`, moved);
  }
  const features = [
    capabilities.patch ? 'PATCH' : 'PUT only (no PATCH)',
    capabilities.etag ? 'ETags' : 'no ETags',
    ...(capabilities.maxResults ? [`up to ${capabilities.maxResults} results a page`] : []),
    ...(enterprise === null
      ? []
      : [
          enterprise
            ? 'enterprise extension'
            : 'no enterprise extension (do not map employeeNumber, department, manager… for this target)',
        ]),
  ];
  return {
    ok: true,
    message: `connected to the SCIM server at ${base}: the token may list users (${total.toLocaleString('en-US')} users); ${features.join(', ')}${
      capabilities.config
        ? ''
        : '; it publishes no /ServiceProviderConfig, so PATCH is tried and PUT used if refused'
    }`,
    details: {
      users: total,
      patch: capabilities.patch,
      etag: capabilities.etag,
      maxResults: capabilities.maxResults,
      enterpriseExtension: enterprise,
      schemas,
      serviceProviderConfig: capabilities.config !== null,
    },
  };
}

function explain(error: unknown, base: string, doing: string, more = ''): unknown {
  if (!(error instanceof ConnectorError)) return error;
  const hint: Partial<Record<string, string>> = {
    auth_failed: 'check the token (or client credentials): it may be wrong, expired or revoked',
    permission_denied:
      'the credentials authenticate but may not manage users; grant the provisioning (SCIM) scope',
    not_found: `check baseUrl: it should end at the SCIM base, e.g. …/scim/v2`,
    unavailable: `check that ${base} is reachable from the worker`,
  };
  const extra = hint[error.connectorCode];
  return new ConnectorError(error.connectorCode, {
    message: `${doing} at ${base} failed: ${error.publicMessage}${extra ? `; ${extra}` : ''}${more}`,
    retryable: error.retryable,
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.vendorCode === undefined ? {} : { vendorCode: error.vendorCode }),
    ...(error.vendorMessage === undefined ? {} : { vendorMessage: error.vendorMessage }),
    ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    cause: error,
  });
}
