import { createHash } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { RateLimit } from '../kit/contract.js';
import { documentedRateLimit } from '../kit/simulator/documented-rate-limit.js';
import type { FaultInjector, FaultSettings } from '../kit/simulator/fault-injector.js';
import { SimulatorServer, type SimulatorHandle } from '../kit/simulator/simulator-server.js';
import { SIM_FIELDS, SIM_FIELDS_BY_NAME } from './simulator-fields.js';
import { BambooHrState, SimStateError, type SimEmployee } from './simulator-state.js';

/**
 * A BambooHR simulator: the paths, parameters, payloads, cursor pagination, Basic authentication, error statuses
 * (with the X-BambooHR-Error-Message header) and rate-limit answers of BambooHR's public API, as its OpenAPI
 * document (shared/specs/bamboohr/public.yaml) and documentation (documentation.bamboohr.com) describe them.
 * Each route names the operationId it implements; a test validates every answer against the OpenAPI schema.
 */
export interface BambooHrSimulatorOptions {
  people: number;
  seed?: number;
  /** The `<companyDomain>` of `<companyDomain>.bamboohr.com`. Default `acme`. */
  companyDomain?: string;
  /** Work e-mail domain of generated people. */
  emailDomain?: string;
  /** Departments of the generated organisation (default one per 40 people). */
  departments?: number;
  /** API keys accepted as the Basic user name. Default: one key derived from the seed. */
  apiKeys?: string[];
  faults?: Partial<FaultSettings>;
  /** Enforce a request rate as BambooHR does (it publishes no figure; off unless given). */
  rateLimit?: RateLimit;
  /**
   * Answer rate limits with 503 instead of 429, as BambooHR did before 2026-09-16 ("Planned Changes to the API":
   * rate limiting response code changing from 503 to 429).
   */
  legacyThrottle503?: boolean;
  now?: () => Date;
}

const MAX_LIMIT = 2500;
const DEFAULT_LIMIT = 250;
const SORTABLE = ['employeeId', 'firstName', 'lastName', 'preferredName', 'jobTitleName', 'status'] as const;
type Sortable = (typeof SORTABLE)[number];

export function defaultApiKey(seed: number): string {
  // BambooHR API keys are 160-bit numbers in hexadecimal ("Getting Started", Authentication).
  return createHash('sha1').update(`junction-bamboohr-simulator-${seed}`).digest('hex');
}

export class BambooHrSimulator {
  readonly state: BambooHrState;
  readonly server: SimulatorServer;
  readonly apiKeys: Set<string>;
  readonly companyDomain: string;
  private readonly now: () => Date;

  constructor(readonly options: BambooHrSimulatorOptions) {
    this.now = options.now ?? (() => new Date());
    this.companyDomain = options.companyDomain ?? 'acme';
    this.apiKeys = new Set(options.apiKeys ?? [defaultApiKey(options.seed ?? 1)]);
    this.state = BambooHrState.generate(
      {
        people: options.people,
        seed: options.seed ?? 1,
        domain: options.emailDomain ?? `${this.companyDomain}.example.com`,
        ...(options.departments ? { departments: options.departments } : {}),
      },
      this.now,
    );
    const throttle = (_req: Request, res: Response, retryAfterSeconds: number): void => {
      // "Every rate-limited response includes a Retry-After header" (Planned Changes to the API, 2026-09).
      fail(
        res.set('retry-after', String(retryAfterSeconds)),
        options.legacyThrottle503 ? 503 : 429,
        'Too Many Requests',
      );
    };
    this.server = new SimulatorServer({
      name: 'BambooHR',
      ...(options.faults ? { faults: options.faults } : {}),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      responders: {
        tooManyRequests: throttle,
        serverError: (_req, res, status) => fail(res, status, 'The service is temporarily unavailable'),
      },
    });
    const app = this.server.app;
    // "API requests are made to a URL that begins with https://api.bamboohr.com/api/gateway.php/{company}/"
    // (Technical Overview); the OpenAPI document uses https://{companyDomain}.bamboohr.com/api/v1. Both are served.
    app.use((req, res, next) => {
      const match = /^\/api\/gateway\.php\/([^/]+)\/v1(\/.*)?$/.exec(req.path);
      if (!match) return next();
      if (match[1] !== this.companyDomain) return fail(res, 404, 'Company not found');
      req.url = `/api/v1${match[2] ?? '/'}${req.url.slice(req.path.length)}`;
      next();
    });
    if (options.rateLimit)
      app.use(
        documentedRateLimit({
          limit: options.rateLimit,
          key: (req) => basicUser(req) ?? '',
          respond: throttle,
        }),
      );
    app.use('/api/v1', this.authenticate());
    app.use('/api/v1', this.routes());
    app.use((_req, res) => fail(res, 404, 'Not found'));
  }

