import { Writable } from 'node:stream';
import { pino } from 'pino';
import { z } from 'zod';
import { createLogger } from '../../core/logger.js';
import type { EmployeeRecordInput } from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import { readAll } from '../kit/conformance/read-all.js';
import { kingdeeConfigSchema, type KingdeeConfig } from './config.js';
import { createKingdeeConnector } from './connector.js';
import {
  KINGDEE_SIMULATOR_DEFAULTS as D,
  generatedSeed,
  KingdeeSimulator,
  type KingdeeSimulatorHandle,
} from './simulator.js';

/**
 * The Kingdee connector against its simulator, beyond the shared conformance suite: check() diagnostics, reads
 * surviving throttling, failures and a lost session mid-read, and the write lifecycle (save → submit → audit,
 * un-audit to edit, 禁用 / 反禁用), converging after partial failures and concurrent creates.
 */

const log = createLogger({ level: 'silent' });
let sim: KingdeeSimulator;
let handle: KingdeeSimulatorHandle;
let seq = 0;

const seed = generatedSeed(1000, 3);

beforeAll(async () => {
  sim = new KingdeeSimulator({
    seedData: seed,
    organizations: [
      { id: 1, number: '100', name: '总部' },
      { id: 2, number: '200', name: '华东分公司' },
    ],
    users: [
      { userName: D.userName, password: D.password, permissions: 'all' },
      { userName: 'viewer', password: 'pw', permissions: ['BD_Department:View'] },
      {
        userName: 'clerk',
        password: 'pw',
        permissions: ['BD_Empinfo:View', 'BD_Empinfo:Save', 'BD_Empinfo:Submit', 'BD_Department:View'],
      },
    ],
  });
  handle = await sim.start();
});

afterAll(async () => {
  await sim.stop();
});

afterEach(() => {
  sim.server.faults.reset();
  sim.server.recorder.enabled = false;
  sim.server.recorder.clear();
});

function config(overrides: Partial<Record<keyof KingdeeConfig, unknown>> = {}): KingdeeConfig {
  const raw = {
    baseUrl: handle.baseUrl,
    acctId: D.acctId,
    username: D.userName,
    password: D.password,
    orgNumber: D.orgNumber,
    ...overrides,
  };
  // An override of undefined removes the field (app logins have no password).
  return kingdeeConfigSchema.parse(
    Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined)),
  );
}

