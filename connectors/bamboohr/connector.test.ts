import { createHmac } from 'node:crypto';
import { createLogger } from '../../core/logger.js';
import { readAll } from '../kit/conformance/read-all.js';
import type { ConnectorContext, SourcePerson } from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import { bambooHrConfigSchema, type BambooHrConfig } from './config.js';
import { BambooHrConnector } from './connector.js';
import { BambooHrSimulator } from './simulator.js';

/** Behaviour beyond the shared conformance suite: BambooHR's own edges, against its simulator. */
describe('BambooHR connector', () => {
  let simulator: BambooHrSimulator;
  let url: string;
  let stop: () => Promise<void>;
  let seq = 0;

  beforeAll(async () => {
    simulator = new BambooHrSimulator({ people: 1500, seed: 9 });
    const handle = await simulator.start();
    url = handle.url;
    stop = handle.stop;
  });
  afterAll(() => stop());
  afterEach(() => simulator.faults.reset());

  function connector(config: Partial<BambooHrConfig> = {}): BambooHrConnector {
    const ctx: ConnectorContext<BambooHrConfig> = {
      connectionId: `bamboohr-test-${++seq}`,
      config: bambooHrConfigSchema.parse({ ...simulator.connectionConfig(url), ...config }),
      log: createLogger({ level: 'silent' }),
    };
    return new BambooHrConnector(ctx);
  }

  it('maps every field the issue asks for, leavers included', async () => {
    const instance = connector();
    const all = await readAll(instance.readPeople.bind(instance), { pageSize: 500 });
    const byId = new Map(all.items.map((p) => [p.externalId, p]));
    const stored = simulator.state.byId.get(42);
    const person = byId.get('42');
    expect(stored && person).toBeTruthy();
    expect(person).toMatchObject({
      employeeNumber: stored?.employeeNumber,
      email: stored?.workEmail,
      jobTitle: stored?.jobTitle,
      departmentExternalId: String(stored?.departmentId),
      division: simulator.state.optionName('division', stored?.divisionId ?? 0),
      managerExternalId: String(stored?.supervisorId),
      hireDate: stored?.hireDate,
      rank: stored?.customRank,
      grade: stored?.customGrade,
      costCenter: stored?.customCostCenter,
    } satisfies Partial<SourcePerson>);
    const leavers = all.items.filter((p) => p.status === 'leaver');
    expect(leavers.length).toBe(simulator.state.employees.filter((e) => e.status === 'Inactive').length);
    expect(leavers.every((p) => p.terminationDate !== null)).toBe(true);
    const cjk = all.items.find((p) => /^[\u4e00-\u9fff]+$/.test(p.displayName));
    expect(cjk?.displayName).toBe(`${cjk?.familyName}${cjk?.givenName}`);
  });

  it('reads inserted, updated and deleted employees incrementally, with deletions as removed ids', async () => {
    const instance = connector();
    const first = await instance.readPeople({ cursor: null, pageSize: 100 });
    const hired = simulator.state.create({
      firstName: 'Grace',
      lastName: 'Hopper',
      workEmail: 'grace.hopper@acme.example.com',
      department: simulator.state.lists.department.options[3]?.name,
      employeeNumber: 'E900001',
    });
    simulator.state.update(10, { department: simulator.state.lists.department.options[5]?.name });
    simulator.state.update(11, { status: 'Inactive', terminationDate: '2026-02-28' });
    simulator.state.remove(12);
    const changed = await readAll(instance.readPeople.bind(instance), {
      pageSize: 2,
      changedSince: first.watermark ?? null,
    });
    expect(changed.items.map((p) => p.externalId).sort()).toEqual(['10', '11', String(hired.id)].sort());
    expect(changed.removed).toEqual(['12']);
    expect(changed.pages).toBe(2);
    expect(changed.items.find((p) => p.externalId === '11')).toMatchObject({
      status: 'leaver',
      terminationDate: '2026-02-28',
    });
    expect(changed.items.find((p) => p.externalId === String(hired.id))?.employeeNumber).toBe('E900001');
  });

  it('resumes when BambooHR refuses its cursor because the boundary employee was deleted', async () => {
    const instance = connector();
    const first = await instance.readPeople({ cursor: null, pageSize: 300 });
    const boundary = first.items.at(-1);
    expect(boundary).toBeDefined();
    simulator.state.remove(Number(boundary?.externalId));
    const rest = await readAll(instance.readPeople.bind(instance), {
      pageSize: 300,
      cursor: first.nextCursor,
    });
    const ids = [...first.items, ...rest.items].map((p) => p.externalId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(simulator.state.employees.length + 1);
  });

  it('honours the 503 + Retry-After throttling BambooHR used before 429', async () => {
    const legacy = new BambooHrSimulator({ people: 50, seed: 2, legacyThrottle503: true });
    const handle = await legacy.start();
    try {
      legacy.faults.set({ next429: 1, retryAfterSeconds: 1 });
      const instance = new BambooHrConnector({
        connectionId: 'legacy-503',
        config: bambooHrConfigSchema.parse(legacy.connectionConfig(handle.url)),
        log: createLogger({ level: 'silent' }),
      });
      const started = Date.now();
      const page = await instance.readPeople({ cursor: null });
      expect(page.items).toHaveLength(50);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(legacy.faults.stats.injected429).toBe(1);
    } finally {
      await handle.stop();
    }
  });

  it('says which fields the API user cannot see', async () => {
    const report = await connector({ extraFields: ['customShoeSize'] }).check();
    expect(report.message).toContain('customShoeSize');
    expect(report.details?.hiddenFields).toEqual(['customShoeSize']);
  });

  it('refuses a cursor it did not write, and a changed-since that is not a time', async () => {
    const instance = connector();
    await expect(instance.readPeople({ cursor: 'garbage' })).rejects.toMatchObject({
      connectorCode: 'invalid_config',
      retryable: false,
    });
    await expect(instance.readPeople({ cursor: null, changedSince: 'yesterday' })).rejects.toBeInstanceOf(
      ConnectorError,
    );
  });

  it('verifies webhook signatures (HMAC-SHA256 of body + timestamp) and refuses forgeries and replays', () => {
    const instance = connector({ webhookPrivateKey: 'whsec-test' });
    const body = Buffer.from(JSON.stringify({ type: 'employee.updated', data: { employeeId: '42' } }));
    const sign = (timestamp: string, key = 'whsec-test') =>
      createHmac('sha256', key)
        .update(Buffer.concat([body, Buffer.from(timestamp)]))
        .digest('hex');
    const now = String(Math.floor(Date.now() / 1000));
    const headers = (timestamp: string, signature: string) => ({
      'x-bamboohr-timestamp': timestamp,
      'x-bamboohr-signature': signature,
    });
    expect(instance.verifyWebhook({ headers: headers(now, sign(now)), rawBody: body })).toEqual({
      deliveryId: sign(now),
    });
    expect(instance.verifyWebhook({ headers: headers(now, sign(now, 'other')), rawBody: body })).toBeNull();
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    expect(instance.verifyWebhook({ headers: headers(old, sign(old)), rawBody: body })).toBeNull();
    expect(connector().verifyWebhook({ headers: headers(now, sign(now)), rawBody: body })).toBeNull();
  });
});