  get faults(): FaultInjector {
    return this.server.faults;
  }

  start(port = 0, host = '127.0.0.1'): Promise<SimulatorHandle> {
    return this.server.start(port, host);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** A connection config for this simulator (what `junction simulate` prints). */
  connectionConfig(url: string, apiKey = [...this.apiKeys][0] ?? ''): Record<string, unknown> {
    return {
      companyDomain: this.companyDomain,
      apiKey,
      baseUrl: url,
      customFields: { rank: 'customRank', grade: 'customGrade', costCenter: 'customCostCenter' },
    };
  }

  /** "Each API request … will be authenticated … the API key as the user name of HTTP Basic" (Getting Started). */
  private authenticate(): express.RequestHandler {
    return (req, res, next) => {
      const user = basicUser(req);
      if (user === undefined) {
        res.set('www-authenticate', 'Basic realm="BambooHR API"');
        return fail(res, 401, 'Your API key is missing');
      }
      if (!this.apiKeys.has(user)) {
        res.set('www-authenticate', 'Basic realm="BambooHR API"');
        return fail(res, 401, 'Invalid API key');
      }
      next();
    };
  }

  private routes(): Router {
    const router = express.Router();
    const json = express.json({ limit: '5mb' });

    // operationId list-employees
    router.get('/employees', (req, res) => this.listEmployees(req, res));
    // operationId get-employees-directory
    router.get('/employees/directory', (req, res) => this.directory(req, res));
    // operationId get-changed-employee-ids
    router.get('/employees/changed', (req, res) => this.changed(req, res));
    // operationId get-employee
    router.get('/employees/:id', (req, res) => this.getEmployee(req, res));
    // operationId create-employee
    router.post('/employees', json, (req, res) => {
      if (!isJson(req)) return fail(res, 400, 'The request body must be JSON (XML is not simulated)');
      const employee = this.write(res, () => this.state.create(body(req)));
      if (!employee) return;
      res
        .status(201)
        .set('location', `${origin(req)}/api/v1/employees/${employee.id}`)
        .end();
    });
    // operationId update-employee
    router.post('/employees/:id', json, (req, res) => {
      if (!isJson(req)) return fail(res, 400, 'The request body must be JSON (XML is not simulated)');
      const id = Number(req.params.id);
      if (!Number.isInteger(id)) return fail(res, 404, 'Employee not found');
      if (this.write(res, () => this.state.update(id, body(req)))) res.status(200).end();
    });
    // operationId request-custom-report
    router.post('/reports/custom', express.text({ type: () => true, limit: '5mb' }), (req, res) =>
      this.customReport(req, res),
    );
    // operationId list-fields
    router.get('/meta/fields', (_req, res) => {
      res.json(
        SIM_FIELDS.map((f) => ({
          id: /^\d+$/.test(f.id) ? Number(f.id) : f.id,
          name: f.name,
          type: f.type,
          alias: f.alias,
        })),
      );
    });
    // operationId list-list-fields
    router.get('/meta/lists', (_req, res) => {
      res.json(
        Object.values(this.state.lists).map((list) => ({
          fieldId: list.fieldId,
          alias: list.alias,
          name: list.name,
          manageable: 'yes',
          multiple: 'no',
          options: list.options,
        })),
      );
    });
    return router;
  }

  private listEmployees(req: Request, res: Response): void {
    const query = req.query as Record<string, string | string[] | undefined>;
    // list-employees answers 400 with Employee-StringCodeErrorResponse-V1: { error: { code, message } }.
    const badRequest = (message: string): void =>
      fail(res, 400, message, { error: { code: 'BadRequest', message } });
    const limitRaw = single(query['page[limit]']);
    const limit = limitRaw === undefined ? DEFAULT_LIMIT : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      return badRequest(`page[limit] must be an integer between 1 and ${MAX_LIMIT}`);
    }
    const status = single(query['filter[status]']);
    if (status !== undefined && status !== 'active' && status !== 'inactive') {
      return badRequest('filter[status] must be active or inactive');
    }
    const idsRaw = query['filter[ids][]'] ?? query['filter[ids]'];
    const ids =
      idsRaw === undefined
        ? undefined
        : new Set(
            (Array.isArray(idsRaw) ? idsRaw : [idsRaw])
              .flatMap((v) => v.split(','))
              .map((v) => Number(v.trim())),
          );
    if (ids && [...ids].some((id) => !Number.isInteger(id)))
      return badRequest('filter[ids] must be integers');
    const textFilters = (['firstName', 'lastName', 'jobTitleName'] as const)
      .map((name) => [name, single(query[`filter[${name}]`])?.toLowerCase()] as const)
      .filter((entry): entry is readonly [(typeof entry)[0], string] => entry[1] !== undefined);
    const sortRaw = single(query.sort) ?? 'employeeId';
    const sortKeys = sortRaw.split(',').map((s) => ({ desc: s.startsWith('-'), field: s.replace(/^-/, '') }));
    const badSort = sortKeys.find((s) => !(SORTABLE as readonly string[]).includes(s.field));
    if (badSort) return badRequest(`cannot sort by "${badSort.field}"`);
    const fieldsRaw = query.fields;
    const extra = (Array.isArray(fieldsRaw) ? fieldsRaw : fieldsRaw ? [fieldsRaw] : [])
      .flatMap((f) => f.split(','))
      .map((f) => f.trim())
      .filter((f) => OPTIONAL_FIELDS.has(f));

    const matches = (e: SimEmployee): boolean =>
      (status === undefined || e.status.toLowerCase() === status) &&
      (ids === undefined || ids.has(e.id)) &&
      textFilters.every(([name, value]) => (sortValue(e, name) ?? '').toLowerCase().includes(value));

    // Sorted by employee id the stored order is the answer; any other order is computed for this request.
    const byIdAscending = sortKeys.length === 1 && sortKeys[0]?.field === 'employeeId' && !sortKeys[0].desc;
    const ordered = byIdAscending
      ? this.state.employees
      : [...this.state.employees].sort((a, b) => compareBy(a, b, sortKeys));

    const after = single(query['page[after]']);
    const before = single(query['page[before]']);
    let start = 0;
    let end = ordered.length;
    for (const [cursor, direction] of [
      [after, 'after'],
      [before, 'before'],
    ] as const) {
      if (cursor === undefined) continue;
      const boundary = decodeCursor(cursor, direction);
      const employee = boundary === undefined ? undefined : this.state.byId.get(boundary);
      // "BadPage when the page cursor is malformed, the wrong cursor direction is supplied, or the boundary
      // employee changed between calls (was deleted or no longer matches the filter)" (list-employees, 400).
      if (!employee || !matches(employee)) {
        const message = 'The page cursor is not valid for this request.';
        return fail(res, 400, message, { error: { code: 'BadPage', message } });
      }
      const position = byIdAscending ? this.state.indexAfter(employee.id) - 1 : ordered.indexOf(employee);
      if (direction === 'after') start = position + 1;
      else end = position;
    }

    const data: SimEmployee[] = [];
    let total = 0;
    for (const e of ordered) if (matches(e)) total += 1;
    if (before !== undefined) {
      for (let i = end - 1; i >= 0 && data.length < limit; i -= 1) {
        const e = ordered[i];
        if (e && matches(e)) data.unshift(e);
      }
    } else {
      for (let i = start; i < end && data.length < limit; i += 1) {
        const e = ordered[i];
        if (e && matches(e)) data.push(e);
      }
    }
    const first = data[0];
    const last = data.at(-1);
    const hasMoreAfter =
      last !== undefined && anyMatch(ordered, ordered.indexOf(last) + 1, ordered.length, matches);
    const hasMoreBefore = first !== undefined && anyMatch(ordered, 0, ordered.indexOf(first), matches);
    const nextCursor = hasMoreAfter && last ? encodeCursor('after', last.id) : null;
    const prevCursor = hasMoreBefore && first ? encodeCursor('before', first.id) : null;
    const self = `${origin(req)}${req.originalUrl}`;
    const link = (name: string, value: string): string => {
      const url = new URL(self);
      url.searchParams.delete('page[after]');
      url.searchParams.delete('page[before]');
      url.searchParams.set(`page[${name}]`, value);
      return url.toString();
    };
    res.json({
      data: data.map((e) => this.listItem(e, extra)),
      meta: { total, page: { limit, nextCursor, prevCursor } },
      _links: {
        self: { href: self },
        ...(nextCursor ? { next: { href: link('after', nextCursor) } } : {}),
        ...(prevCursor ? { prev: { href: link('before', prevCursor) } } : {}),
      },
    });
  }