function open(overrides: Partial<Record<keyof KingdeeConfig, unknown>> = {}) {
  seq += 1;
  return createKingdeeConnector({ config: config(overrides), connectionId: `kingdee-test-${seq}`, log });
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

/** The WebAPI operations the simulator saw since recording started, e.g. ['ExecuteBillQuery', 'Save', 'Forbid']. */
function operations(): string[] {
  return sim.server.recorder.exchanges.map((exchange) => {
    const name = /\.([A-Za-z]+)\.common\.kdsvc$/.exec(exchange.path)?.[1] ?? exchange.path;
    const body = exchange.requestBody as { opNumber?: string } | undefined;
    return name === 'ExcuteOperation' ? (body?.opNumber ?? name) : name;
  });
}

function record(number: string) {
  return sim.state.employees.findAllByNumber(number)[0];
}

function employee(n: number, overrides: Partial<EmployeeRecordInput> = {}): EmployeeRecordInput {
  return {
    correlationId: `p-${n}`,
    employeeNumber: `T${String(n).padStart(4, '0')}`,
    name: `测试员工${n}`,
    email: `t${n}@example.com`,
    phone: '+86 13800000000',
    departmentExternalId: 'D0002',
    jobTitle: 'Accountant',
    costCenter: null,
    active: true,
    attributes: {},
    ...overrides,
  };
}

describe('check()', () => {
  it('reports the data centre, user and organisation it verified', async () => {
    const report = await open().check();
    expect(report.message).toBe(
      `logged in to Kingdee data centre ${D.acctId} as ${D.userName}; can read 员工 and 部门 in organisation 100 (总部)`,
    );
  });

  it('tells a wrong data centre apart from a wrong password', async () => {
    const wrongCentre = await failure(open({ acctId: 'deadbeef' }).check());
    expect(wrongCentre.connectorCode).toBe('invalid_config');
    expect(wrongCentre.publicMessage).toContain(
      `acctId deadbeef is not a data centre on this Kingdee site; the site has: ${D.acctId}`,
    );
    const wrongPassword = await failure(open({ password: 'nope' }).check());
    expect(wrongPassword).toMatchObject({
      connectorCode: 'auth_failed',
      retryable: false,
      vendorMessage: '用户名或密码错误！',
    });
    expect(wrongPassword.publicMessage).toContain(`check the user name or password of ${D.userName}`);
  });

  it('logs in with a 第三方系统登录授权 app, by signature or by secret', async () => {
    const app = { password: undefined, appId: D.appId, appSecret: D.appSecret };
    await expect(open(app).check()).resolves.toMatchObject({ ok: true });
    await expect(open({ ...app, appLogin: 'appSecret' }).check()).resolves.toMatchObject({ ok: true });
    const wrong = await failure(open({ ...app, appSecret: 'wrong' }).check());
    expect(wrong.connectorCode).toBe('auth_failed');
    expect(wrong.publicMessage).toContain('check the app id / app secret');
  });

  it('names the form a user may not read, and an organisation that does not exist', async () => {
    const denied = await failure(open({ username: 'viewer', password: 'pw' }).check());
    expect(denied.connectorCode).toBe('permission_denied');
    expect(denied.publicMessage).toContain('may not read 员工 (BD_Empinfo)');
    const noOrg = await failure(open({ orgNumber: '999' }).check());
    expect(noOrg).toMatchObject({ connectorCode: 'invalid_config' });
    expect(noOrg.publicMessage).toContain('orgNumber 999 is not an organisation');
  });

  it('says when baseUrl is not the WebAPI root', async () => {
    const wrongPath = await failure(open({ baseUrl: `${handle.url}/` }).check());
    expect(wrongPath.connectorCode).toBe('invalid_config');
    expect(wrongPath.publicMessage).toContain('/k3cloud/');
  });
});

describe('reads', () => {
  it('lists every employee once through throttling, a failure burst and a lost session mid-read', async () => {
    sim.server.recorder.enabled = true;
    const connector = open();
    const result = await readAll(
      connector.listAccounts,
      { pageSize: 100 },
      {
        afterPage: (_page, index) => {
          if (index === 2) sim.server.faults.set({ next429: 1, burst5xx: 2 });
          if (index === 4) sim.state.sessions.expireAll();
        },
      },
    );
    const numbers = result.items.map((a) => a.externalId);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers.length).toBe(sim.state.employees.size);
    expect(result.pages).toBeGreaterThanOrEqual(10);
    expect(operations().filter((op) => op === 'ValidateUser')).toHaveLength(2);
    const leaver = seed.employees.find((e) => !e.active);
    expect(result.items.find((a) => a.externalId === leaver?.number)?.active).toBe(false);
    await connector.close();
  });

  it('resumes from a cursor in a fresh instance, and refuses a cursor from another read', async () => {
    const first = await readAll(open().listAccounts, { pageSize: 300 }, { maxPages: 1 });
    const rest = await readAll(open().listAccounts, { pageSize: 300, cursor: first.nextCursor });
    expect(first.items.length + rest.items.length).toBe(sim.state.employees.size);
    const departments = await open().readDepartments({ cursor: null, pageSize: 5 });
    const wrong = await failure(open().listAccounts({ cursor: departments.nextCursor, pageSize: 5 }));
    expect(wrong.connectorCode).toBe('invalid_config');
  });

  it('reads departments with their parents by number', async () => {
    const result = await readAll(open().readDepartments, { pageSize: 7 });
    expect(result.items).toHaveLength(seed.departments.length);
    expect(result.items[0]).toEqual({
      externalId: 'D0001',
      name: seed.departments[0]!.name,
      parentExternalId: null,
      code: 'D0001',
      costCenter: null,
      managerExternalId: null,
    });
    expect(result.items.every((d) => d.externalId === 'D0001' || d.parentExternalId)).toBe(true);
  });
});

