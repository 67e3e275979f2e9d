import {
  KINGDEE_SIMULATOR_DEFAULTS as D,
  KingdeeSimulator,
  type KingdeeSimulatorHandle,
} from './simulator.js';
import { loginSignature } from './simulator/login.js';
import { SERVICE } from './service-names.js';

/**
 * The simulator at the protocol level, over real HTTP, without Junction's client: what a Kingdee integration
 * written from the vendor's documentation would send, and what the documentation says comes back.
 */

let sim: KingdeeSimulator;
let handle: KingdeeSimulatorHandle;

interface Reply {
  status: number;
  body: unknown;
  cookies: string[];
  contentType: string;
}

async function call(service: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(`${handle.baseUrl}${service}.common.kdsvc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // HTML error pages stay text.
  }
  return {
    status: response.status,
    body: parsed,
    cookies: response.headers.getSetCookie(),
    contentType: response.headers.get('content-type') ?? '',
  };
}

/** Logs in and returns the Cookie header a client sends back. */
async function login(userName: string = D.userName, password: string = D.password): Promise<string> {
  const reply = await call(SERVICE.validateUser, {
    acctID: D.acctId,
    username: userName,
    password,
    lcid: 2052,
  });
  expect(reply.body).toMatchObject({ LoginResultType: 1 });
  return reply.cookies.map((c) => c.split(';')[0]).join('; ');
}

type Status = {
  IsSuccess: boolean;
  MsgCode: number;
  Errors: { FieldName: string | null; Message: string; DIndex: number }[];
  SuccessEntitys: { Id: number; Number: string; DIndex: number }[];
};
const status = (reply: Reply): Status =>
  (reply.body as { Result: { ResponseStatus: Status } }).Result.ResponseStatus;

async function query(cookie: string, data: Record<string, unknown>): Promise<unknown[][]> {
  const reply = await call(SERVICE.executeBillQuery, { data }, { cookie });
  return reply.body as unknown[][];
}

async function saveEmployee(
  cookie: string,
  model: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return call(SERVICE.save, { formid: 'BD_Empinfo', data: { Model: model, ...extra } }, { cookie });
}

beforeAll(async () => {
  sim = new KingdeeSimulator({
    seedData: {
      departments: [
        { number: 'D01', name: '总部', parentNumber: null },
        { number: 'D02', name: '财务部', parentNumber: 'D01' },
        { number: 'D03', name: '研发部', parentNumber: 'D01' },
      ],
      employees: [
        {
          number: 'E001',
          name: '张三',
          email: 'zhang@example.com',
          mobile: '13800000001',
          departmentNumber: 'D02',
          active: true,
        },
        { number: 'E002', name: '李四', email: null, mobile: null, departmentNumber: 'D03', active: false },
      ],
    },
    users: [
      { userName: D.userName, password: D.password, permissions: 'all' },
      { userName: 'viewer', password: 'pw', permissions: ['BD_Department:View'] },
    ],
  });
  handle = await sim.start();
});

afterAll(async () => {
  await sim.stop();
});

afterEach(() => {
  sim.server.faults.reset();
});

describe('login (AuthService)', () => {
  it('ValidateUser answers LoginResultType 1 and sets kdservice-sessionid and ASP.NET_SessionId', async () => {
    const reply = await call(SERVICE.validateUser, {
      acctID: D.acctId,
      username: D.userName,
      password: D.password,
      lcid: 2052,
    });
    expect(reply.body).toMatchObject({
      LoginResultType: 1,
      IsSuccessByAPI: true,
      Context: { DBid: D.acctId },
    });
    const names = reply.cookies.map((c) => c.split('=')[0]);
    expect(names).toEqual(expect.arrayContaining(['kdservice-sessionid', 'ASP.NET_SessionId']));
    expect((reply.body as { KDSVCSessionId: string }).KDSVCSessionId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('takes the classic positional envelope too', async () => {
    const reply = await call(SERVICE.validateUser.toLowerCase(), {
      format: 1,
      useragent: 'ApiClient',
      rid: '1',
      parameters: [D.acctId, D.userName, D.password, 2052],
      timestamp: '2024-01-01',
      v: '1.0',
    });
    expect(reply.body).toMatchObject({ LoginResultType: 1 });
  });

  it('tells a wrong data centre apart from a wrong password, with LoginResultType 0 and no cookie', async () => {
    const wrongAcct = await call(SERVICE.validateUser, {
      acctID: 'nope',
      username: D.userName,
      password: D.password,
    });
    expect(wrongAcct.body).toMatchObject({
      LoginResultType: 0,
      Message: expect.stringContaining('数据中心'),
    });
    const wrongPassword = await call(SERVICE.validateUser, {
      acctID: D.acctId,
      username: D.userName,
      password: 'x',
    });
    expect(wrongPassword.body).toMatchObject({ LoginResultType: 0, Message: '用户名或密码错误！' });
    expect(wrongPassword.cookies).toEqual([]);
  });

  it('LoginByAppSecret and LoginBySign log the integration user in with the app credentials', async () => {
    const bySecret = await call(SERVICE.loginByAppSecret, {
      acctid: D.acctId,
      username: D.userName,
      appid: D.appId,
      appsecret: D.appSecret,
      lcid: 2052,
    });
    expect(bySecret.body).toMatchObject({ LoginResultType: 1 });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signeddata = loginSignature([D.acctId, D.userName, D.appId, D.appSecret, timestamp]);
    const bySign = await call(SERVICE.loginBySign, {
      parameters: [D.acctId, D.userName, D.appId, timestamp, signeddata, 2052],
    });
    expect(bySign.body).toMatchObject({ LoginResultType: 1 });
    const stale = String(Math.floor(Date.now() / 1000) - 3600);
    const old = await call(SERVICE.loginBySign, {
      parameters: [
        D.acctId,
        D.userName,
        D.appId,
        stale,
        loginSignature([D.acctId, D.userName, D.appId, D.appSecret, stale]),
        2052,
      ],
    });
    expect(old.body).toMatchObject({ LoginResultType: 0, Message: expect.stringContaining('时间戳') });
    const forged = await call(SERVICE.loginBySign, {
      parameters: [D.acctId, D.userName, D.appId, timestamp, 'ab'.repeat(32), 2052],
    });
    expect(forged.body).toMatchObject({ LoginResultType: 0 });
  });

  it('lists its data centre anonymously', async () => {
    const reply = await call(SERVICE.getDataCenterList, {});
    expect(reply.body).toEqual([expect.objectContaining({ Id: D.acctId })]);
  });
});

describe('sessions', () => {
  it('answers MsgCode 1 "会话信息已丢失" without a session, in each service\'s own shape', async () => {
    const queryReply = await call(SERVICE.executeBillQuery, {
      data: { FormId: 'BD_Empinfo', FieldKeys: 'FID' },
    });
    expect(queryReply.status).toBe(200);
    expect(queryReply.body).toEqual([
      [
        {
          Result: {
            ResponseStatus: expect.objectContaining({ IsSuccess: false, MsgCode: 1, ErrorCode: 500 }),
          },
        },
      ],
    ]);
    const saveReply = await saveEmployee('', { FName: 'x', FStaffNumber: 'x' });
    expect(status(saveReply)).toMatchObject({
      MsgCode: 1,
      Errors: [{ Message: '会话信息已丢失，请重新登录' }],
    });
  });

  it('accepts the session as the kdservice-sessionid header or either cookie', async () => {
    const cookie = await login();
    const sid = /kdservice-sessionid=([^;]+)/.exec(cookie)?.[1] ?? '';
    const asp = /ASP\.NET_SessionId=([^;]+)/.exec(cookie)?.[1] ?? '';
    const data = { FormId: 'BD_Department', FieldKeys: 'FNumber', OrderString: 'FNumber' };
    const ways: Record<string, string>[] = [
      { 'kdservice-sessionid': sid },
      { cookie: `ASP.NET_SessionId=${asp}` },
      { cookie },
    ];
    for (const headers of ways) {
      const reply = await call(SERVICE.executeBillQuery, { data }, headers);
      expect(reply.body).toEqual([['D01'], ['D02'], ['D03']]);
    }
  });

  it('expires sessions after tokenTtlSeconds and ends them on Logout', async () => {
    sim.server.faults.set({ tokenTtlSeconds: 0 });
    const expired = await login();
    expect(await query(expired, { FormId: 'BD_Empinfo', FieldKeys: 'FID' })).toEqual([
      [{ Result: { ResponseStatus: expect.objectContaining({ MsgCode: 1 }) } }],
    ]);
    sim.server.faults.set({ tokenTtlSeconds: 600 });
    const live = await login();
    await call(SERVICE.logout, {}, { cookie: live });
    expect(await query(live, { FormId: 'BD_Empinfo', FieldKeys: 'FID' })).toEqual([
      [{ Result: { ResponseStatus: expect.objectContaining({ MsgCode: 1 }) } }],
    ]);
  });
});

describe('ExecuteBillQuery', () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = await login();
  });

  it('returns rows of the field keys in order, with reference fields by number', async () => {
    const rows = await query(cookie, {
      FormId: 'bd_empinfo',
      FieldKeys:
        'FStaffNumber,FName,FEmail,FPostDept.FNumber,FDocumentStatus,FForbidStatus,FUseOrgId.FNumber',
      FilterString: '',
      OrderString: 'FStaffNumber ASC',
      TopRowCount: 0,
      StartRow: 0,
      Limit: 2000,
    });
    expect(rows).toEqual([
      ['E001', '张三', 'zhang@example.com', 'D02', 'C', 'A', '100'],
      ['E002', '李四', '', 'D03', 'C', 'B', '100'],
    ]);
  });

  it('filters with the documented subset and windows with StartRow / Limit', async () => {
    expect(
      await query(cookie, {
        FormId: 'BD_Empinfo',
        FieldKeys: 'FNumber',
        FilterString: "FForbidStatus = 'A'",
      }),
    ).toEqual([['E001']]);
    expect(
      await query(cookie, {
        FormId: 'BD_Empinfo',
        FieldKeys: 'FStaffNumber',
        FilterString: "FStaffNumber in ('e002','E999')",
      }),
    ).toEqual([['E002']]);
    const depts = await query(cookie, {
      FormId: 'BD_Department',
      FieldKeys: 'FNumber,FParentID.FNumber,FFullName',
      OrderString: 'FNumber',
      StartRow: 1,
      Limit: 1,
    });
    expect(depts).toEqual([['D02', 'D01', '总部_财务部']]);
  });

  it('rejects Limit over 2000, unknown field keys and bad filters as failure bodies', async () => {
    const tooMany = await query(cookie, { FormId: 'BD_Empinfo', FieldKeys: 'FID', Limit: 2001 });
    expect(tooMany).toEqual([[{ Result: { ResponseStatus: expect.objectContaining({ MsgCode: 8 }) } }]]);
    const unknown = await query(cookie, { FormId: 'BD_Empinfo', FieldKeys: 'FID,FNoSuchField' });
    expect(unknown).toEqual([[{ Result: { ResponseStatus: expect.objectContaining({ MsgCode: 9 }) } }]]);
    const bad = await query(cookie, { FormId: 'BD_Empinfo', FieldKeys: 'FID', FilterString: "FNumber = 'x" });
    expect(bad).toEqual([[{ Result: { ResponseStatus: expect.objectContaining({ IsSuccess: false }) } }]]);
    const noForm = await query(cookie, { FormId: 'BD_Nope', FieldKeys: 'FID' });
    expect(noForm).toEqual([[{ Result: { ResponseStatus: expect.objectContaining({ IsSuccess: false }) } }]]);
  });

  it('answers MsgCode 2 when the user lacks the 查看 permission on a form', async () => {
    const viewer = await login('viewer', 'pw');
    expect(await query(viewer, { FormId: 'BD_Empinfo', FieldKeys: 'FID' })).toEqual([
      [
        {
          Result: {
            ResponseStatus: expect.objectContaining({
              MsgCode: 2,
              Errors: [expect.objectContaining({ Message: expect.stringContaining('员工') })],
            }),
          },
        },
      ],
    ]);
    expect(await query(viewer, { FormId: 'BD_Department', FieldKeys: 'FNumber', TopRowCount: 1 })).toEqual([
      ['D01'],
    ]);
  });
});

describe('the base-data lifecycle (Save → Submit → Audit, 禁用 / 反禁用)', () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = await login();
  });

  it('creates in status A, submits to B, audits to C, and refuses edits once audited', async () => {
    const saved = await saveEmployee(cookie, {
      FStaffNumber: 'E100',
      FName: '王五',
      FEmail: 'wang@example.com',
      FCreateOrgId: { FNumber: '100' },
      FUseOrgId: { FNumber: '100' },
      FPostEntity: [{ FWorkOrgId: { FNumber: '100' }, FPostDept: { FNumber: 'D02' }, FIsFirstPost: true }],
    });
    const body = saved.body as { Result: { Id: number; Number: string } };
    expect(status(saved)).toMatchObject({ IsSuccess: true, SuccessEntitys: [{ Number: 'E100', DIndex: 0 }] });
    expect(body.Result.Number).toBe('E100');
    const id = body.Result.Id;
    expect(sim.state.employees.get(id)).toMatchObject({
      documentStatus: 'A',
      forbidStatus: 'A',
      email: 'wang@example.com',
    });

    const audit = await call(SERVICE.audit, { formid: 'BD_Empinfo', data: { Ids: String(id) } }, { cookie });
    expect(status(audit)).toMatchObject({ IsSuccess: false, MsgCode: 12 });
    expect(
      status(await call(SERVICE.submit, { formid: 'BD_Empinfo', data: { Numbers: ['E100'] } }, { cookie })),
    ).toMatchObject({
      IsSuccess: true,
    });
    expect(sim.state.employees.get(id)?.documentStatus).toBe('B');
    expect(
      status(await call(SERVICE.audit, { formid: 'BD_Empinfo', data: { Ids: String(id) } }, { cookie })),
    ).toMatchObject({
      IsSuccess: true,
      SuccessEntitys: [{ Id: id, Number: 'E100' }],
    });
    expect(sim.state.employees.get(id)?.documentStatus).toBe('C');

    const edit = await saveEmployee(cookie, { FID: id, FName: '王五五' });
    expect(status(edit)).toMatchObject({ IsSuccess: false, MsgCode: 12 });
    expect(
      status(await call(SERVICE.unAudit, { formid: 'BD_Empinfo', data: { Ids: String(id) } }, { cookie })),
    ).toMatchObject({
      IsSuccess: true,
    });
    expect(sim.state.employees.get(id)?.documentStatus).toBe('D');
    expect(
      status(
        await saveEmployee(
          cookie,
          { FID: id, FName: '王五五', FEmail: 'ignored' },
          { NeedUpDateFields: ['FName'] },
        ),
      ),
    ).toMatchObject({
      IsSuccess: true,
    });
    expect(sim.state.employees.get(id)).toMatchObject({
      name: '王五五',
      email: 'wang@example.com',
      documentStatus: 'D',
    });
  });

  it('refuses a second record with the same number (违反字段唯一性要求, MsgCode 11)', async () => {
    const duplicate = await saveEmployee(cookie, { FStaffNumber: 'e001', FName: 'dup' });
    expect(status(duplicate)).toMatchObject({
      IsSuccess: false,
      MsgCode: 11,
      Errors: [
        {
          FieldName: 'FStaffNumber',
          Message: '违反字段唯一性要求：编码唯一。[e001]在当前系统中已经被使用。',
        },
      ],
    });
  });

  it('forbids only audited records, refuses edits while forbidden, and enables again', async () => {
    const e001 = sim.state.employees.findAllByNumber('E001')[0]!;
    const forbid = (opNumber: string, numbers: string[]) =>
      call(
        SERVICE.excuteOperation,
        { formid: 'BD_Empinfo', opNumber, data: { Numbers: numbers } },
        { cookie },
      );
    const result = await forbid('Forbid', ['E001', 'E404']);
    expect(status(result)).toMatchObject({
      IsSuccess: false,
      SuccessEntitys: [{ Number: 'E001', DIndex: 0 }],
      Errors: [{ DIndex: 1 }],
    });
    expect(e001.forbidStatus).toBe('B');
    expect(status(await saveEmployee(cookie, { FID: e001.id, FName: 'x' }))).toMatchObject({
      IsSuccess: false,
      MsgCode: 12,
    });
    expect(status(await forbid('Forbid', ['E001']))).toMatchObject({ IsSuccess: false, MsgCode: 12 });
    expect(status(await forbid('Enable', ['E001']))).toMatchObject({ IsSuccess: true });
    expect(e001.forbidStatus).toBe('A');
    expect(status(await forbid('Frobnicate', ['E001']))).toMatchObject({ IsSuccess: false, MsgCode: 3 });
  });

  it('checks department references, parent cycles and deletion of referenced departments', async () => {
    const missingDept = await saveEmployee(cookie, {
      FStaffNumber: 'E200',
      FName: '赵六',
      FPostEntity: [{ FPostDept: { FNumber: 'D99' } }],
    });
    expect(status(missingDept)).toMatchObject({
      IsSuccess: false,
      MsgCode: 9,
      Errors: [{ FieldName: 'FPostDept' }],
    });

    const saveDept = (model: Record<string, unknown>) =>
      call(SERVICE.save, { formid: 'BD_Department', data: { Model: model } }, { cookie });
    const d01 = sim.state.departments.findAllByNumber('D01')[0]!;
    await call(SERVICE.unAudit, { formid: 'BD_Department', data: { Ids: String(d01.id) } }, { cookie });
    const cycle = await saveDept({ FDEPTID: d01.id, FParentID: { FNumber: 'D02' } });
    expect(status(cycle)).toMatchObject({ IsSuccess: false, Errors: [{ FieldName: 'FParentID' }] });
    const deleted = await call(
      SERVICE.delete,
      { formid: 'BD_Department', data: { Numbers: ['D01'] } },
      { cookie },
    );
    expect(status(deleted)).toMatchObject({
      IsSuccess: false,
      Errors: [{ Message: expect.stringContaining('引用') }],
    });

    const created = await saveDept({ FNumber: 'D04', FName: '临时部', FParentID: { FNUMBER: 'D03' } });
    expect(status(created)).toMatchObject({ IsSuccess: true });
    const removed = await call(
      SERVICE.delete,
      { formid: 'BD_Department', data: { Numbers: ['D04'] } },
      { cookie },
    );
    expect(status(removed)).toMatchObject({ IsSuccess: true });
    expect(sim.state.departments.findAllByNumber('D04')).toEqual([]);
  });

  it('takes data as a JSON string, as the .NET client sends it', async () => {
    const reply = await call(
      SERVICE.view,
      { formid: 'BD_Empinfo', data: JSON.stringify({ Number: 'E001' }) },
      { cookie },
    );
    expect(reply.body).toMatchObject({
      Result: {
        ResponseStatus: { IsSuccess: true },
        Result: {
          Number: 'E001',
          Name: [{ Key: 2052, Value: '张三' }],
          PostEntity: [{ PostDept: { Number: 'D02' } }],
        },
      },
    });
  });
});

describe('faults', () => {
  it('answers an injected rate limit as MsgCode 14 调用限制 in an HTTP 200 body', async () => {
    const cookie = await login();
    sim.server.faults.set({ next429: 1 });
    const limited = await call(
      SERVICE.executeBillQuery,
      { data: { FormId: 'BD_Empinfo', FieldKeys: 'FID' } },
      { cookie },
    );
    expect(limited.status).toBe(200);
    expect(limited.body).toEqual([
      [{ Result: { ResponseStatus: expect.objectContaining({ MsgCode: 14 }) } }],
    ]);
    const after = await call(
      SERVICE.executeBillQuery,
      { data: { FormId: 'BD_Empinfo', FieldKeys: 'FID' } },
      { cookie },
    );
    expect(Array.isArray((after.body as unknown[])[0])).toBe(true);
  });

  it("answers an injected failure with IIS's HTML error page", async () => {
    sim.server.faults.set({ burst5xx: 1 });
    const failed = await call(SERVICE.getDataCenterList, {});
    expect(failed.status).toBe(500);
    expect(failed.contentType).toContain('text/html');
  });
});

describe('at scale', () => {
  it('seeds 100,000 generated employees and pages through them by FID quickly', async () => {
    const big = new KingdeeSimulator({ people: 100_000, seed: 7 });
    const bigHandle = await big.start();
    try {
      expect(big.state.employees.size).toBe(100_000);
      const loginReply = await fetch(`${bigHandle.baseUrl}${SERVICE.validateUser}.common.kdsvc`, {
        method: 'POST',
        body: JSON.stringify({ acctID: D.acctId, username: D.userName, password: D.password }),
      });
      const cookie = loginReply.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      let last = 0;
      let seen = 0;
      for (let page = 0; page < 5; page += 1) {
        const response = await fetch(`${bigHandle.baseUrl}${SERVICE.executeBillQuery}.common.kdsvc`, {
          method: 'POST',
          headers: { cookie },
          body: JSON.stringify({
            data: {
              FormId: 'BD_Empinfo',
              FieldKeys: 'FID,FStaffNumber',
              FilterString: `FID > ${last}`,
              OrderString: 'FID',
              Limit: 2000,
            },
          }),
        });
        const rows = (await response.json()) as [number, string][];
        expect(rows).toHaveLength(2000);
        expect(rows[0]![0]).toBeGreaterThan(last);
        last = rows[rows.length - 1]![0];
        seen += rows.length;
      }
      expect(seen).toBe(10_000);
    } finally {
      await big.stop();
    }
  });
});