  private listItem(e: SimEmployee, extra: readonly string[]): Record<string, unknown> {
    const item: Record<string, unknown> = {
      employeeId: String(e.id),
      firstName: e.firstName,
      lastName: e.lastName,
      preferredName: e.preferredName,
      photoUrl: null,
      jobTitleName: e.jobTitle || null,
      status: e.status,
      _restrictedFields: [],
    };
    for (const field of extra) item[field] = optionalField(this.state, e, field);
    return item;
  }

  private directory(req: Request, res: Response): void {
    if (!acceptsJson(req)) return fail(res, 406, 'The simulator answers JSON only');
    const today = this.now().toISOString().slice(0, 10);
    const onlyCurrent = single((req.query as Record<string, string>).onlyCurrent) !== 'false';
    const fields = [
      ['displayName', 'text', 'Display name'],
      ['firstName', 'text', 'First name'],
      ['lastName', 'text', 'Last name'],
      ['preferredName', 'text', 'Preferred name'],
      ['jobTitle', 'list', 'Job title'],
      ['workPhone', 'text', 'Work Phone'],
      ['mobilePhone', 'text', 'Mobile Phone'],
      ['workEmail', 'email', 'Work Email'],
      ['department', 'list', 'Department'],
      ['location', 'list', 'Location'],
      ['division', 'list', 'Division'],
      ['supervisor', 'employee', 'Supervisor'],
      ['photoUrl', 'url', 'Employee photo'],
      ['canUploadPhoto', 'bool', 'Can upload photo'],
    ] as const;
    const employees = this.state.employees
      .filter((e) => e.status === 'Active' && (!onlyCurrent || e.hireDate <= today))
      .map((e) => {
        const row: Record<string, unknown> = { id: String(e.id) };
        for (const [id] of fields) {
          row[id] =
            id === 'photoUrl'
              ? null
              : id === 'canUploadPhoto'
                ? 0
                : (SIM_FIELDS_BY_NAME.get(id)?.read(e, this.state) ?? null);
        }
        return row;
      });
    if (employees.length === 0) return fail(res, 404, 'The directory is empty');
    res.json({ fields: fields.map(([id, type, name]) => ({ id, type, name })), employees });
  }

