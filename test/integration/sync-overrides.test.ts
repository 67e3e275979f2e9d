import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { useridFor } from '../../connectors/wecom/userid.js';
import { createLogger } from '../../core/logger.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { dryRunConnection, startConnectionSync, waitForRun } from '../../workers/client.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import {
  connectTestTemporal,
  startTestWorker,
  type RunningTestWorker,
  type TestTemporal,
} from '../harness/temporal.js';
import { apiClient, createAdminToken, type ApiClient } from './api-harness.js';
import { buildWorld, type SyncWorld } from './sync-world.js';

jest.setTimeout(300_000);

interface PersonRow {
  id: string;
  external_id: string;
  job_title: string | null;
  department_id: string | null;
  phone: string | null;
  source_values: Record<string, unknown>;
}

/**
 * An admin's override wins over HR: through the admin API (which recomputes the person's roles and provisions
 * them at once), through HR changing the same person later, and until it is cleared — when HR's value comes back.
 * Real PostgreSQL, the real Temporal dev server, the gateway, and BambooHR / WeCom / SCIM simulators.
 */
describe('manual overrides against HR', () => {
  let db: TestDatabase;
  let temporal: TestTemporal;
  let worker: RunningTestWorker;
  let world: SyncWorld;
  let gateway: RunningGateway;
  let admin: ApiClient;
  let person: PersonRow;
  let deptB: { id: string; external_id: string; name: string };
  let roleId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await connectTestTemporal();
    world = await buildWorld(db.dataSource, { people: 60, targets: ['wecom', 'scim'] });
    worker = await startTestWorker(temporal, world.deps({ pageSize: 100 }));
    gateway = await startGateway(
      {
        dataSource: db.dataSource,
        temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue: temporal.taskQueue },
        log: createLogger({ level: process.env.LOG_LEVEL ?? 'silent' }),
        publicUrl: 'http://127.0.0.1',
        vault: world.vault,
      },
      0,
      '127.0.0.1',
    );
    admin = apiClient(gateway.url, await createAdminToken(db.dataSource, world.tenantId, 'group_admin'));
    expect((await sync('full')).status).toBe('succeeded');

    const [p] = (await db.dataSource.query(
      `SELECT id, external_id, job_title, department_id, phone, source_values FROM people
        WHERE status = 'active' AND department_id IS NOT NULL ORDER BY employee_number LIMIT 1`,
    )) as [PersonRow];
    person = p;
    const [b] = (await db.dataSource.query(
      `SELECT id, external_id, name FROM departments WHERE status = 'active' AND id <> $1 ORDER BY name LIMIT 1`,
      [person.department_id],
    )) as [{ id: string; external_id: string; name: string }];
    deptB = b;
    // A role the rules give to department B's people: an override moving someone there must give it.
    const [role] = (await db.dataSource.query(
      `INSERT INTO roles (tenant_id, key, name, version) VALUES ($1, 'dept-b', 'Dept B', 1) RETURNING id`,
      [world.tenantId],
    )) as [{ id: string }];
    roleId = role.id;
    await db.dataSource.query(
      `INSERT INTO role_rules (tenant_id, role_id, name, condition, version) VALUES ($1, $2, 'dept-b', $3, 1)`,
      [world.tenantId, roleId, JSON.stringify({ department: { externalId: deptB.external_id } })],
    );
  });

  afterAll(async () => {
    await gateway?.close();
    await worker?.stop();
    await world?.stop();
    await temporal?.close();
    await db?.drop();
  });

  async function sync(mode: 'full' | 'incremental') {
    const started = await startConnectionSync(
      temporal.client,
      temporal.taskQueue,
      { id: world.hr.connectionId, direction: 'source' },
      { mode, trigger: 'manual' },
    );
    return waitForRun(temporal.client, started.workflowId);
  }

  const load = async (id: string): Promise<PersonRow> => {
    const [row] = (await db.dataSource.query(
      `SELECT id, external_id, job_title, department_id, phone, source_values FROM people WHERE id = $1`,
      [id],
    )) as [PersonRow];
    return row;
  };
  const dbNow = async (): Promise<Date> =>
    ((await db.dataSource.query(`SELECT now() AS t`)) as [{ t: Date }])[0].t;
  /** The provisionPerson run an API change starts: one finished person run per target. */
  const personRunsAfter = async (since: Date): Promise<{ status: string }[]> => {
    for (let i = 0; i < 300; i += 1) {
      const runs = (await db.dataSource.query(
        `SELECT status FROM sync_runs WHERE kind = 'person' AND started_at >= $1`,
        [since],
      )) as { status: string }[];
      if (runs.length === 2 && runs.every((r) => r.status !== 'running')) return runs;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the person runs did not finish');
  };
  const wecomDepartment = async (departmentId: string): Promise<number> => {
    const [row] = (await db.dataSource.query(
      `SELECT external_id FROM target_records WHERE connection_id = $1 AND object_type = 'department' AND object_key = $2`,
      [world.wecom!.connectionId, departmentId],
    )) as [{ external_id: string }];
    return Number(row.external_id);
  };
  const scimTitle = (personId: string): unknown =>
    (world.scim!.sim.store.findByExternalId('User', personId)[0]?.attributes as Record<string, unknown>)
      .title;
  const scimDepartment = (personId: string): unknown => {
    const user = world.scim!.sim.store.findByExternalId('User', personId)[0]?.attributes as Record<
      string,
      unknown
    >;
    const enterprise = user['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'] as
      Record<string, unknown> | undefined;
    return enterprise?.department;
  };
  const patch = (id: string, body: unknown) => admin.patch<Record<string, unknown>>(`/people/${id}`, body);

  it('an override reaches the directory, the role rules and every target at once', async () => {
    const since = await dbNow();
    const res = await patch(person.id, { set: { jobTitle: 'Chief Override', departmentId: deptB.id } });
    expect(res.status).toBe(200);
    expect(res.body.overrides).toEqual({ jobTitle: 'Chief Override', departmentId: deptB.id });
    expect(res.body.sourceValues).toEqual({ jobTitle: person.job_title, departmentId: person.department_id });
    const row = await load(person.id);
    expect(row).toMatchObject({ job_title: 'Chief Override', department_id: deptB.id });
    // HR's values, to put back when the override is cleared.
    expect(row.source_values).toEqual({ jobTitle: person.job_title, departmentId: person.department_id });
    const roles = (await db.dataSource.query(
      `SELECT role_id FROM role_assignments WHERE person_id = $1 AND source = 'rule'`,
      [person.id],
    )) as { role_id: string }[];
    expect(roles.map((r) => r.role_id)).toContain(roleId);

    expect((await personRunsAfter(since)).map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    const member = world.wecom!.sim.members.get(useridFor(person.id));
    expect(member?.position).toBe('Chief Override');
    expect(member?.department).toEqual([await wecomDepartment(deptB.id)]);
    expect(scimTitle(person.id)).toBe('Chief Override');
  });

  it('HR changing that person keeps the overridden fields, and reports only what really changed', async () => {
    const state = world.hr.sim.state;
    const departments = state.lists.department.options.filter((o) => o.archived === 'no');
    const hrDept = departments.find((o) => String(o.id) !== deptB.external_id)!;
    // HR changes the overridden title and department, and the phone nobody overrode.
    state.update(Number(person.external_id), {
      jobTitle: 'HR Title Two',
      department: hrDept.name,
      mobilePhone: '+86 138 0000 0001',
    });
    // A second person: an override, then HR changes only that overridden field — no change at all for us.
    const [other] = (await db.dataSource.query(
      `SELECT id, external_id FROM people WHERE status = 'active' AND id <> $1 ORDER BY employee_number LIMIT 1`,
      [person.id],
    )) as [{ id: string; external_id: string }];
    expect((await patch(other.id, { set: { jobTitle: 'Kept Title' } })).status).toBe(200);
    state.update(Number(other.external_id), { jobTitle: 'HR Renamed It' });

    const outcome = await sync('incremental');
    expect(outcome.status).toBe('succeeded');
    const row = await load(person.id);
    expect(row).toMatchObject({ job_title: 'Chief Override', department_id: deptB.id });
    expect(row.phone).toBe('+86 138 0000 0001');
    const [hrDeptRow] = (await db.dataSource.query(
      `SELECT id FROM departments WHERE source_connection_id = $1 AND external_id = $2`,
      [world.hr.connectionId, String(hrDept.id)],
    )) as [{ id: string }];
    expect(row.source_values).toEqual({ jobTitle: 'HR Title Two', departmentId: hrDeptRow.id });
    expect((await load(other.id)).job_title).toBe('Kept Title');

    const events = (await db.dataSource.query(
      `SELECT object_id, diff FROM sync_events WHERE run_id = $1 AND object_type = 'person'`,
      [outcome.runId],
    )) as { object_id: string; diff: Record<string, unknown> }[];
    expect(events.map((e) => e.object_id)).toEqual([person.id]);
    expect(Object.keys(events[0]!.diff)).toEqual(['phone']);

    // The targets were provisioned after the read: the admin's title and department stand there too.
    const member = world.wecom!.sim.members.get(useridFor(person.id));
    expect(member?.position).toBe('Chief Override');
    expect(member?.department).toEqual([await wecomDepartment(deptB.id)]);
    expect(scimTitle(person.id)).toBe('Chief Override');
    expect(world.wecom!.sim.members.get(useridFor(other.id))?.position).toBe('Kept Title');
  });

  it('clearing the override puts HR’s current value back at once and the next sync keeps it', async () => {
    const since = await dbNow();
    const res = await patch(person.id, { clear: ['jobTitle', 'departmentId'] });
    expect(res.status).toBe(200);
    expect(res.body.overrides).toEqual({});
    const row = await load(person.id);
    expect(row.source_values).toEqual({});
    expect(row.job_title).toBe('HR Title Two');
    expect(row.department_id).not.toBe(deptB.id);
    const roles = (await db.dataSource.query(
      `SELECT role_id FROM role_assignments WHERE person_id = $1 AND source = 'rule'`,
      [person.id],
    )) as { role_id: string }[];
    expect(roles.map((r) => r.role_id)).not.toContain(roleId);
    await personRunsAfter(since);
    expect(world.wecom!.sim.members.get(useridFor(person.id))?.position).toBe('HR Title Two');
    expect(world.wecom!.sim.members.get(useridFor(person.id))?.department).toEqual([
      await wecomDepartment(row.department_id!),
    ]);

    // The next read (HR unchanged for this person) leaves HR's value; a full one rewrites the record as HR has it.
    const incremental = await sync('incremental');
    expect(incremental.status).toBe('succeeded');
    expect(await load(person.id)).toMatchObject({
      job_title: 'HR Title Two',
      department_id: row.department_id,
    });
    const full = await sync('full');
    expect(full.status).toBe('succeeded');
    // Whichever read rewrote the record (its source hash was dropped), it was HR's already: no empty "update".
    const rewritten = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM sync_events WHERE run_id = ANY($1) AND object_id = $2`,
      [[incremental.runId, full.runId], person.id],
    )) as [{ n: number }];
    expect(rewritten[0].n).toBe(0);
    expect(await load(person.id)).toMatchObject({
      job_title: 'HR Title Two',
      department_id: row.department_id,
    });
    expect(scimTitle(person.id)).toBe('HR Title Two');
  });

  it('a department name override survives HR renaming the department, and clearing it restores HR’s name', async () => {
    const option = world.hr.sim.state.lists.department.options.find(
      (o) => String(o.id) === deptB.external_id,
    )!;
    const res = await admin.patch<Record<string, unknown>>(`/departments/${deptB.id}`, {
      set: { name: 'Admin Name' },
    });
    expect(res.status).toBe(200);
    option.name = `${deptB.name} (HR) ${randomBytes(2).toString('hex')}`;
    const outcome = await sync('full');
    expect(outcome.status).toBe('succeeded');
    const [dept] = (await db.dataSource.query(`SELECT name, source_values FROM departments WHERE id = $1`, [
      deptB.id,
    ])) as [{ name: string; source_values: Record<string, unknown> }];
    expect(dept).toEqual({ name: 'Admin Name', source_values: { name: option.name } });
    const renamed = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM sync_events WHERE run_id = $1 AND object_type = 'department' AND object_id = $2`,
      [outcome.runId, deptB.id],
    )) as [{ n: number }];
    expect(renamed[0].n).toBe(0);
    expect(world.wecom!.sim.tree.get(await wecomDepartment(deptB.id))?.name).toBe('Admin Name');

    const [member] = (await db.dataSource.query(
      `SELECT p.id FROM people p JOIN accounts a ON a.person_id = p.id AND a.connection_id = $2
        WHERE p.department_id = $1 AND p.status = 'active' LIMIT 1`,
      [deptB.id, world.scim!.connectionId],
    )) as [{ id: string }];
    expect(scimDepartment(member.id)).toBe('Admin Name');
    // A quiet pass first, so the targets' watermark is past everything the full run touched.
    expect((await sync('incremental')).status).toBe('succeeded');

    const cleared = await admin.patch<Record<string, unknown>>(`/departments/${deptB.id}`, {
      clear: ['name'],
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body.name).toBe(option.name);
    // HR changed none of its people, yet the next incremental pass gives them the department's name again.
    const next = await sync('incremental');
    expect(next.targets?.map((t) => t.status)).toEqual(['succeeded', 'succeeded']);
    expect(scimDepartment(member.id)).toBe(option.name);
  });

  it('a dry run of HR lists the roles each changed person would gain or lose, and assigns none', async () => {
    const state = world.hr.sim.state;
    const bName = state.lists.department.options.find((o) => String(o.id) === deptB.external_id)!.name;
    const [joining] = (await db.dataSource.query(
      `SELECT id, external_id FROM people WHERE status = 'active' AND department_id <> $1 AND overrides = '{}'
        ORDER BY employee_number DESC LIMIT 1`,
      [deptB.id],
    )) as [{ id: string; external_id: string }];
    const [leaving] = (await db.dataSource.query(
      `SELECT id, external_id, (SELECT d.name FROM departments d WHERE d.id = $2) AS elsewhere FROM people
        WHERE status = 'active' AND department_id = $1 AND overrides = '{}' ORDER BY employee_number LIMIT 1`,
      [deptB.id, person.department_id],
    )) as [{ id: string; external_id: string; elsewhere: string }];
    state.update(Number(joining.external_id), { department: bName });
    state.update(Number(leaving.external_id), { department: leaving.elsewhere });
    const held = async (): Promise<string[]> =>
      (
        (await db.dataSource.query(
          `SELECT person_id FROM role_assignments WHERE role_id = $1 AND person_id = ANY($2) ORDER BY person_id`,
          [roleId, [joining.id, leaving.id]],
        )) as { person_id: string }[]
      ).map((r) => r.person_id);
    expect(await held()).toEqual([leaving.id]);

    const plan = await dryRunConnection(
      temporal.client,
      temporal.taskQueue,
      { id: world.hr.connectionId, direction: 'source' },
      { mode: 'incremental' },
    );
    const events = (await db.dataSource.query(
      `SELECT object_id, status, diff FROM sync_events WHERE run_id = $1 AND object_type = 'person'`,
      [plan.runId],
    )) as { object_id: string; status: string; diff: Record<string, unknown> }[];
    const byId = new Map(events.map((e) => [e.object_id, e]));
    expect(byId.get(joining.id)).toMatchObject({
      status: 'planned',
      diff: { roles: { from: [], to: ['dept-b'] } },
    });
    expect(byId.get(leaving.id)).toMatchObject({
      status: 'planned',
      diff: { roles: { from: ['dept-b'], to: [] } },
    });
    expect(await held()).toEqual([leaving.id]);
  });
});
