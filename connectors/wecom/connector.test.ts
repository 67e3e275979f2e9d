import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createLogger } from '../../core/logger.js';
import type { AccountInput, TargetAccount } from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import { readAll } from '../kit/conformance/read-all.js';
import { Errcode } from './api/errcodes.js';
import { WeComClient } from './client.js';
import { WeComConnector, type WeComConnectorOptions } from './connector.js';
import { DEPARTMENT_ID_CANDIDATES, departmentIdCandidate, departmentIdFor } from './department-id.js';
import { wecomConnector, wecomConfigSchema } from './index.js';
import { DEFAULT_CORP_ID, DEFAULT_SECRET, WeComSimulator, type WeComSimulatorOptions } from './simulator.js';

const log = createLogger({ level: 'silent' });
let connection = 0;

/** The connector against a running simulator, with fast retries so faults cost milliseconds. */
async function setup(
  simOptions: WeComSimulatorOptions = {},
  overrides: Partial<WeComConnectorOptions> & { corpSecret?: string } = {},
): Promise<{ sim: WeComSimulator; connector: WeComConnector }> {
  const sim = new WeComSimulator({
    secrets: { [DEFAULT_SECRET]: 'contacts', 'read-only': 'contacts_readonly', 'app-secret': 'app' },
    ...simOptions,
  });
  const { url } = await sim.start();
  connection += 1;
  const client = new WeComClient({
    baseUrl: url,
    corpId: DEFAULT_CORP_ID,
    corpSecret: overrides.corpSecret ?? DEFAULT_SECRET,
    connectionId: `wecom-test-${connection}`,
    log,
    rateLimit: { requestsPerSecond: 2000, burst: 2000 },
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
  });
  const connector = new WeComConnector(client, {
    corpId: DEFAULT_CORP_ID,
    rootDepartmentId: 1,
    useridFrom: 'correlationId',
    emailField: 'email',
    invite: false,
    matchByEmail: false,
    memberListing: 'list_id',
    ...overrides,
  });
  return { sim, connector };
}

const failureOf = async (promise: Promise<unknown>): Promise<ConnectorError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
};

const account = (n: number, overrides: Partial<AccountInput> = {}): AccountInput => ({
  correlationId: `P${n}`,
  userName: `person.${n}`,
  email: `person.${n}@example.com`,
  displayName: `Person ${n}`,
  active: true,
  attributes: {},
  ...overrides,
});