  private changed(req: Request, res: Response): void {
    const query = req.query as Record<string, string | undefined>;
    const since = query.since === undefined ? Number.NaN : Date.parse(query.since);
    if (Number.isNaN(since)) return fail(res, 400, 'The since parameter must be an ISO 8601 timestamp');
    const type = query.type ?? 'all';
    if (!['inserted', 'updated', 'deleted', 'all'].includes(type))
      return fail(res, 400, 'Invalid type parameter');
    const entries = this.state
      .changedSince(since)
      .filter((entry) => type === 'all' || entry.action.toLowerCase() === type);
    let latest = new Date(since).toISOString();
    const employees: Record<string, { id: string; action: string; lastChanged: string }> = {};
    for (const entry of entries) {
      employees[String(entry.id)] = {
        id: String(entry.id),
        action: entry.action,
        lastChanged: entry.lastChanged,
      };
      if (entry.lastChanged > latest) latest = entry.lastChanged;
    }
    res.json({ latest, employees });
  }

  private getEmployee(req: Request, res: Response): void {
    if (!acceptsJson(req)) return fail(res, 406, 'The simulator answers JSON only');
    const idParam = req.params.id ?? '';
    // "The special employee ID of zero (0) means to use the employee ID associated with the API key."
    const id = idParam === '0' ? (this.state.employees[0]?.id ?? 0) : Number(idParam);
    const employee = Number.isInteger(id) ? this.state.byId.get(id) : undefined;
    if (!employee) return fail(res, 404, 'Employee not found');
    const names = (single((req.query as Record<string, string>).fields) ?? 'firstName,lastName')
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean);
    if (names.length > 400) return fail(res, 400, 'At most 400 fields may be requested');
    const out: Record<string, unknown> = { id: String(employee.id) };
    for (const name of names) {
      const field = SIM_FIELDS_BY_NAME.get(name);
      if (field) out[name] = field.read(employee, this.state);
    }
    res.json(out);
  }

  private customReport(req: Request, res: Response): void {
    const format = single((req.query as Record<string, string>).format)?.toLowerCase();
    const accept = req.headers.accept;
    if (format === undefined && accept !== 'application/json') {
      // "If format is omitted … any other Accept value (including application/xml and */*) will return 404."
      return fail(res, 404, 'Report format not found');
    }
    if (format !== undefined && !['json', 'xml', 'csv', 'xls', 'pdf'].includes(format)) {
      return fail(res, 404, 'Report format not found');
    }
    if (format !== undefined && format !== 'json')
      return fail(res, 501, 'The simulator renders JSON reports only');
    // "set Content-Type: application/json exactly — any variation … will be parsed as XML" (request-custom-report).
    if (req.headers['content-type'] !== 'application/json') return fail(res, 400, 'Malformed XML');
    let definition: unknown;
    try {
      definition = JSON.parse(typeof req.body === 'string' ? req.body : '');
    } catch {
      return fail(res, 400, 'Malformed JSON');
    }
    if (typeof definition !== 'object' || definition === null) return fail(res, 400, 'Malformed JSON');
    const { fields, filters, title } = definition as { fields?: unknown; filters?: unknown; title?: unknown };
    if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string')) {
      return fail(res, 400, 'fields must be an array of field ids');
    }
    if (fields.length > 400) return fail(res, 400, 'At most 400 fields may be requested');
    const filter = (filters ?? {}) as {
      employeeIds?: unknown;
      lastChanged?: { value?: unknown; includeNull?: unknown };
    };
    const wanted = Array.isArray(filter.employeeIds) ? new Set(filter.employeeIds.map(Number)) : undefined;
    const changedFrom =
      typeof filter.lastChanged?.value === 'string' ? Date.parse(filter.lastChanged.value) : Number.NaN;
    // "Field IDs … that are unknown … are silently omitted from the report."
    const known = fields.flatMap((name) => {
      const field = SIM_FIELDS_BY_NAME.get(name);
      return field ? [{ name, field }] : [];
    });
    const source = wanted
      ? [...wanted].flatMap((id) => {
          const e = this.state.byId.get(id);
          return e ? [e] : [];
        })
      : this.state.employees;
    const employees = source
      .filter((e) => Number.isNaN(changedFrom) || Date.parse(e.lastChanged) >= changedFrom)
      .map((e) => {
        const row: Record<string, string> = { id: String(e.id) };
        for (const { name, field } of known) row[name] = reportValue(field.type, field.read(e, this.state));
        return row;
      });
    res.json({
      title: typeof title === 'string' ? title : 'Report',
      fields: known.map(({ name, field }) => ({ id: name, type: field.type, name: field.name })),
      employees,
    });
  }

  private write<T>(res: Response, action: () => T): T | undefined {
    try {
      return action();
    } catch (error) {
      if (error instanceof SimStateError) {
        fail(res, error.status, error.message);
        return undefined;
      }
      throw error;
    }
  }
}

