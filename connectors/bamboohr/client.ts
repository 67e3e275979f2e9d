import type { ConnectorContext, RateLimit } from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import { basicAuth } from '../kit/http/auth.js';
import { HttpClient, type HttpResponseInfo } from '../kit/http/http-client.js';
import { parseRetryAfter } from '../kit/http/retry-after.js';
import {
  changedEmployeesSchema,
  customReportSchema,
  listEmployeesSchema,
  listFieldsSchema,
  type ChangeEntry,
  type CustomReportRow,
  type ListEmployeesResponse,
  type ListField,
} from './api-schemas.js';
import type { BambooHrConfig } from './config.js';
import { LIST_FIELDS } from './mapping.js';

/**
 * BambooHR publishes no request rate; it throttles when it "deems requests too frequent" (Technical Overview).
 * Ten a second with a burst of ten is a reading that keeps full reads of 100,000 people within minutes.
 */
export const BAMBOOHR_RATE_LIMIT: RateLimit = { requestsPerSecond: 10, burst: 10 };

/** BambooHR's HTTP API as this connector uses it; every answer parsed with the schemas in api-schemas.ts. */
export class BambooHrClient {
  readonly http: HttpClient;

  constructor(
    private readonly config: BambooHrConfig,
    ctx: Pick<ConnectorContext<BambooHrConfig>, 'connectionId' | 'log' | 'signal'>,
  ) {
    this.http = new HttpClient({
      baseUrl: config.baseUrl ?? `https://${config.companyDomain}.bamboohr.com`,
      connectorId: 'bamboohr',
      connectionId: ctx.connectionId,
      log: ctx.log,
      rateLimit: BAMBOOHR_RATE_LIMIT,
      // "HTTP Basic … the API key as the username and any random string as the password" (Getting Started).
      auth: basicAuth(config.apiKey, 'x'),
      vendorName: 'BambooHR',
      classifyResponse: (response) => this.classify(response),
      vendorMessage: vendorMessage,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  }

  /** list-employees (GET /api/v1/employees): cursor-paginated, sorted by employee id. */
  async listEmployees(options: {
    limit: number;
    after?: string | null;
    ids?: readonly string[];
  }): Promise<{ body: ListEmployeesResponse; date: number | undefined }> {
    const response = await this.http.get('/api/v1/employees', {
      query: {
        fields: LIST_FIELDS.join(','),
        sort: 'employeeId',
        'page[limit]': options.limit,
        'page[after]': options.after ?? undefined,
        // Documented form: repeated keys `filter[ids][]=123&filter[ids][]=124`.
        'filter[ids][]': options.ids,
      },
      schema: listEmployeesSchema,
    });
    return { body: response.data, date: serverTime(response.headers) };
  }

  /** get-changed-employee-ids (GET /api/v1/employees/changed): Inserted / Updated / Deleted since a time. */
  async changedSince(since: string): Promise<{ entries: ChangeEntry[]; date: number | undefined }> {
    const response = await this.http.get('/api/v1/employees/changed', {
      query: { since },
      schema: changedEmployeesSchema,
    });
    const employees = response.data.employees;
    return {
      entries: Array.isArray(employees) ? employees : Object.values(employees),
      date: serverTime(response.headers),
    };
  }

  /**
   * request-custom-report (POST /api/v1/reports/custom?format=json) for the given employees: the fields
   * list-employees does not offer (employee number, termination date, custom fields). The endpoint is marked
   * deprecated in favour of datasets, whose field vocabulary differs from the employee aliases admins know; it is
   * still the documented way to read those aliases for a batch of employee ids.
   */
  async report(ids: readonly string[], fields: readonly string[]): Promise<Map<string, CustomReportRow>> {
    const rows = new Map<string, CustomReportRow>();
    if (ids.length === 0 || fields.length === 0) return rows;
    const response = await this.http.post('/api/v1/reports/custom', {
      query: { format: 'json', onlyCurrent: true },
      // "set Content-Type: application/json exactly — any variation … is parsed as XML" (request-custom-report).
      headers: { 'content-type': 'application/json' },
      body: { title: 'Junction sync', fields, filters: { employeeIds: ids.map(Number) } },
      schema: customReportSchema,
    });
    for (const row of response.data.employees) rows.set(row.id, row);
    return rows;
  }

  /** Field ids a report actually returned (unknown or hidden fields are silently left out by BambooHR). */
  async reportFieldsVisible(id: string, fields: readonly string[]): Promise<Set<string>> {
    const response = await this.http.post('/api/v1/reports/custom', {
      query: { format: 'json' },
      headers: { 'content-type': 'application/json' },
      body: { title: 'Junction check', fields, filters: { employeeIds: [Number(id)] } },
      schema: customReportSchema,
    });
    return new Set(response.data.fields.map((f) => f.id));
  }

  /** list-list-fields (GET /api/v1/meta/lists): department, division, location … with their options. */
  async listFields(): Promise<ListField[]> {
    return (
      await this.http.get('/api/v1/meta/lists', { query: { format: 'json' }, schema: listFieldsSchema })
    ).data;
  }

  private classify(response: HttpResponseInfo): ConnectorError | undefined {
    const said = vendorMessage(response);
    if (response.status === 401) {
      return new ConnectorError('auth_failed', {
        message: `BambooHR rejected the API key (HTTP 401${said ? `: ${said}` : ''}); check the API key (in BambooHR: your name → API Keys) and that its user is still enabled`,
        httpStatus: 401,
        vendorCode: 401,
        ...(said ? { vendorMessage: said } : {}),
      });
    }
    if (response.status === 403) {
      return new ConnectorError('permission_denied', {
        message: `BambooHR refused the request (HTTP 403${said ? `: ${said}` : ''}); the API key's user needs access to employee records and custom reports`,
        httpStatus: 403,
        vendorCode: 403,
        ...(said ? { vendorMessage: said } : {}),
      });
    }
    if (response.status === 503 && response.headers['retry-after'] !== undefined) {
      // Before 2026-09-16 BambooHR throttled with 503 + Retry-After ("Planned Changes to the API").
      return new ConnectorError('rate_limited', {
        message: 'BambooHR is throttling requests (HTTP 503 with Retry-After)',
        httpStatus: 503,
        ...retryAfter(response),
      });
    }
    if (response.status === 400 && isBadPage(response.data)) {
      return new ConnectorError('vendor_error', {
        message: 'BambooHR refused the page cursor (BadPage)',
        httpStatus: 400,
        vendorCode: 'BadPage',
      });
    }
    return undefined;
  }
}

function retryAfter(response: HttpResponseInfo): { retryAfterMs?: number } {
  const ms = parseRetryAfter(response.headers['retry-after']);
  return ms === undefined ? {} : { retryAfterMs: ms };
}

/** "BambooHR returns error details in the X-BambooHR-Error-Message header"; list-employees also in its body. */
function vendorMessage(response: HttpResponseInfo): string | undefined {
  const header = response.headers['x-bamboohr-error-message'];
  if (header) return header;
  const data = response.data as { error?: { message?: unknown } } | undefined;
  return typeof data?.error?.message === 'string' ? data.error.message : undefined;
}

function isBadPage(data: unknown): boolean {
  return (data as { error?: { code?: unknown } } | undefined)?.error?.code === 'BadPage';
}

/** The vendor's clock (HTTP Date header), so watermarks do not depend on ours. */
function serverTime(headers: Record<string, string>): number | undefined {
  const date = headers.date ? Date.parse(headers.date) : Number.NaN;
  return Number.isNaN(date) ? undefined : date;
}
