import type { HttpResponseInfo, ResponseClassifier } from '../kit/http/http-client.js';
import { ConnectorError } from '../kit/errors.js';
import { scimErrorSchema } from './wire-schemas.js';

export interface ScimErrorBody {
  status: number;
  scimType: string | undefined;
  detail: string | undefined;
}

/** Reads an RFC 7644 §3.12 error body; undefined when the response carries none. */
export function readScimError(response: HttpResponseInfo): ScimErrorBody | undefined {
  const parsed = scimErrorSchema.safeParse(response.data);
  if (!parsed.success || (parsed.data.scimType === undefined && parsed.data.detail === undefined))
    return undefined;
  return { status: response.status, scimType: parsed.data.scimType, detail: parsed.data.detail };
}

export const scimVendorMessage = (response: HttpResponseInfo): string | undefined => {
  const body = readScimError(response);
  if (body) return body.detail ?? body.scimType;
  return typeof response.data === 'string' && response.data.trim()
    ? response.data.trim().slice(0, 300)
    : undefined;
};

/** The scimType when there is one (RFC 7644 §3.12 table 9), else the HTTP status. */
export const scimVendorCode = (response: HttpResponseInfo): string =>
  readScimError(response)?.scimType ?? String(response.status);

/** What each RFC 7644 §3.12 scimType tells an admin to look at. */
const SCIM_TYPE_HINTS: Record<string, string> = {
  invalidFilter: 'the server did not accept a filter Junction sent',
  tooMany: 'the server would return too many results; lower pageSize',
  uniqueness: 'a value that must be unique (usually userName) is already taken',
  mutability:
    'the mapping writes an attribute the server holds read-only or immutable; remove it from the mapping',
  invalidSyntax: 'the server did not understand the request body',
  invalidPath: 'the mapping names an attribute path the server does not know',
  noTarget: 'the attribute path matched nothing on the server',
  invalidValue:
    'the mapping gave an attribute a value the server refuses (a required one missing, or a wrong type)',
  invalidVers: 'the server refused the If-Match version',
  sensitive: 'the server refuses sensitive data in the URL',
};

/**
 * The connector's reading of a SCIM response before the kit's default status mapping: RFC 7644 §3.12 error bodies
 * become ConnectorErrors that keep `scimType` as the vendor code and `detail` as the vendor message. 401, 429
 * and 5xx (except 501) are left to the kit, which refreshes credentials, honours Retry-After and backs off.
 */
export const classifyScimResponse: ResponseClassifier = (response) => {
  const status = response.status;
  if (status < 400 || status === 401 || status === 429 || (status >= 500 && status !== 501)) return undefined;
  const body = readScimError(response);
  const vendorCode = body?.scimType ?? String(status);
  const detail = body?.detail ?? scimVendorMessage(response);
  const said = [body?.scimType, detail].filter(Boolean).join(': ');
  const common = {
    httpStatus: status,
    vendorCode,
    ...(detail ? { vendorMessage: detail } : {}),
  };
  const hint = body?.scimType ? SCIM_TYPE_HINTS[body.scimType] : undefined;
  const suffix = `(HTTP ${status}${said ? ` ${said}` : ''})${hint ? `; ${hint}` : ''}`;
  switch (status) {
    case 403:
      return new ConnectorError('permission_denied', {
        ...common,
        message: `the SCIM server denied the request ${suffix}; give the token the provisioning permission (a SCIM / user-management admin scope)`,
      });
    case 404:
      return new ConnectorError('not_found', {
        ...common,
        message: `the SCIM server found no such resource ${suffix}`,
      });
    case 409:
      return new ConnectorError('conflict', {
        ...common,
        message: `the SCIM server reports a conflict ${suffix}`,
      });
    case 412:
      // RFC 7644 §3.14: the If-Match version is stale; callers re-read and retry.
      return new ConnectorError('conflict', {
        ...common,
        vendorCode: 'preconditionFailed',
        message: `the resource changed on the SCIM server since it was read ${suffix}`,
      });
    case 413:
      return new ConnectorError('vendor_error', {
        ...common,
        message: `the SCIM server refused a request as too large ${suffix}; lower groupMemberChunkSize or pageSize`,
      });
    case 501:
      return new ConnectorError('vendor_error', {
        ...common,
        vendorCode: body?.scimType ?? 'notImplemented',
        message: `the SCIM server does not implement this operation ${suffix}`,
      });
    default:
      return new ConnectorError('vendor_error', {
        ...common,
        message: `the SCIM server refused the request ${suffix}`,
      });
  }
};

export function isPreconditionFailed(error: unknown): boolean {
  return error instanceof ConnectorError && error.httpStatus === 412;
}

export function isNotImplemented(error: unknown): boolean {
  // RFC 7644 §3.12: 501 for an unsupported operation; 405 where a server routes no PATCH at all.
  return error instanceof ConnectorError && (error.httpStatus === 501 || error.httpStatus === 405);
}

export function isScimType(error: unknown, scimType: string): boolean {
  return error instanceof ConnectorError && error.vendorCode === scimType;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ConnectorError && error.httpStatus === 404;
}
