import axios from 'axios';
import { Errcode } from './api/errcodes.js';
import { DEFAULT_CORP_ID, DEFAULT_SECRET, WeComSimulator } from './simulator.js';

/** The simulator over real HTTP, asserting WeCom's documented behaviour endpoint by endpoint. */
describe('WeCom simulator', () => {
  let sim: WeComSimulator;
  let base: string;

  const raw = async (
    method: 'GET' | 'POST',
    path: string,
    query: Record<string, unknown> = {},
    body?: unknown,
  ) => {
    const response = await axios.request({
      method,
      url: `${base}/cgi-bin${path}`,
      params: query,
      data: body,
      validateStatus: () => true,
    });
    return response;
  };
  const token = async (secret = DEFAULT_SECRET): Promise<string> => {
    const response = await raw('GET', '/gettoken', { corpid: DEFAULT_CORP_ID, corpsecret: secret });
    return (response.data as { access_token: string }).access_token;
  };
  const call = async (
    method: 'GET' | 'POST',
    path: string,
    query: Record<string, unknown> = {},
    body?: unknown,
  ) => {
    const response = await raw(method, path, { access_token: await token(), ...query }, body);
    expect(response.status).toBe(200);
    return response.data as Record<string, unknown> & { errcode: number; errmsg: string };
  };
  const createUser = (userid: string, extra: Record<string, unknown> = {}) =>
    call(
      'POST',
      '/user/create',
      {},
      { userid, name: userid, department: [1], email: `${userid}@example.com`, ...extra },
    );

  beforeEach(async () => {
    sim = new WeComSimulator({
      secrets: { [DEFAULT_SECRET]: 'contacts', 'read-only': 'contacts_readonly', 'app-secret': 'app' },
    });
    base = (await sim.start()).url;
  });
  afterEach(async () => {
    await sim.stop();
  });

  describe('gettoken', () => {
    it('issues a token with expires_in 7200 and returns the same one while it is valid', async () => {
      const first = await raw('GET', '/gettoken', { corpid: DEFAULT_CORP_ID, corpsecret: DEFAULT_SECRET });
      expect(first.data).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
      const second = await raw('GET', '/gettoken', { corpid: DEFAULT_CORP_ID, corpsecret: DEFAULT_SECRET });
      expect(second.data.access_token).toBe(first.data.access_token);
    });

    it('answers bad corpid / secret with 40013 / 40001 in an HTTP 200 body', async () => {
      const badCorp = await raw('GET', '/gettoken', { corpid: 'wwnope', corpsecret: DEFAULT_SECRET });
      expect(badCorp.status).toBe(200);
      expect(badCorp.data.errcode).toBe(Errcode.invalidCorpId);
      const badSecret = await raw('GET', '/gettoken', { corpid: DEFAULT_CORP_ID, corpsecret: 'nope' });
      expect(badSecret.data.errcode).toBe(Errcode.invalidSecret);
      const missing = await raw('GET', '/gettoken', { corpid: DEFAULT_CORP_ID });
      expect(missing.data.errcode).toBe(Errcode.missingSecret);
    });

    it('tells a missing (41001), unknown (40014), expired (42001) and revoked (40014) token apart', async () => {
      expect((await raw('GET', '/user/get', { userid: 'x' })).data.errcode).toBe(Errcode.missingAccessToken);
      expect((await raw('GET', '/user/get', { userid: 'x', access_token: 'forged' })).data.errcode).toBe(
        Errcode.invalidAccessToken,
      );
      const issued = await token();
      sim.expireTokens();
      expect((await raw('GET', '/user/get', { userid: 'x', access_token: issued })).data.errcode).toBe(
        Errcode.accessTokenExpired,
      );
      const fresh = await token();
      expect(fresh).not.toBe(issued);
      sim.revokeTokens();
      expect((await raw('GET', '/user/get', { userid: 'x', access_token: fresh })).data.errcode).toBe(
        Errcode.invalidAccessToken,
      );
    });

    it('honours the tokenTtlSeconds fault knob', async () => {
      sim.faults.set({ tokenTtlSeconds: 1 });
      const response = await raw('GET', '/gettoken', { corpid: DEFAULT_CORP_ID, corpsecret: 'read-only' });
      expect(response.data.expires_in).toBe(1);
    });
  });

  describe('members', () => {
    it('creates, reads, updates, disables and deletes a member', async () => {
      expect(
        await createUser('zhangsan', { position: '工程师', gender: '1', mobile: '+86 13800000000' }),
      ).toMatchObject({
        errcode: 0,
        errmsg: 'created',
      });
      const read = await call('GET', '/user/get', { userid: 'ZhangSan' });
      expect(read).toMatchObject({
        errcode: 0,
        userid: 'zhangsan',
        name: 'zhangsan',
        department: [1],
        order: [0],
        is_leader_in_dept: [0],
        main_department: 1,
        position: '工程师',
        gender: '1',
        email: 'zhangsan@example.com',
        status: 4,
      });
      expect(await call('POST', '/user/update', {}, { userid: 'zhangsan', position: '总监' })).toMatchObject({
        errcode: 0,
        errmsg: 'updated',
      });
      expect(await call('POST', '/user/update', {}, { userid: 'zhangsan', enable: 0 })).toMatchObject({
        errcode: 0,
      });
      expect(await call('GET', '/user/get', { userid: 'zhangsan' })).toMatchObject({
        position: '总监',
        status: 2,
      });
      expect(await call('GET', '/user/delete', { userid: 'zhangsan' })).toMatchObject({ errmsg: 'deleted' });
      expect((await call('GET', '/user/get', { userid: 'zhangsan' })).errcode).toBe(Errcode.useridNotFound);
    });

    it('reports a duplicate email before a duplicate userid, and userids ignoring case', async () => {
      await createUser('lisi');
      expect((await createUser('lisi')).errcode).toBe(Errcode.emailExists);
      expect((await createUser('LISI', { email: 'other@example.com' })).errcode).toBe(Errcode.useridExists);
    });

    it('refuses bad members with the documented codes', async () => {
      expect((await createUser('1', { department: [99] })).errcode).toBe(Errcode.departmentNotFound);
      expect((await createUser('_bad')).errcode).toBe(Errcode.invalidUserid);
      expect(
        (await call('POST', '/user/create', {}, { userid: 'a1', name: 'a', department: [1] })).errcode,
      ).toBe(Errcode.mobileAndEmailEmpty);
      expect((await createUser('a2', { department: [] })).errcode).toBe(Errcode.missingDepartment);
      expect((await createUser('a3', { is_leader_in_dept: [1, 0] })).errcode).toBe(
        Errcode.leaderCountMismatch,
      );
      expect((await createUser('a4', { gender: 'x' })).errcode).toBe(Errcode.invalidParameter);
      expect((await call('POST', '/user/update', {}, { userid: 'ghost', name: 'x' })).errcode).toBe(
        Errcode.useridNotFound,
      );
    });

    it('drops a field of the wrong JSON type and says so in errmsg, as WeCom does', async () => {
      const created = await createUser('typed', { gender: 1, position: 'Dev' });
      expect(created.errcode).toBe(0);
      expect(created.errmsg).toMatch(/^created\. Warning: wrong json format\./);
      expect(sim.members.get('typed')).toMatchObject({ gender: '0', position: 'Dev' });
      const missing = await call(
        'POST',
        '/user/create',
        {},
        { userid: 'x1', name: 'x', department: '1', email: 'x1@example.com' },
      );
      expect(missing.errcode).toBe(Errcode.missingDepartment);
      expect(missing.errmsg).toMatch(/Warning: wrong json format/);
    });

    it('keeps custom attributes the corp defined and ignores others', async () => {
      await createUser('wangwu', {
        extattr: {
          attrs: [
            { type: 0, name: '工号', text: { value: 'E1' } },
            { type: 0, name: 'undefined-attr', text: { value: 'x' } },
          ],
        },
      });
      const read = await call('GET', '/user/get', { userid: 'wangwu' });
      expect(read.extattr).toEqual({
        attrs: [{ type: 0, name: '工号', value: 'E1', text: { value: 'E1' } }],
      });
    });

    it('pages user/list_id with a cursor, one row per member and department, and refuses a bad cursor', async () => {
      await call('POST', '/department/create', {}, { name: 'Sales', parentid: 1, id: 2 });
      for (let i = 0; i < 5; i += 1) await createUser(`u${i}`, { department: i === 2 ? [1, 2] : [1] });
      const rows: { userid: string; department: number }[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await call('POST', '/user/list_id', {}, { ...(cursor ? { cursor } : {}), limit: 2 });
        rows.push(...(page.dept_user as typeof rows));
        cursor = page.next_cursor as string | undefined;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(rows).toEqual([
        { userid: 'u0', department: 1 },
        { userid: 'u1', department: 1 },
        { userid: 'u2', department: 1 },
        { userid: 'u2', department: 2 },
        { userid: 'u3', department: 1 },
        { userid: 'u4', department: 1 },
      ]);
      expect((await call('POST', '/user/list_id', {}, { cursor: 'garbage' })).errcode).toBe(
        Errcode.invalidCursor,
      );
      expect((await call('POST', '/user/list_id', {}, { limit: 10_001 })).errcode).toBe(
        Errcode.invalidParameter,
      );
    });

    it('batch-deletes all or nothing', async () => {
      await createUser('b1');
      await createUser('b2');
      expect((await call('POST', '/user/batchdelete', {}, { useridlist: ['b1', 'ghost'] })).errcode).toBe(
        Errcode.invalidUseridList,
      );
      expect(sim.members.size).toBe(2);
      expect((await call('POST', '/user/batchdelete', {}, { useridlist: ['b1', 'b2'] })).errcode).toBe(0);
      expect(sim.members.size).toBe(0);
    });

    it('finds userids by email and mobile', async () => {
      await createUser('c1', { mobile: '13800000001' });
      expect(
        await call('POST', '/user/get_userid_by_email', {}, { email: 'c1@example.com', email_type: 2 }),
      ).toMatchObject({
        userid: 'c1',
      });
      expect((await call('POST', '/user/get_userid_by_email', {}, { email: 'c1@example.com' })).errcode).toBe(
        Errcode.userNotExist,
      );
      expect(await call('POST', '/user/getuserid', {}, { mobile: '13800000001' })).toMatchObject({
        userid: 'c1',
      });
    });
  });

  describe('departments', () => {
    it('creates, renames, moves and deletes departments with the documented refusals', async () => {
      const a = await call('POST', '/department/create', {}, { name: 'A', parentid: 1 });
      expect(a).toMatchObject({ errcode: 0, errmsg: 'created' });
      const aId = a.id as number;
      const b = await call(
        'POST',
        '/department/create',
        {},
        { name: 'B', parentid: aId, order: 5, id: 1_500_000_000 },
      );
      expect(b.id).toBe(1_500_000_000);
      expect((await call('POST', '/department/create', {}, { name: 'B', parentid: aId })).errcode).toBe(
        Errcode.departmentExists,
      );
      // A chosen id already in use: the same 60008 as a taken name, and the department holding it is untouched.
      const taken = await call('POST', '/department/create', {}, { name: 'Z', parentid: 1, id: b.id });
      expect(taken).toMatchObject({ errcode: Errcode.departmentExists });
      expect(taken.errmsg).toMatch(/^department existed, hint: \[/);
      expect(await call('GET', '/department/get', { id: b.id })).toMatchObject({
        department: { id: b.id, name: 'B', parentid: aId },
      });
      expect((await call('POST', '/department/create', {}, { name: 'C', parentid: 77 })).errcode).toBe(
        Errcode.parentDepartmentNotFound,
      );
      expect((await call('POST', '/department/create', {}, { name: 'a:b', parentid: 1 })).errcode).toBe(
        Errcode.departmentNameChars,
      );
      expect((await call('POST', '/department/update', {}, { id: aId, parentid: b.id })).errcode).toBe(
        Errcode.departmentCycle,
      );
      expect(
        await call('POST', '/department/update', {}, { id: b.id, parentid: 1, name: 'B2' }),
      ).toMatchObject({
        errmsg: 'updated',
      });
      expect(await call('GET', '/department/get', { id: b.id })).toMatchObject({
        department: { id: b.id, name: 'B2', parentid: 1, order: 5, department_leader: [] },
      });
      await createUser('d1', { department: [aId], is_leader_in_dept: [1] });
      expect((await call('GET', '/department/get', { id: aId })).department).toMatchObject({
        department_leader: ['d1'],
      });
      expect((await call('GET', '/department/delete', { id: aId })).errcode).toBe(
        Errcode.departmentHasMembers,
      );
      expect((await call('GET', '/department/delete', { id: 1 })).errcode).toBe(Errcode.cannotDeleteRoot);
      expect((await call('GET', '/department/delete', { id: 424242 })).errcode).toBe(
        Errcode.departmentNotFound,
      );
      const simple = await call('GET', '/department/simplelist');
      expect(simple.department_id).toEqual([
        { id: 1, parentid: 0, order: 100_000_000 },
        { id: aId, parentid: 1, order: 0 },
        { id: b.id, parentid: 1, order: 5 },
      ]);
    });

    it('refuses to delete a department with sub-departments (60006)', async () => {
      const a = await call('POST', '/department/create', {}, { name: 'A', parentid: 1 });
      await call('POST', '/department/create', {}, { name: 'A1', parentid: a.id });
      expect((await call('GET', '/department/delete', { id: a.id })).errcode).toBe(
        Errcode.departmentHasChildren,
      );
    });

    it('limits the tree to 15 levels (81002)', async () => {
      let parent = 1;
      for (let level = 2; level <= 15; level += 1) {
        parent = (await call('POST', '/department/create', {}, { name: `L${level}`, parentid: parent }))
          .id as number;
      }
      expect((await call('POST', '/department/create', {}, { name: 'L16', parentid: parent })).errcode).toBe(
        Errcode.departmentDepthLimit,
      );
    });
  });

  describe('transport, permissions and limits', () => {
    it('answers a wrong method (43002), bad JSON (47001) and an unknown path (HTTP 404)', async () => {
      const accessToken = await token();
      expect((await raw('GET', '/user/create', { access_token: accessToken })).data.errcode).toBe(
        Errcode.requiresPost,
      );
      const bad = await axios.post(`${base}/cgi-bin/user/create?access_token=${accessToken}`, '{"userid":', {
        headers: { 'content-type': 'application/json' },
        validateStatus: () => true,
      });
      expect(bad.data.errcode).toBe(Errcode.badJson);
      expect((await raw('GET', '/nope', { access_token: accessToken })).status).toBe(404);
    });

    it('refuses edits with a read-only or application secret (48002) and list_id with an app secret', async () => {
      const readOnly = await token('read-only');
      const edit = await raw(
        'POST',
        '/department/create',
        { access_token: readOnly },
        { name: 'X', parentid: 1 },
      );
      expect(edit.data.errcode).toBe(Errcode.apiForbidden);
      const app = await token('app-secret');
      expect((await raw('POST', '/user/list_id', { access_token: app }, {})).data.errcode).toBe(
        Errcode.apiForbidden,
      );
      expect((await raw('POST', '/user/list_id', { access_token: readOnly }, {})).data.errcode).toBe(0);
    });

    it('answers calls from an untrusted IP with 60020', async () => {
      sim.trustedIps = ['203.0.113.9'];
      const response = await raw('GET', '/gettoken', { corpid: DEFAULT_CORP_ID, corpsecret: DEFAULT_SECRET });
      expect(response.data.errcode).toBe(Errcode.ipNotAllowed);
    });

    it('blocks an API over its per-minute limit with 45009, other APIs still answering', async () => {
      sim.frequency.limits = { perMinute: 3, perHour: 100 };
      const accessToken = await token();
      const codes: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        codes.push((await raw('GET', '/user/get', { access_token: accessToken, userid: 'x' })).data.errcode);
      }
      expect(codes).toEqual([
        Errcode.useridNotFound,
        Errcode.useridNotFound,
        Errcode.useridNotFound,
        Errcode.apiFrequencyLimit,
        Errcode.apiFrequencyLimit,
      ]);
      expect((await raw('GET', '/department/get', { access_token: accessToken, id: 1 })).data.errcode).toBe(
        0,
      );
    });

    it('injects 45009 in a 200 body and 5xx bursts from the kit fault knobs', async () => {
      const accessToken = await token();
      sim.faults.set({ next429: 1, burst5xx: 1 });
      const failed = await raw('GET', '/department/get', { access_token: accessToken, id: 1 });
      expect(failed.status).toBe(500);
      const limited = await raw('GET', '/department/get', { access_token: accessToken, id: 1 });
      expect(limited.status).toBe(200);
      expect(limited.data.errcode).toBe(Errcode.apiFrequencyLimit);
      expect((await raw('GET', '/department/get', { access_token: accessToken, id: 1 })).data.errcode).toBe(
        0,
      );
      expect(sim.faults.stats).toMatchObject({ injected429: 1, injected5xx: 1 });
    });
  });

  it('seeds 100,000 members and pages them all through list_id', async () => {
    const big = new WeComSimulator({ people: 100_000, seed: 7 });
    try {
      const { url } = await big.start();
      expect(big.members.size).toBe(100_000);
      expect(big.tree.size).toBe(2_500);
      const accessToken = (
        await axios.get(`${url}/cgi-bin/gettoken`, {
          params: { corpid: DEFAULT_CORP_ID, corpsecret: DEFAULT_SECRET },
        })
      ).data.access_token as string;
      const seen = new Set<string>();
      let cursor: string | undefined;
      do {
        const page = (
          await axios.post(
            `${url}/cgi-bin/user/list_id`,
            { ...(cursor ? { cursor } : {}), limit: 10_000 },
            {
              params: { access_token: accessToken },
            },
          )
        ).data as { next_cursor?: string; dept_user: { userid: string }[] };
        for (const row of page.dept_user) seen.add(row.userid);
        cursor = page.next_cursor;
      } while (cursor);
      expect(seen.size).toBe(100_000);
    } finally {
      await big.stop();
    }
  });
});
