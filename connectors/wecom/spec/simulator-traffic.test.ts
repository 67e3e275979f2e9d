import axios from 'axios';
import { DEFAULT_CORP_ID, DEFAULT_SECRET, WeComSimulator } from '../simulator.js';
import { exchangeViolations } from './check-exchanges.js';
import { loadWeComSpecs, violations, type ApiSpec } from './field-lists.js';
import { LIST_ID_SPEC } from './list-id-spec.js';

/**
 * Every answer the simulator gives, checked field by field against WeCom's own field lists
 * (shared/specs/wecom): no undocumented field, every field of the documented JSON type.
 */
describe('WeCom simulator traffic against the vendor field lists', () => {
  let specs: Map<string, ApiSpec>;
  let sim: WeComSimulator;

  beforeAll(() => {
    specs = loadWeComSpecs();
    specs.set(LIST_ID_SPEC.path, LIST_ID_SPEC);
  });

  beforeEach(() => {
    sim = new WeComSimulator({ people: 30, record: true, extattrNames: ['工号'] });
  });
  afterEach(() => sim.stop());

  it('loads the field lists of the contacts APIs', () => {
    for (const path of ['/gettoken', '/user/create', '/user/update', '/user/get', '/department/create']) {
      expect(specs.has(path)).toBe(true);
    }
    expect(specs.get('/user/create')?.body.find((f) => f.name === 'userid')?.required).toBe(true);
  });

  it('finds undocumented fields, wrong types and missing required fields', () => {
    const spec = specs.get('/department/create')!;
    expect(violations({ name: 'x', parentid: '1', colour: 'red' }, spec.body, true)).toEqual([
      'parentid: should be a number, is "1"',
      'colour: not a documented field',
    ]);
    expect(violations({ parentid: 1 }, spec.body, true)).toEqual(['name: required, missing']);
  });

  it('answers every contacts API with documented fields only', async () => {
    const { url } = await sim.start();
    const http = axios.create({ baseURL: `${url}/cgi-bin`, validateStatus: () => true });
    const token = (
      await http.get('/gettoken', { params: { corpid: DEFAULT_CORP_ID, corpsecret: DEFAULT_SECRET } })
    ).data.access_token as string;
    const q = (extra: Record<string, unknown> = {}) => ({ params: { access_token: token, ...extra } });

    const dept = (
      await http.post('/department/create', { name: '研发中心', name_en: 'RDGZ', parentid: 1, order: 1 }, q())
    ).data.id as number;
    await http.post('/department/create', { name: '子部门', parentid: dept, id: 1_234_567 }, q());
    await http.post('/department/update', { id: 1_234_567, name: '子部门2', parentid: 1, order: 3 }, q());
    await http.post(
      '/user/create',
      {
        userid: 'zhangsan',
        name: '张三',
        alias: 'jackzhang',
        mobile: '+86 13800000000',
        department: [1, dept],
        order: [10, 40],
        position: '产品经理',
        gender: '1',
        email: 'zhangsan@gzdev.com',
        is_leader_in_dept: [1, 0],
        direct_leader: ['E000001'],
        enable: 1,
        telephone: '020-123456',
        address: '广州市海珠区新港中路',
        main_department: 1,
        extattr: { attrs: [{ type: 0, name: '工号', text: { value: 'E1' } }] },
        to_invite: false,
        external_position: '高级产品经理',
      },
      q(),
    );
    await http.post('/user/update', { userid: 'zhangsan', position: '总监', enable: 0 }, q());
    await http.get('/user/get', q({ userid: 'zhangsan' }));
    await http.get('/user/get', q({ userid: 'nobody' }));
    await http.get('/user/simplelist', q({ department_id: 1 }));
    await http.get('/user/list', q({ department_id: dept }));
    await http.post('/user/list_id', { limit: 10 }, q());
    await http.post('/user/getuserid', { mobile: '+86 13800000000' }, q());
    await http.post('/user/get_userid_by_email', { email: 'zhangsan@gzdev.com', email_type: 2 }, q());
    await http.get('/department/list', q());
    await http.get('/department/list', q({ id: dept }));
    await http.get('/department/simplelist', q());
    await http.get('/department/get', q({ id: dept }));
    await http.get('/user/delete', q({ userid: 'zhangsan' }));
    await http.post('/user/batchdelete', { useridlist: ['E000002', 'E000003'] }, q());
    await http.get('/department/delete', q({ id: 1_234_567 }));
    await http.get('/department/delete', q({ id: 1 }));

    const exchanges = sim.recorder.exchanges;
    const ok = exchanges.filter((e) => (e.responseBody as { errcode?: number }).errcode === 0);
    expect(new Set(ok.map((e) => e.path))).toEqual(
      new Set(
        [
          '/gettoken',
          '/department/create',
          '/department/update',
          '/user/create',
          '/user/update',
          '/user/get',
          '/user/simplelist',
          '/user/list',
          '/user/list_id',
          '/user/getuserid',
          '/user/get_userid_by_email',
          '/department/list',
          '/department/simplelist',
          '/department/get',
          '/user/delete',
          '/user/batchdelete',
          '/department/delete',
        ].map((path) => `/cgi-bin${path}`),
      ),
    );
    expect(exchanges.flatMap((exchange) => exchangeViolations(exchange, specs))).toEqual([]);
  });
});