describe('WeCom connector against the simulator', () => {
  const sims: WeComSimulator[] = [];
  const open = async (...args: Parameters<typeof setup>) => {
    const pair = await setup(...args);
    sims.push(pair.sim);
    return pair;
  };
  afterEach(async () => {
    await Promise.all(sims.splice(0).map((sim) => sim.stop()));
  });

  describe('reading members', () => {
    it('lists every member once across pages, a member with several departments straddling a page boundary', async () => {
      const { sim, connector } = await open({ people: 50 });
      const departments = sim.tree.childIds(1).slice(0, 3);
      // E000005 sits in four departments: with 7 rows a page its rows cross a boundary.
      expect(sim.members.update({ userid: 'E000005', department: [1, ...departments] }).ok).toBe(true);
      const member = sim.members.get('E000005')!;
      const result = await readAll<TargetAccount>(connector.listAccounts, { pageSize: 7 });
      const ids = result.items.map((a) => a.externalId);
      expect(result.pages).toBeGreaterThan(7);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(50);
      expect(result.items.find((a) => a.externalId === 'E000005')?.departmentExternalIds).toEqual(
        member.department.map(String),
      );
    });

    it('survives an injected 45009, a burst of 5xx and an expired token in the middle of a read', async () => {
      const { sim, connector } = await open({ people: 60 });
      const result = await readAll<TargetAccount>(
        connector.listAccounts,
        { pageSize: 10 },
        {
          afterPage: (_page, index) => {
            if (index === 1) sim.faults.set({ next429: 2, burst5xx: 2 });
            if (index === 3) sim.expireTokens();
            if (index === 4) sim.revokeTokens();
          },
        },
      );
      expect(sim.faults.stats).toMatchObject({ injected429: 2, injected5xx: 2 });
      expect(new Set(result.items.map((a) => a.externalId)).size).toBe(60);
      expect(sim.calls.get('/gettoken')).toBe(3);
    });

    it('resumes from a cursor in a fresh instance', async () => {
      const { sim, connector } = await open({ people: 40 });
      const first = await readAll<TargetAccount>(connector.listAccounts, { pageSize: 15 }, { maxPages: 1 });
      // A fresh instance against the same simulator, as another activity would open: a new token, the same corp.
      const other = new WeComConnector(
        new WeComClient({
          baseUrl: sim.url,
          corpId: DEFAULT_CORP_ID,
          corpSecret: DEFAULT_SECRET,
          connectionId: 'wecom-resume',
          log,
          rateLimit: { requestsPerSecond: 2000, burst: 2000 },
        }),
        {
          corpId: DEFAULT_CORP_ID,
          rootDepartmentId: 1,
          useridFrom: 'correlationId',
          emailField: 'email',
          invite: false,
          matchByEmail: false,
          memberListing: 'list_id',
        },
      );
      const rest = await readAll<TargetAccount>(other.listAccounts, {
        pageSize: 15,
        cursor: first.nextCursor,
      });
      const ids = [...first.items, ...rest.items].map((a) => a.externalId);
      expect(new Set(ids).size).toBe(40);
      await expect(other.listAccounts({ cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({
        connectorCode: 'vendor_error',
      });
    });

    it('lists only the members below the configured root department', async () => {
      const { sim, connector } = await open({ people: 80 }, { rootDepartmentId: 2 });
      const inScope = new Set(sim.tree.subtree(2).map((d) => d.id));
      const expected = sim.members.all().filter((u) => u.department.some((id) => inScope.has(id))).length;
      const result = await readAll<TargetAccount>(connector.listAccounts, { pageSize: 25 });
      expect(expected).toBeGreaterThan(0);
      expect(result.items).toHaveLength(expected);
    });

    it('lists by department with one call per department, each member once', async () => {
      const { sim, connector } = await open({ people: 120 }, { memberListing: 'department' });
      const member = sim.members.get('E000007')!;
      const departments = [...new Set([...member.department, ...sim.tree.childIds(1).slice(0, 2)])];
      expect(sim.members.update({ userid: 'E000007', department: departments }).ok).toBe(true);
      const result = await readAll<TargetAccount>(connector.listAccounts, { pageSize: 20 });
      const ids = result.items.map((a) => a.externalId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(120);
      expect(result.pages).toBeGreaterThanOrEqual(3);
      expect(sim.calls.get('/user/get')).toBeUndefined();
      expect(sim.calls.get('/user/list')).toBe(sim.tree.size);
    });

    it('says what to do when the corp may no longer list by department', async () => {
      const { connector } = await open({ people: 5, legacyListApis: false }, { memberListing: 'department' });
      const failure = await failureOf(connector.listAccounts({ cursor: null }));
      expect(failure).toMatchObject({
        connectorCode: 'permission_denied',
        vendorCode: String(Errcode.apiForbidden),
      });
    });

    it('hands a 45009 that outlasts the retries to the engine as rate_limited with the documented block time', async () => {
      const { sim, connector } = await open({ people: 5 });
      sim.frequency.limits = { perMinute: 1, perHour: 100 };
      const failure = await failureOf(readAll<TargetAccount>(connector.listAccounts, { pageSize: 5 }));
      expect(failure).toMatchObject({
        connectorCode: 'rate_limited',
        retryable: true,
        retryAfterMs: 60_000,
        vendorCode: String(Errcode.apiFrequencyLimit),
      });
    });
  });

  describe('check()', () => {
    it('reports what it verified', async () => {
      const { connector } = await open();
      const report = await connector.check();
      expect(report.message).toMatch(/corp ww0000000000000001.*department 1/);
    });

    it('names the fix for a secret without edit rights, an application secret, an untrusted IP and a missing root', async () => {
      const readOnly = await failureOf((await open({}, { corpSecret: 'read-only' })).connector.check());
      expect(readOnly).toMatchObject({ connectorCode: 'permission_denied', retryable: false });
      expect(readOnly.publicMessage).toMatch(/Contacts Sync secret/);
      const app = await failureOf((await open({}, { corpSecret: 'app-secret' })).connector.check());
      expect(app.connectorCode).toBe('permission_denied');
      const ip = await failureOf((await open({ trustedIps: ['203.0.113.7'] })).connector.check());
      expect(ip).toMatchObject({
        connectorCode: 'permission_denied',
        vendorCode: String(Errcode.ipNotAllowed),
      });
      expect(ip.publicMessage).toMatch(/trusted IPs/);
      const root = await failureOf((await open({}, { rootDepartmentId: 999 })).connector.check());
      expect(root).toMatchObject({ connectorCode: 'invalid_config' });
      expect(root.publicMessage).toMatch(/rootDepartmentId 999/);
    });

    it('never writes the secret or the access token to the debug log', async () => {
      const { sim } = await open();
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      });
      const instance = wecomConnector.create({
        connectionId: 'wecom-log',
        log: pino({ level: 'trace' }, sink),
        config: wecomConfigSchema.parse({
          corpId: DEFAULT_CORP_ID,
          corpSecret: DEFAULT_SECRET,
          baseUrl: sim.url,
        }),
      });
      await instance.check();
      const tokens = sim.currentTokens();
      const log = lines.join('');
      expect(log).toMatch(/gettoken/);
      expect(log).not.toContain(DEFAULT_SECRET);
      expect(tokens.length).toBeGreaterThan(0);
      for (const token of tokens) expect(log).not.toContain(token);
    });

    it('rejects a wrong corp id as auth_failed without retrying', async () => {
      const { sim } = await open();
      const instance = wecomConnector.create({
        connectionId: 'wecom-bad-corp',
        log,
        config: wecomConfigSchema.parse({ corpId: 'wwnope', corpSecret: DEFAULT_SECRET, baseUrl: sim.url }),
      });
      const failure = await failureOf(instance.check());
      expect(failure).toMatchObject({ connectorCode: 'auth_failed', retryable: false, vendorCode: '40013' });
      expect(sim.calls.get('/gettoken')).toBe(1);
    });
  });

  describe('writing members', () => {
    it('returns the existing member when the create is repeated, whatever WeCom reports first', async () => {
      const { sim, connector } = await open();
      const input = account(1, { attributes: { mobile: '+86 13900000001' } });
      const first = await connector.createAccount(input);
      // Same member again: WeCom reports the mobile / email as taken (60104 / 60106) before the userid.
      const again = await connector.createAccount(input);
      expect(again.externalId).toBe(first.externalId);
      // Only the email is the same (other mobile): still the same member, found by userid.
      const third = await connector.createAccount({ ...input, attributes: { mobile: '+86 13900000009' } });
      expect(third.externalId).toBe(first.externalId);
      expect(sim.members.size).toBe(1);
    });

    it('reports an email held by another member as a conflict and writes nothing', async () => {
      const { sim, connector } = await open();
      await connector.createAccount(account(1));
      const failure = await failureOf(connector.createAccount(account(2, { email: 'person.1@example.com' })));
      expect(failure).toMatchObject({ connectorCode: 'conflict', retryable: false, vendorCode: '60106' });
      expect(failure.publicMessage).toMatch(/user\/create P2.*email/);
      expect(sim.members.size).toBe(1);
    });

    it('moves a member between departments and disables it with enable: 0', async () => {
      const { sim, connector } = await open();
      const sales = await connector.upsertDepartment({
        correlationId: 'sales',
        name: 'Sales',
        parentExternalId: null,
      });
      const input = account(3, { departmentExternalIds: [sales.externalId] });
      const created = await connector.createAccount(input);
      expect(created.departmentExternalIds).toEqual([sales.externalId]);
      const updated = await connector.updateAccount(created.externalId, {
        ...input,
        departmentExternalIds: ['1'],
      });
      expect(updated.departmentExternalIds).toEqual(['1']);
      await connector.disableAccount(created.externalId);
      expect(sim.members.get('P3')?.enabled).toBe(false);
      expect((await connector.findAccount(input))?.active).toBe(false);
      const reenabled = await connector.updateAccount(created.externalId, input);
      expect(reenabled.active).toBe(true);
    });

    it('treats deleting a member already gone as done, and disabling one as not_found', async () => {
      const { connector } = await open();
      await expect(connector.deleteAccount('ghost')).resolves.toBeUndefined();
      expect(await failureOf(connector.disableAccount('ghost'))).toMatchObject({
        connectorCode: 'not_found',
        vendorCode: String(Errcode.useridNotFound),
      });
    });

    it('finds a member by email only when configured to', async () => {
      const { sim, connector } = await open({ people: 3 });
      const email = sim.members.get('E000002')!.email!;
      expect(await connector.findAccount({ correlationId: 'other', userName: 'x', email })).toBeNull();
      const { connector: byEmail } = await open({ people: 3 }, { matchByEmail: true });
      expect((await byEmail.findAccount({ correlationId: 'other', userName: 'x', email }))?.externalId).toBe(
        'E000002',
      );
    });
  });

  describe('writing departments', () => {
    it('creates at the id derived from the correlation id, renames and moves in place', async () => {
      const { sim, connector } = await open();
      const a = await connector.upsertDepartment({ correlationId: 'a', name: 'A', parentExternalId: null });
      expect(a.externalId).toBe(String(departmentIdFor('a')));
      const b = await connector.upsertDepartment({
        correlationId: 'b',
        name: 'B: Ops',
        parentExternalId: a.externalId,
        order: 4,
      });
      expect(sim.tree.get(Number(b.externalId))).toMatchObject({
        name: 'B： Ops',
        parentid: Number(a.externalId),
        order: 4,
      });
      const calls = sim.calls.get('/department/update') ?? 0;
      await connector.upsertDepartment({
        correlationId: 'b',
        name: 'B: Ops',
        parentExternalId: a.externalId,
        order: 4,
        externalId: b.externalId,
      });
      expect(sim.calls.get('/department/update') ?? 0).toBe(calls);
      const moved = await connector.upsertDepartment({
        correlationId: 'b',
        name: 'B2',
        parentExternalId: null,
        externalId: b.externalId,
      });
      expect(moved.externalId).toBe(b.externalId);
      expect(sim.tree.get(Number(b.externalId))).toMatchObject({ name: 'B2', parentid: 1 });
    });

    // Found by hashing dept-0…dept-30000: both keys' first-choice id is 1357267009.
    const COLLIDING = ['dept-157', 'dept-24189'] as const;

    it('gives two departments whose first-choice ids collide two ids, leaving the first one in place', async () => {
      const { sim, connector } = await open();
      const [first, second] = COLLIDING;
      expect(departmentIdFor(first)).toBe(departmentIdFor(second));
      const a = await connector.upsertDepartment({
        correlationId: first,
        name: 'Finance',
        parentExternalId: null,
      });
      const b = await connector.upsertDepartment({
        correlationId: second,
        name: 'Legal',
        parentExternalId: a.externalId,
      });
      expect(a.externalId).toBe(String(departmentIdFor(first)));
      expect(b.externalId).not.toBe(a.externalId);
      expect(b.externalId).toBe(String(departmentIdCandidate(second, 1)));
      expect(sim.tree.get(Number(a.externalId))).toMatchObject({ name: 'Finance', parentid: 1 });
      expect(sim.tree.get(Number(b.externalId))).toMatchObject({
        name: 'Legal',
        parentid: Number(a.externalId),
      });

      // A retried create (its answer lost, so no recorded id) finds the department it made; nothing is written.
      const writes = (sim.calls.get('/department/create') ?? 0) + (sim.calls.get('/department/update') ?? 0);
      const again = await connector.upsertDepartment({
        correlationId: second,
        name: 'Legal',
        parentExternalId: a.externalId,
      });
      expect(again.externalId).toBe(b.externalId);
      expect((sim.calls.get('/department/create') ?? 0) + (sim.calls.get('/department/update') ?? 0)).toBe(
        writes,
      );

      // Renames and moves go to the recorded id; the department at the shared first choice is never touched.
      await connector.upsertDepartment({
        correlationId: second,
        name: 'Legal & Compliance',
        parentExternalId: null,
        externalId: b.externalId,
      });
      expect(sim.tree.get(Number(b.externalId))).toMatchObject({ name: 'Legal & Compliance', parentid: 1 });
      expect(sim.tree.get(Number(a.externalId))).toMatchObject({ name: 'Finance', parentid: 1 });
      expect(sim.tree.size).toBe(3);
    });

    it('skips candidate ids held by departments made by hand and finds its own after the earlier one is freed', async () => {
      const { sim, connector } = await open();
      const key = 'ops';
      sim.tree.create({ name: 'Made by hand', parentid: 1, id: departmentIdCandidate(key, 0) });
      sim.tree.create({ name: 'Also by hand', parentid: 1, id: departmentIdCandidate(key, 1) });
      const ops = await connector.upsertDepartment({
        correlationId: key,
        name: 'Ops',
        parentExternalId: null,
      });
      expect(ops.externalId).toBe(String(departmentIdCandidate(key, 2)));
      expect(sim.tree.get(departmentIdCandidate(key, 0))?.name).toBe('Made by hand');
      expect(sim.tree.get(departmentIdCandidate(key, 1))?.name).toBe('Also by hand');

      // The first choice frees up; a retry without the recorded id must not make a second "Ops" (WeCom would
      // refuse the name anyway): it finds the one at the third candidate.
      expect(sim.tree.delete(departmentIdCandidate(key, 0)).ok).toBe(true);
      const retried = await connector.upsertDepartment({
        correlationId: key,
        name: 'Ops',
        parentExternalId: null,
      });
      expect(retried.externalId).toBe(ops.externalId);
      expect(sim.tree.has(departmentIdCandidate(key, 0))).toBe(false);

      // A recorded id whose department was deleted in WeCom: placed again, on a free candidate.
      expect(sim.tree.delete(Number(ops.externalId)).ok).toBe(true);
      const replaced = await connector.upsertDepartment({
        correlationId: key,
        name: 'Ops',
        parentExternalId: null,
        externalId: ops.externalId,
      });
      expect(replaced.externalId).toBe(String(departmentIdCandidate(key, 0)));
    });

    it('reports a conflict when every candidate id is held by another department', async () => {
      const { sim, connector } = await open();
      for (let attempt = 0; attempt < DEPARTMENT_ID_CANDIDATES; attempt++) {
        sim.tree.create({ name: `Other ${attempt}`, parentid: 1, id: departmentIdCandidate('x', attempt) });
      }
      const failure = await failureOf(
        connector.upsertDepartment({ correlationId: 'x', name: 'X', parentExternalId: null }),
      );
      expect(failure).toMatchObject({ connectorCode: 'conflict', retryable: false });
      expect(failure.publicMessage).toMatch(/every WeCom department id/);
      expect(sim.tree.size).toBe(1 + DEPARTMENT_ID_CANDIDATES);
    });

    it('reports a department of the same name made by hand as a conflict, and a non-empty delete as one too', async () => {
      const { sim, connector } = await open();
      sim.tree.create({ name: 'Legal', parentid: 1 });
      const clash = await failureOf(
        connector.upsertDepartment({ correlationId: 'legal', name: 'Legal', parentExternalId: null }),
      );
      expect(clash).toMatchObject({
        connectorCode: 'conflict',
        vendorCode: String(Errcode.departmentExists),
      });
      const d = await connector.upsertDepartment({ correlationId: 'd', name: 'D', parentExternalId: null });
      await connector.createAccount(account(9, { departmentExternalIds: [d.externalId] }));
      expect(await failureOf(connector.deleteDepartment(d.externalId))).toMatchObject({
        connectorCode: 'conflict',
        vendorCode: String(Errcode.departmentHasMembers),
      });
      await expect(connector.deleteDepartment('1999999999')).resolves.toBeUndefined();
    });

    it('reads the tree page by page with children of the root unparented', async () => {
      const { sim, connector } = await open({ people: 400 });
      const result = await readAll(connector.readDepartments, { pageSize: 3 });
      expect(result.items).toHaveLength(sim.tree.size - 1);
      for (const department of result.items) {
        const parent = sim.tree.get(Number(department.externalId))!.parentid;
        expect(department.parentExternalId).toBe(parent === 1 ? null : String(parent));
      }
    });
  });
});