describe('writing employee records', () => {
  it('creates an audited employee with its post in the department, then writes nothing when nothing changed', async () => {
    const connector = open();
    sim.server.recorder.enabled = true;
    expect(await connector.upsertEmployeeRecord(employee(1))).toEqual({ externalId: 'T0001' });
    expect(operations()).toEqual([
      'ValidateUser',
      'ExecuteBillQuery',
      'Save',
      'Submit',
      'Audit',
      'ExecuteBillQuery',
    ]);
    const saved = record('T0001')!;
    expect(saved).toMatchObject({ name: '测试员工1', email: 't1@example.com', mobile: '+86 13800000000' });
    expect(saved).toMatchObject({ documentStatus: 'C', forbidStatus: 'A', createOrgId: 1, useOrgId: 1 });
    expect(sim.state.departments.get(saved.post!.deptId!)?.number).toBe('D0002');

    sim.server.recorder.clear();
    await connector.upsertEmployeeRecord(employee(1));
    expect(operations()).toEqual(['ExecuteBillQuery', 'ExecuteBillQuery']);
  });

  it('moves and renames by un-auditing, saving only the changed fields, and auditing again', async () => {
    const connector = open();
    await connector.upsertEmployeeRecord(employee(2));
    const id = record('T0002')!.id;
    sim.state.employees.get(id)!.tel = '021-5555'; // a field Junction does not manage
    sim.server.recorder.enabled = true;
    await connector.upsertEmployeeRecord(employee(2, { name: '改名', departmentExternalId: 'D0003' }));
    expect(operations()).toEqual([
      'ExecuteBillQuery',
      'UnAudit',
      'Save',
      'Submit',
      'Audit',
      'ExecuteBillQuery',
    ]);
    const save = sim.server.recorder.exchanges.find((e) => e.path.includes('.Save.'))!.requestBody as {
      data: { NeedUpDateFields: string[]; Model: Record<string, unknown> };
    };
    expect(save.data.NeedUpDateFields).toEqual([
      'FName',
      'FPostEntity',
      'FPostDept',
      'FWorkOrgId',
      'FIsFirstPost',
    ]);
    expect(Object.keys(save.data.Model).sort()).toEqual(['FID', 'FName', 'FPostEntity']);
    const moved = sim.state.employees.get(id)!;
    expect(moved).toMatchObject({ id, name: '改名', tel: '021-5555', documentStatus: 'C' });
    expect(sim.state.departments.get(moved.post!.deptId!)?.number).toBe('D0003');
  });

  it('disables (禁用) a leaver, edits them while disabled, and enables them again on a rehire', async () => {
    const connector = open();
    await connector.upsertEmployeeRecord(employee(3));
    sim.server.recorder.enabled = true;
    await connector.upsertEmployeeRecord(employee(3, { active: false }));
    expect(operations()).toEqual(['ExecuteBillQuery', 'Forbid', 'ExecuteBillQuery']);
    expect(record('T0003')?.forbidStatus).toBe('B');

    sim.server.recorder.clear();
    await connector.upsertEmployeeRecord(employee(3, { active: false, email: 'left@example.com' }));
    expect(operations()).toEqual([
      'ExecuteBillQuery',
      'Enable',
      'UnAudit',
      'Save',
      'Submit',
      'Audit',
      'Forbid',
      'ExecuteBillQuery',
    ]);
    expect(record('T0003')).toMatchObject({
      email: 'left@example.com',
      forbidStatus: 'B',
      documentStatus: 'C',
    });

    sim.server.recorder.clear();
    await connector.upsertEmployeeRecord(employee(3, { email: 'left@example.com' }));
    expect(operations()).toEqual(['ExecuteBillQuery', 'Enable', 'ExecuteBillQuery']);
    expect(record('T0003')?.forbidStatus).toBe('A');
  });

  it('creates an inactive employee audited and disabled', async () => {
    await open().upsertEmployeeRecord(employee(4, { active: false }));
    expect(record('T0004')).toMatchObject({ documentStatus: 'C', forbidStatus: 'B' });
  });

  it('converges after a partial failure: a record saved and submitted but not audited is finished on retry', async () => {
    const clerk = await failure(
      open({ username: 'clerk', password: 'pw' }).upsertEmployeeRecord(employee(5)),
    );
    expect(clerk.connectorCode).toBe('permission_denied');
    expect(clerk.publicMessage).toContain('Audit of 员工 (BD_Empinfo) T0005');
    expect(record('T0005')?.documentStatus).toBe('B');
    sim.server.recorder.enabled = true;
    await open().upsertEmployeeRecord(employee(5));
    expect(operations()).toEqual(['ValidateUser', 'ExecuteBillQuery', 'Audit', 'ExecuteBillQuery']);
    expect(sim.state.employees.findAllByNumber('T0005')).toHaveLength(1);
    expect(record('T0005')?.documentStatus).toBe('C');
  });

  it('makes one record when two syncs create the same employee at once', async () => {
    const [a, b] = await Promise.all([
      open().upsertEmployeeRecord(employee(6)),
      open().upsertEmployeeRecord(employee(6)),
    ]);
    expect(a).toEqual(b);
    expect(sim.state.employees.findAllByNumber('T0006')).toHaveLength(1);
    expect(record('T0006')?.documentStatus).toBe('C');
  });

  it('survives throttling and a lost session in the middle of a write', async () => {
    const connector = open();
    await connector.check();
    sim.state.sessions.expireAll();
    sim.server.faults.set({ next429: 1 });
    await connector.upsertEmployeeRecord(employee(7));
    expect(record('T0007')?.documentStatus).toBe('C');
    expect(sim.server.faults.stats.injected429).toBeGreaterThanOrEqual(1);
  });

  it('writes nothing when the department does not exist in Kingdee, and says which', async () => {
    const error = await failure(open().upsertEmployeeRecord(employee(8, { departmentExternalId: 'NOPE' })));
    expect(error.connectorCode).toBe('not_found');
    expect(error.vendorMessage).toContain('FPostDept');
    expect(record('T0008')).toBeUndefined();
  });

  it('writes customer fields given as attributes, and reads them back to skip unchanged records', async () => {
    const connector = open();
    const attributes = { F_JD_Level: 'P5', F_JD_CostCentre: { FNumber: 'CC-1002' }, roles: ['ignored'] };
    await connector.upsertEmployeeRecord(employee(9, { attributes }));
    expect(record('T0009')?.extra).toEqual({ F_JD_Level: 'P5', F_JD_CostCentre: 'CC-1002' });
    sim.server.recorder.enabled = true;
    await connector.upsertEmployeeRecord(employee(9, { attributes }));
    expect(operations()).not.toContain('Save');
    const bad = await failure(
      connector.upsertEmployeeRecord(employee(9, { attributes: { F_JD_Level: ['x'] } })),
    );
    expect(bad.connectorCode).toBe('invalid_config');
  });
});

