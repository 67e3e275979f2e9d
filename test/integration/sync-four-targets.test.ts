import { jest } from '@jest/globals';
import { Client as LdapClient } from 'ldapts';
import { KingdeeSimulator, KINGDEE_SIMULATOR_DEFAULTS as KD } from '../../connectors/kingdee/simulator.js';
import { startLdapSimulator, type LdapSimulator } from '../../connectors/ldap/simulator.js';
import { useridFor } from '../../connectors/wecom/userid.js';
import { startConnectionSync, waitForRun } from '../../workers/client.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import {
  connectTestTemporal,
  startTestWorker,
  type RunningTestWorker,
  type TestTemporal,
} from '../harness/temporal.js';
import { buildWorld, insertConnection, type SyncWorld } from './sync-world.js';

jest.setTimeout(900_000);

describe('1,000 HR people into WeCom, SCIM, LDAP and Kingdee through role rules', () => {
  let db: TestDatabase;
  let temporal: TestTemporal;
  let worker: RunningTestWorker;
  let world: SyncWorld;
  let ldap: LdapSimulator;
  let kingdee: KingdeeSimulator;
  let stopKingdee: () => Promise<void>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await connectTestTemporal();
    world = await buildWorld(db.dataSource, {
      people: 1000,
      targets: ['wecom', 'scim'],
      target: { accountScope: 'entitled' },
    });
    ldap = await startLdapSimulator({ people: 0, seed: 3 });
    kingdee = new KingdeeSimulator({ people: 0, seed: 3 });
    const kh = await kingdee.start();
    stopKingdee = () => kh.stop();
    ids.ldap = await insertConnection(db.dataSource, world.vault, {
      tenantId: world.tenantId,
      connectorId: 'ldap',
      slug: 'ldap',
      direction: 'target',
      raw: { ...ldap.connectionConfig },
      mappings: { title: 'jobTitle', employeeNumber: 'employeeNumber' },
      accountScope: 'entitled',
    });
    ids.kingdee = await insertConnection(db.dataSource, world.vault, {
      tenantId: world.tenantId,
      connectorId: 'kingdee',
      slug: 'kingdee',
      direction: 'target',
      raw: {
        baseUrl: kh.baseUrl,
        acctId: KD.acctId,
        username: KD.userName,
        password: KD.password,
        orgNumber: KD.orgNumber,
        // The simulator has no limit of its own; the default 10/s would make this test take minutes.
        requestsPerSecond: 1000,
      },
      mappings: { userName: 'employeeNumber' },
      accountScope: 'entitled',
    });
    ids.wecom = world.wecom!.connectionId;
    ids.scim = world.scim!.connectionId;
    worker = await startTestWorker(temporal, world.deps({ pageSize: 250, writeConcurrency: 8 }));
  });

  afterAll(async () => {
    await worker?.stop();
    await world?.stop();
    await ldap?.stop();
    await stopKingdee?.();
    await temporal?.close();
    await db?.drop();
  });

  it('gives every in-scope person exactly one account with the right attributes, department and groups', async () => {
    const ds = db.dataSource;
    const read = await startConnectionSync(
      temporal.client,
      temporal.taskQueue,
      { id: world.hr.connectionId, direction: 'source' },
      { mode: 'full', provisionTargets: false },
    );
    await waitForRun(temporal.client, read.workflowId);

    // Access model: everyone active gets an account everywhere and "all-staff"; the largest department's subtree
    // gets "engineering"; SCIM is scoped to leave out one other department.
    const [big, other] = (await ds.query(
      `SELECT d.id, d.external_id, d.name FROM departments d JOIN people p ON p.department_id = d.id
        GROUP BY d.id ORDER BY count(*) DESC, d.id LIMIT 2`,
    )) as { id: string; external_id: string; name: string }[];
    const role = async (
      key: string,
      condition: unknown,
      grants: [string, string, string][],
    ): Promise<void> => {
      const [r] = (await ds.query(
        `INSERT INTO roles (tenant_id, key, name, version) VALUES ($1, $2, $2, 1) RETURNING id`,
        [world.tenantId, key],
      )) as [{ id: string }];
      await ds.query(
        `INSERT INTO role_rules (tenant_id, role_id, name, condition, version) VALUES ($1, $2, $3, $4, 1)`,
        [world.tenantId, r.id, key, JSON.stringify(condition)],
      );
      for (const [connection, kind, value] of grants) {
        await ds.query(
          `INSERT INTO entitlements (tenant_id, role_id, kind, connection_id, value, version) VALUES ($1, $2, $3, $4, $5, 1)`,
          [world.tenantId, r.id, kind, ids[connection], value],
        );
      }
    };
    await role('employee', { attribute: 'status', op: 'eq', value: 'active' }, [
      ['wecom', 'account', ''],
      ['scim', 'account', ''],
      ['ldap', 'account', ''],
      ['kingdee', 'account', ''],
      ['scim', 'group', 'all-staff'],
      ['ldap', 'group', 'all-staff'],
    ]);
    await role('engineering', { department: { externalId: big!.external_id } }, [
      ['scim', 'group', 'engineering'],
      ['ldap', 'group', 'engineering'],
    ]);
    await ds.query(`UPDATE connections SET scope_filter = $2 WHERE id = $1`, [
      ids.scim,
      `department.name != ${JSON.stringify(other!.name)}`,
    ]);

    const run = await startConnectionSync(
      temporal.client,
      temporal.taskQueue,
      { id: world.hr.connectionId, direction: 'source' },
      { mode: 'full' },
    );
    const outcome = await waitForRun(temporal.client, run.workflowId);
    expect(outcome.status).toBe('succeeded');
    expect(outcome.targets?.map((t) => t.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
    ]);

    const active = (await ds.query(
      `SELECT p.id, p.email, p.employee_number, p.job_title, p.department_id FROM people p WHERE p.status = 'active' ORDER BY p.id`,
    )) as {
      id: string;
      email: string | null;
      employee_number: string;
      job_title: string | null;
      department_id: string;
    }[];
    const scimScope = active.filter((p) => p.department_id !== other!.id);
    const engineering = active.filter((p) => p.department_id === big!.id);
    expect(active.length).toBeGreaterThan(900);

    // WeCom: a member per active person, in the department Junction created for theirs.
    const links = new Map(
      (
        (await ds.query(
          `SELECT object_key, external_id FROM target_records WHERE connection_id = $1 AND object_type = 'department'`,
          [ids.wecom],
        )) as {
          object_key: string;
          external_id: string;
        }[]
      ).map((r) => [r.object_key, Number(r.external_id)]),
    );
    expect(world.wecom!.sim.members.size).toBe(active.length);
    for (const p of active) {
      const member = world.wecom!.sim.members.get(useridFor(p.id))!;
      expect(member.position ?? null).toBe(p.job_title);
      expect(member.department).toEqual([links.get(p.department_id)]);
    }

    // SCIM: only the scoped people, with their groups.
    const store = world.scim!.sim.store;
    expect(store.count('User')).toBe(scimScope.length);
    const groupMembers = (name: string): Set<string> => {
      const group = store
        .ids('Group')
        .map((id) => store.get('Group', id)!)
        .find((g) => (g.attributes as { displayName: string }).displayName === name);
      return new Set(
        ((group?.attributes as { members?: { value: string }[] })?.members ?? []).map((m) => m.value),
      );
    };
    const scimIds = new Map(scimScope.map((p) => [p.id, store.findByExternalId('User', p.id)[0]!.id]));
    expect(groupMembers('all-staff')).toEqual(new Set(scimIds.values()));
    expect(groupMembers('engineering')).toEqual(
      new Set(engineering.filter((p) => scimIds.has(p.id)).map((p) => scimIds.get(p.id))),
    );

    // LDAP: an entry per active person with title, in the OU of their department, and group members.
    const client = new LdapClient({ url: ldap.slapd.url });
    await client.bind(ldap.slapd.adminDn, ldap.slapd.adminPassword);
    try {
      const { searchEntries } = await client.search(ldap.slapd.usersDn, {
        scope: 'sub',
        filter: '(objectClass=inetOrgPerson)',
        attributes: ['title', 'employeeNumber'],
        paged: { pageSize: 500 },
      });
      expect(searchEntries).toHaveLength(active.length);
      const byNumber = new Map(searchEntries.map((e) => [String(e.employeeNumber), e]));
      for (const p of active.slice(0, 100)) {
        const entry = byNumber.get(p.employee_number)!;
        expect(entry.title ?? null).toEqual(p.job_title ?? null);
        expect(entry.dn.toLowerCase()).toMatch(/ou=.*ou=people/);
      }
      const { searchEntries: groups } = await client.search(ldap.slapd.groupsDn, {
        scope: 'sub',
        filter: '(cn=*)',
        attributes: ['cn', 'member', 'uniqueMember'],
      });
      const size = (cn: string): number => {
        const g = groups.find((e) => e.cn === cn);
        const members = g?.member ?? g?.uniqueMember ?? [];
        return Array.isArray(members) ? members.length : 1;
      };
      expect(size('all-staff')).toBe(active.length);
      expect(size('engineering')).toBe(engineering.length);
    } finally {
      await client.unbind();
    }

    // Kingdee: an employee record per active person, numbered by employee number, departments synced.
    expect(kingdee.state.employees.size).toBe(active.length);
    const numbers = new Set([...kingdee.state.employees.values()].map((e) => e.number));
    for (const p of active) expect(numbers.has(p.employee_number)).toBe(true);
    const [depts] = (await ds.query(`SELECT count(*)::int AS n FROM departments`)) as [{ n: number }];
    expect(kingdee.state.departments.size).toBeGreaterThanOrEqual(depts.n);

    const [dupes] = (await ds.query(
      `SELECT count(*)::int AS n FROM accounts GROUP BY connection_id, person_id HAVING count(*) > 1`,
    )) as { n: number }[];
    expect(dupes).toBeUndefined();
  });
});
