import { ConnectorError } from '../kit/errors.js';
import { classifyScimResponse, scimVendorCode, scimVendorMessage } from './scim-errors.js';
import { ERROR_SCHEMA } from './urns.js';

const response = (status: number, data: unknown, headers: Record<string, string> = {}) => ({
  status,
  data,
  headers,
});
const scimError = (status: number | string, scimType?: string, detail?: string) => ({
  schemas: [ERROR_SCHEMA],
  status,
  ...(scimType ? { scimType } : {}),
  ...(detail ? { detail } : {}),
});

describe('SCIM error bodies (RFC 7644 §3.12)', () => {
  it('maps statuses onto stable codes, keeping scimType and detail as vendor detail', () => {
    const cases: [number, unknown, string, string][] = [
      [409, scimError('409', 'uniqueness', 'userName taken'), 'conflict', 'uniqueness'],
      [400, scimError(400, 'invalidFilter', 'bad filter'), 'vendor_error', 'invalidFilter'],
      [400, scimError('400', 'mutability', 'id is read-only'), 'vendor_error', 'mutability'],
      [403, scimError('403', undefined, 'no scope'), 'permission_denied', '403'],
      [404, scimError('404', undefined, 'User x not found'), 'not_found', '404'],
      [412, scimError('412', undefined, 'changed'), 'conflict', 'preconditionFailed'],
      [501, scimError('501', undefined, 'no PATCH'), 'vendor_error', 'notImplemented'],
      [413, 'Request Entity Too Large', 'vendor_error', '413'],
    ];
    for (const [status, body, code, vendorCode] of cases) {
      const verdict = classifyScimResponse(response(status, body));
      expect(verdict).toBeInstanceOf(ConnectorError);
      const error = verdict as ConnectorError;
      expect({
        status,
        code: error.connectorCode,
        vendorCode: error.vendorCode,
        retryable: error.retryable,
      }).toEqual({
        status,
        code,
        vendorCode,
        retryable: false,
      });
      expect(error.httpStatus).toBe(status);
    }
  });

  it('says what to do about a scimType', () => {
    const error = classifyScimResponse(
      response(400, scimError('400', 'mutability', 'id is read-only')),
    ) as ConnectorError;
    expect(error.publicMessage).toMatch(/HTTP 400 mutability: id is read-only\); .*read-only or immutable/);
    expect(error.vendorMessage).toBe('id is read-only');
  });

  it('leaves 401, 429 and 5xx other than 501 to the kit (refresh, Retry-After, backoff) and passes 2xx', () => {
    for (const status of [200, 204, 401, 429, 500, 502, 503]) {
      expect(classifyScimResponse(response(status, scimError(String(status))))).toBeUndefined();
    }
  });

  it('reads vendor message and code for the kit, from SCIM bodies or text', () => {
    expect(scimVendorMessage(response(401, scimError('401', undefined, 'token expired')))).toBe(
      'token expired',
    );
    expect(scimVendorCode(response(409, scimError('409', 'uniqueness')))).toBe('uniqueness');
    expect(scimVendorCode(response(502, '<html>bad gateway</html>'))).toBe('502');
    expect(scimVendorMessage(response(502, '<html>bad gateway</html>'))).toBe('<html>bad gateway</html>');
  });
});
