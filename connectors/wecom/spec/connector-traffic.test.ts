import { createLogger } from '../../../core/logger.js';
import { readAll } from '../../kit/conformance/read-all.js';
import type { AccountInput } from '../../kit/contract.js';
import { wecomConfigSchema, wecomConnector } from '../index.js';
import { DEFAULT_CORP_ID, DEFAULT_SECRET, WeComSimulator } from '../simulator.js';
import { exchangeViolations } from './check-exchanges.js';
import { loadWeComSpecs } from './field-lists.js';
import { LIST_ID_SPEC } from './list-id-spec.js';

/**
 * Every request the connector sends — query parameters and JSON body — checked against WeCom's own field lists
 * (shared/specs/wecom): only documented APIs and fields, of the documented types, required ones present.
 */
describe('WeCom connector traffic against the vendor field lists', () => {
  let sim: WeComSimulator;
  afterEach(() => sim.stop());

  it('sends only documented requests through every capability', async () => {
    const specs = loadWeComSpecs();
    specs.set(LIST_ID_SPEC.path, LIST_ID_SPEC);
    sim = new WeComSimulator({ people: 12, record: true, extattrNames: ['工号'] });
    const { url } = await sim.start();
    const instance = wecomConnector.create({
      connectionId: 'wecom-traffic',
      log: createLogger({ level: 'silent' }),
      config: wecomConfigSchema.parse({
        corpId: DEFAULT_CORP_ID,
        corpSecret: DEFAULT_SECRET,
        baseUrl: url,
        matchByEmail: true,
        requestsPerSecond: 500,
      }),
    });

    await instance.check();
    const sales = await instance.upsertDepartment!({
      correlationId: 'sales',
      name: 'Traffic Sales',
      parentExternalId: null,
      order: 2,
    });
    const east = await instance.upsertDepartment!({
      correlationId: 'east',
      name: 'East',
      parentExternalId: sales.externalId,
    });
    await instance.upsertDepartment!({ correlationId: 'east', name: 'East Coast', parentExternalId: null });
    const input: AccountInput = {
      correlationId: 'E900001',
      userName: 'zhang.san',
      email: 'zhang.san@example.com',
      displayName: '张三',
      active: true,
      departmentExternalIds: [sales.externalId, east.externalId],
      attributes: {
        alias: 'jackzhang',
        mobile: '+86 13800000000',
        position: '产品经理',
        gender: '1',
        telephone: '020-123456',
        address: '广州市海珠区新港中路',
        external_position: '高级产品经理',
        main_department: Number(sales.externalId),
        order: [10, 40],
        is_leader_in_dept: [1, 0],
        direct_leader: ['E000001'],
        'extattr.工号': 'E900001',
      },
    };
    const created = await instance.createAccount!(input);
    await instance.createAccount!(input);
    await instance.findAccount!(input);
    await instance.findAccount!({ correlationId: 'unknown', userName: 'x', email: 'nobody@example.com' });
    await instance.updateAccount!(created.externalId, {
      ...input,
      email: null,
      attributes: { ...input.attributes, position: null, 'extattr.工号': null },
    });
    await instance.disableAccount!(created.externalId);
    await readAll(instance.listAccounts!, { pageSize: 5 });
    const byDepartment = wecomConnector.create({
      connectionId: 'wecom-traffic-by-department',
      log: createLogger({ level: 'silent' }),
      config: wecomConfigSchema.parse({
        corpId: DEFAULT_CORP_ID,
        corpSecret: DEFAULT_SECRET,
        baseUrl: url,
        memberListing: 'department',
      }),
    });
    await readAll(byDepartment.listAccounts!, { pageSize: 5 });
    await readAll(instance.readDepartments!, { pageSize: 2 });
    await instance.deleteAccount!(created.externalId);
    await instance.deleteDepartment!(east.externalId);
    await instance.deleteDepartment!(sales.externalId);

    const exchanges = sim.recorder.exchanges;
    expect(new Set(exchanges.map((e) => e.path))).toEqual(
      new Set(
        [
          '/gettoken',
          '/department/get',
          '/department/update',
          '/department/create',
          '/department/simplelist',
          '/department/delete',
          '/user/list_id',
          '/user/list',
          '/user/create',
          '/user/get',
          '/user/update',
          '/user/get_userid_by_email',
          '/user/delete',
        ].map((path) => `/cgi-bin${path}`),
      ),
    );
    expect(exchanges.flatMap((exchange) => exchangeViolations(exchange, specs))).toEqual([]);
  });
});