describe('accounts', () => {
  it('renumbers an employee in place when the user name changes, and refuses a number in use', async () => {
    const connector = open();
    const input = {
      correlationId: 'p-20',
      userName: 'A0020',
      email: 'a20@example.com',
      displayName: 'Account 20',
      active: true,
      attributes: {},
    };
    const created = await connector.createAccount(input);
    const id = record('A0020')!.id;
    const renamed = await connector.updateAccount(created.externalId, { ...input, userName: 'A0020-NEW' });
    expect(renamed.externalId).toBe('A0020-NEW');
    expect(sim.state.employees.get(id)?.number).toBe('A0020-NEW');
    expect(await connector.findAccount(input)).toBeNull();
    const taken = await failure(connector.updateAccount('A0020-NEW', { ...input, userName: 'E000001' }));
    expect(taken.connectorCode).toBe('conflict');
  });

  it('disables and deletes; deleting a missing account is a no-op, disabling one is not_found', async () => {
    const connector = open();
    await connector.createAccount({
      correlationId: 'p-21',
      userName: 'A0021',
      email: null,
      displayName: 'Account 21',
      active: true,
      attributes: {},
    });
    await connector.disableAccount('A0021');
    expect(record('A0021')?.forbidStatus).toBe('B');
    await connector.deleteAccount('A0021');
    expect(record('A0021')).toBeUndefined();
    await connector.deleteAccount('A0021');
    expect((await failure(connector.disableAccount('A0021'))).connectorCode).toBe('not_found');
  });
});

describe('departments', () => {
  it('creates a tree, moves within it, refuses a cycle and refuses to delete a department in use', async () => {
    const connector = open();
    const root = await connector.upsertDepartment({
      correlationId: 'x1',
      name: '集团财务',
      parentExternalId: null,
      code: 'FIN',
    });
    const child = await connector.upsertDepartment({
      correlationId: 'x2',
      name: '应付组',
      parentExternalId: 'FIN',
      code: 'FIN-AP',
    });
    expect(sim.state.departments.findAllByNumber('FIN-AP')[0]).toMatchObject({ documentStatus: 'C' });
    await connector.upsertDepartment({
      correlationId: 'x2',
      name: '应付组',
      parentExternalId: 'D0001',
      code: 'FIN-AP',
    });
    const moved = sim.state.departments.findAllByNumber('FIN-AP')[0]!;
    expect(sim.state.departments.get(moved.parentId!)?.number).toBe('D0001');
    await connector.upsertDepartment({
      correlationId: 'x2',
      name: '应付组',
      parentExternalId: 'FIN',
      code: 'FIN-AP',
    });
    const cycle = await failure(
      connector.upsertDepartment({
        correlationId: 'x1',
        name: '集团财务',
        parentExternalId: 'FIN-AP',
        code: 'FIN',
      }),
    );
    expect(cycle.vendorMessage).toContain('上级部门');
    await connector.upsertEmployeeRecord(employee(30, { departmentExternalId: 'FIN-AP' }));
    const inUse = await failure(connector.deleteDepartment(child.externalId));
    expect(inUse.connectorCode).toBe('conflict');
    expect(root.externalId).toBe('FIN');
  });

  it('numbers a department without a code by its correlation id', async () => {
    const made = await open().upsertDepartment({
      correlationId: 'dept-uuid-1',
      name: '无编码部门',
      parentExternalId: null,
    });
    expect(made.externalId).toBe('dept-uuid-1');
  });
});