/** Starts a simulator and returns what `junction simulate` and the conformance harness need. */
export async function startBambooHrSimulator(
  options: BambooHrSimulatorOptions & { port?: number; host?: string },
): Promise<{ simulator: BambooHrSimulator; handle: SimulatorHandle }> {
  const simulator = new BambooHrSimulator(options);
  const handle = await simulator.start(options.port ?? 0, options.host ?? '127.0.0.1');
  return { simulator, handle };
}

/** Optional fields of list-employees (`EmployeeOptionalField`) this simulator fills. */
const OPTIONAL_FIELDS = new Set([
  'workEmail',
  'mobilePhone',
  'workPhone',
  'hireDate',
  'divisionName',
  'divisionId',
  'departmentName',
  'departmentId',
  'locationName',
  'locationId',
  'employmentStatusName',
  'reportsToName',
  'reportsToId',
  'middleName',
  'homeEmail',
  'bestEmail',
  'jobTitleId',
]);

function optionalField(state: BambooHrState, e: SimEmployee, name: string): string | null {
  switch (name) {
    case 'workEmail':
    case 'bestEmail':
      return e.workEmail;
    case 'mobilePhone':
      return e.mobilePhone;
    case 'workPhone':
      return e.workPhone;
    case 'hireDate':
      return e.hireDate;
    case 'divisionName':
      return state.optionName('division', e.divisionId);
    case 'divisionId':
      return String(e.divisionId);
    case 'departmentName':
      return state.optionName('department', e.departmentId);
    case 'departmentId':
      return String(e.departmentId);
    case 'locationName':
      return state.optionName('location', e.locationId);
    case 'locationId':
      return String(e.locationId);
    case 'employmentStatusName':
      return e.employmentHistoryStatus;
    case 'reportsToId':
      return e.supervisorId === null ? null : String(e.supervisorId);
    case 'reportsToName': {
      const boss = e.supervisorId === null ? undefined : state.byId.get(e.supervisorId);
      return boss ? `${boss.preferredName ?? boss.firstName} ${boss.lastName}` : null;
    }
    default:
      return null;
  }
}

