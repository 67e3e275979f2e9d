import axios from 'axios';
import { createLogger } from '../../core/logger.js';
import type { ConnectorContext } from '../kit/contract.js';
import { OpenApiValidator } from '../kit/conformance/openapi-validator.js';
import { readAll } from '../kit/conformance/read-all.js';
import type { Exchange } from '../kit/simulator/exchange-recorder.js';
import { bambooHrConfigSchema, type BambooHrConfig } from './config.js';
import { BambooHrConnector } from './connector.js';
import { BambooHrSimulator, defaultApiKey } from './simulator.js';

const SPEC = new URL('./spec/public.yaml', import.meta.url);

/**
 * Every answer the simulator gives — to the connector and to direct calls covering each route, errors, 429s and
 * 5xx included — is validated against BambooHR's own OpenAPI document, and so is every request the connector
 * sends (parameters, request bodies).
 */
describe('BambooHR simulator against public.yaml', () => {
  let simulator: BambooHrSimulator;
  let url: string;
  let stop: () => Promise<void>;
  let validator: OpenApiValidator;
  const auth = { username: defaultApiKey(5), password: 'x' };

  beforeAll(async () => {
    validator = await OpenApiValidator.load(SPEC.pathname, {
      // The Technical Overview lists these for every endpoint; few operations of the document repeat them.
      genericStatuses: [401, 403, 404, 429, 500, 502, 503],
      // "Comma-separated list of additional fields" although the schema is an array without explode: false.
      commaSeparated: new Set(['fields']),
      // `page` is allOf [CursorPaginationQueryObject (after: string, limit ≤ 100), the employee override (after:
      // integer, limit ≤ 2500)], which no cursor can satisfy; the employee-specific object is the intended one,
      // with the string cursors the response documents (meta.page.nextCursor is a string).
      parameterOverrides: {
        page: {
          type: 'object',
          properties: {
            after: { type: 'string' },
            before: { type: 'string' },
            limit: { type: 'integer', minimum: 1, maximum: 2500 },
          },
          additionalProperties: false,
        },
      },
      normalizePath: (path) => path.replace(/^\/api\/gateway\.php\/[^/]+\/v1\//, '/api/v1/'),
    });
    simulator = new BambooHrSimulator({ people: 2000, seed: 5 });
    const handle = await simulator.start();
    url = handle.url;
    stop = handle.stop;
    simulator.server.recorder.enabled = true;
  });
  afterAll(() => stop());

  function connector(config: Partial<BambooHrConfig> = {}): BambooHrConnector {
    const parsed = bambooHrConfigSchema.parse({ ...simulator.connectionConfig(url), ...config });
    const ctx: ConnectorContext<BambooHrConfig> = {
      connectionId: `openapi-${Math.random()}`,
      config: parsed,
      log: createLogger({ level: 'silent' }),
    };
    return new BambooHrConnector(ctx);
  }

  function problems(exchanges: readonly Exchange[], options: { request?: boolean } = {}): string[] {
    return exchanges.flatMap((exchange) => validator.validate(exchange, options));
  }

  it('answers the connector as documented, and the connector asks as documented', async () => {
    simulator.server.recorder.clear();
    const instance = connector();
    await instance.check();
    const full = await readAll(instance.readPeople.bind(instance), { pageSize: 400 });
    expect(full.items).toHaveLength(2000);
    simulator.state.update(3, { jobTitle: 'Architect' });
    await readAll(instance.readPeople.bind(instance), {
      pageSize: 400,
      changedSince: full.watermark ?? null,
    });
    await instance.readDepartments({ cursor: null });
    await connector({ apiKey: 'wrong' })
      .check()
      .catch(() => undefined);
    const seen = simulator.server.recorder.exchanges;
    expect(seen.length).toBeGreaterThan(10);
    expect(problems(seen)).toEqual([]);
  });

  it('answers every route, its errors, throttling and failures as documented', async () => {
    const http = axios.create({ baseURL: url, auth, validateStatus: () => true });
    const gateway = axios.create({
      baseURL: `${url}/api/gateway.php/${simulator.companyDomain}`,
      auth,
      validateStatus: () => true,
    });
    const json = { headers: { 'content-type': 'application/json' } };
    simulator.server.recorder.clear();

    const listed = await http.get('/api/v1/employees', {
      params: {
        'page[limit]': 50,
        fields: 'workEmail,departmentName,reportsToId,divisionId,locationId,jobTitleId',
        'filter[status]': 'active',
        sort: '-lastName',
      },
    });
    expect(listed.status).toBe(200);
    const next = await http.get('/api/v1/employees', {
      params: {
        'page[limit]': 50,
        'page[after]': listed.data.meta.page.nextCursor,
        'filter[status]': 'active',
        sort: '-lastName',
      },
    });
    expect(next.data.data[0].employeeId).not.toBe(listed.data.data[0].employeeId);
    const byIds = await http.get('/api/v1/employees?filter[ids][]=1&filter[ids][]=2&filter[ids][]=3');
    expect(byIds.data.data).toHaveLength(3);
    const badPage = await http.get('/api/v1/employees', { params: { 'page[after]': 'not-a-cursor' } });
    expect(badPage.data.error.code).toBe('BadPage');
    expect((await http.get('/api/v1/employees/directory')).status).toBe(200);
    const one = await http.get('/api/v1/employees/7', {
      params: {
        fields: 'firstName,lastName,employeeNumber,department,hireDate,terminationDate,supervisorEId',
      },
    });
    expect(one.data.employeeNumber).toBe('E000007');
    expect((await http.get('/api/v1/employees/999999')).status).toBe(404);
    const hired = await http.post('/api/v1/employees', {
      firstName: 'Ada',
      lastName: 'Lovelace',
      workEmail: 'ada@acme.example.com',
      department: 'Head Office',
    });
    expect(hired.status).toBe(201);
    const hiredId = String(hired.headers.location).split('/').pop();
    const left = await http.post(`/api/v1/employees/${hiredId}`, {
      status: 'Inactive',
      terminationDate: '2026-01-31',
    });
    expect(left.status).toBe(200);
    const duplicate = await http.post('/api/v1/employees', {
      firstName: 'Ada',
      lastName: 'Again',
      workEmail: 'ada@acme.example.com',
    });
    expect(duplicate.status).toBe(409);
    const changed = await http.get('/api/v1/employees/changed', {
      params: { since: '2026-01-01T00:00:00Z', type: 'inserted' },
    });
    expect(Object.keys(changed.data.employees)).toContain(hiredId);
    const report = await http.post(
      '/api/v1/reports/custom?format=json',
      {
        title: 'r',
        fields: ['employeeNumber', 'terminationDate', 'nonsense'],
        filters: { employeeIds: [1, 2] },
      },
      json,
    );
    expect(report.data.employees).toHaveLength(2);
    expect(report.data.fields.map((f: { id: string }) => f.id)).toEqual([
      'employeeNumber',
      'terminationDate',
    ]);
    expect((await http.get('/api/v1/meta/fields')).status).toBe(200);
    expect((await gateway.get('/v1/meta/lists', { params: { format: 'json' } })).status).toBe(200);
    const badKey = await http.get('/api/v1/meta/lists', { auth: { username: 'bad', password: 'x' } });
    expect([badKey.status, badKey.headers['x-bamboohr-error-message']]).toEqual([401, 'Invalid API key']);
    simulator.faults.set({ next429: 1 });
    const limited = await http.get('/api/v1/meta/fields');
    expect([limited.status, limited.headers['retry-after']]).toEqual([429, '1']);
    simulator.faults.set({ burst5xx: 1 });
    expect((await http.get('/api/v1/employees')).status).toBe(500);
    simulator.faults.reset();
    expect(problems(simulator.server.recorder.exchanges)).toEqual([]);

    // Requests wrong on purpose: only the vendor's answers to them are checked against the document.
    simulator.server.recorder.clear();
    const legacyIds = await http.get('/api/v1/employees', { params: { 'filter[ids]': '1,2,3' } });
    expect(legacyIds.data.data).toHaveLength(3);
    const tooMany = await http.get('/api/v1/employees', { params: { 'page[limit]': 5000 } });
    expect(tooMany.data.error.code).toBe('BadRequest');
    expect((await http.post('/api/v1/employees', { firstName: 'No last name' })).status).toBe(400);
    expect((await http.get('/api/v1/employees/changed')).status).toBe(400);
    const charset = await http.post('/api/v1/reports/custom?format=json', '{}', {
      headers: { 'content-type': 'application/json; charset=UTF-8' },
    });
    expect([charset.status, charset.headers['x-bamboohr-error-message']]).toEqual([400, 'Malformed XML']);
    expect(problems(simulator.server.recorder.exchanges, { request: false })).toEqual([]);
    expect(problems(simulator.server.recorder.exchanges).length).toBeGreaterThanOrEqual(3);
  });

  it('finds a simulator answer that breaks the schema (the check can fail)', () => {
    const broken: Exchange = {
      method: 'GET',
      path: '/api/v1/employees',
      query: { 'page[limit]': '10', 'page[lmit]': '3' },
      requestHeaders: {},
      requestBody: undefined,
      status: 200,
      responseHeaders: {},
      responseBody: { data: [{ employeeId: 12 }], meta: { total: 1 } },
    };
    const found = validator.validate(broken).join('\n');
    expect(found).toContain('lmit');
    expect(found).toContain('response 200');
  });
});