describe('traffic', () => {
  // The request bodies the API pages document (API文档 › 单据查询 / 保存 / 提交 / 审核 / 操作接口 › 请求参数).
  const ids = z.object({ Ids: z.string().regex(/^\d+$/), Numbers: z.array(z.string()) });
  const documented: Record<string, z.ZodType> = {
    ValidateUser: z.strictObject({
      acctID: z.string(),
      username: z.string(),
      password: z.string(),
      lcid: z.number(),
    }),
    ExecuteBillQuery: z.strictObject({
      data: z.strictObject({
        FormId: z.string(),
        FieldKeys: z.string().regex(/^[A-Za-z_.]+(,[A-Za-z_.]+)*$/),
        FilterString: z.string(),
        OrderString: z.string(),
        TopRowCount: z.number().int().min(0),
        StartRow: z.number().int().min(0),
        Limit: z.number().int().min(1).max(2000),
      }),
    }),
    Save: z.strictObject({
      formid: z.string(),
      data: z.looseObject({
        NeedUpDateFields: z.array(z.string()),
        IsDeleteEntry: z.boolean(),
        Model: z.record(z.string().regex(/^F[A-Za-z0-9_]+$/), z.unknown()),
      }),
    }),
    Submit: z.strictObject({ formid: z.string(), data: ids }),
    Audit: z.strictObject({ formid: z.string(), data: ids }),
    UnAudit: z.strictObject({ formid: z.string(), data: ids }),
    ExcuteOperation: z.strictObject({
      formid: z.string(),
      opNumber: z.enum(['Forbid', 'Enable']),
      data: ids,
    }),
  };

  it('sends the documented request shapes, with the session as cookie and kdservice-sessionid header', async () => {
    sim.server.recorder.enabled = true;
    const connector = open();
    await connector.upsertEmployeeRecord(employee(40));
    await connector.upsertEmployeeRecord(employee(40, { name: '改', active: false }));
    await connector.listAccounts({ cursor: null, pageSize: 10 });
    const seen = new Set<string>();
    for (const exchange of sim.server.recorder.exchanges) {
      const service = /\.([A-Za-z]+)\.common\.kdsvc$/.exec(exchange.path)?.[1] ?? '';
      seen.add(service);
      const schema = documented[service];
      expect({ service, known: schema !== undefined }).toEqual({ service, known: true });
      expect({ service, issues: schema?.safeParse(exchange.requestBody).error?.issues ?? [] }).toEqual({
        service,
        issues: [],
      });
      if (service !== 'ValidateUser') {
        expect(exchange.requestHeaders.cookie).toMatch(/kdservice-sessionid=[0-9a-f]+/);
        expect(exchange.requestHeaders['kdservice-sessionid']).toMatch(/^[0-9a-f]+$/);
      }
    }
    expect([...seen].sort()).toEqual([
      'Audit',
      'ExcuteOperation',
      'ExecuteBillQuery',
      'Save',
      'Submit',
      'UnAudit',
      'ValidateUser',
    ]);
  });

  it('keeps the password, the app secret and the session out of trace logs', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    for (const overrides of [
      {},
      { password: undefined, appId: D.appId, appSecret: D.appSecret, appLogin: 'appSecret' },
    ]) {
      const connector = createKingdeeConnector({
        config: config(overrides),
        connectionId: `kingdee-trace-${(seq += 1)}`,
        log: pino({ level: 'trace' }, sink),
      });
      await connector.check();
      await connector.close();
    }
    const output = lines.join('');
    expect(output).toContain('ValidateUser');
    expect(output).toContain('LoginByAppSecret');
    expect(output).not.toContain(D.password);
    expect(output).not.toContain(D.appSecret);
    expect(output).not.toMatch(/kdservice-sessionid[^,]*[0-9a-f]{32}/);
  });
});

describe('close()', () => {
  it('logs the session out', async () => {
    const connector = open();
    await connector.check();
    const before = sim.state.sessions.count;
    await connector.close();
    expect(sim.state.sessions.count).toBe(before - 1);
  });
});