/** Custom-report values are strings (RequestCustomReportResponse); empty dates read "0000-00-00" as BambooHR's do. */
function reportValue(type: string, value: string | null): string {
  if (value !== null) return value;
  return type === 'date' ? '0000-00-00' : '';
}

function sortValue(e: SimEmployee, field: Sortable | 'jobTitleName'): string | null {
  switch (field) {
    case 'employeeId':
      return String(e.id);
    case 'jobTitleName':
      return e.jobTitle;
    default:
      return e[field];
  }
}

function compareBy(a: SimEmployee, b: SimEmployee, keys: { desc: boolean; field: string }[]): number {
  for (const key of keys) {
    let order: number;
    if (key.field === 'employeeId') order = a.id - b.id;
    else {
      const x = sortValue(a, key.field as Sortable);
      const y = sortValue(b, key.field as Sortable);
      // "Nulls sort first in ascending order and last in descending order."
      order = x === y ? 0 : x === null ? -1 : y === null ? 1 : x.localeCompare(y);
    }
    if (order !== 0) return key.desc ? -order : order;
  }
  return a.id - b.id;
}

function anyMatch(
  list: readonly SimEmployee[],
  from: number,
  to: number,
  matches: (e: SimEmployee) => boolean,
): boolean {
  for (let i = from; i < to; i += 1) {
    const e = list[i];
    if (e && matches(e)) return true;
  }
  return false;
}

/** Cursors look like the document's example: base64 of {"cursor": "after-124"}. */
function encodeCursor(direction: 'after' | 'before', id: number): string {
  return Buffer.from(JSON.stringify({ cursor: `${direction}-${id}` })).toString('base64');
}

function decodeCursor(cursor: string, direction: 'after' | 'before'): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { cursor?: unknown };
    const match = typeof parsed.cursor === 'string' ? /^(after|before)-(\d+)$/.exec(parsed.cursor) : null;
    return match && match[1] === direction ? Number(match[2]) : undefined;
  } catch {
    return undefined;
  }
}

/** Error statuses carry the detail in X-BambooHR-Error-Message (Technical Overview, "Standard HTTP Responses"). */
function fail(res: Response, status: number, message: string, json?: unknown): void {
  res.status(status).set('x-bamboohr-error-message', message);
  if (json === undefined) res.end();
  else res.json(json);
}

function basicUser(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? decoded : decoded.slice(0, colon);
}

function single(value: unknown): string | undefined {
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function body(req: Request): Record<string, unknown> {
  return typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
}

function isJson(req: Request): boolean {
  return /^application\/json\b/.test(req.headers['content-type'] ?? '');
}

function acceptsJson(req: Request): boolean {
  const accept = req.headers.accept ?? '*/*';
  return /application\/json|\*\/\*/.test(accept);
}

function origin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
