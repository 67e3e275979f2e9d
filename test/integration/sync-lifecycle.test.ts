import { SyncEvent, SyncRun } from '../../core/entities/index.js';
import { createLogger } from '../../core/logger.js';
import { endSessionsForPerson } from '../../sso/sessions/end-sessions-for-person.js';
import { useridFor } from '../../connectors/wecom/userid.js';
import { startConnectionSync, waitForRun } from '../../workers/client.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import {
  connectTestTemporal,
  startTestWorker,
  type RunningTestWorker,
  type TestTemporal,
} from '../harness/temporal.js';
import { buildWorld, type SyncWorld } from './sync-world.js';

import { jest } from '@jest/globals';

jest.setTimeout(300_000);

describe('HR → WeCom and SCIM: joiners, movers and leavers on the real Temporal dev server', () => {
  let db: TestDatabase;
  let temporal: TestTemporal;
  let worker: RunningTestWorker;
  let world: SyncWorld;

  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await connectTestTemporal();
    world = await buildWorld(db.dataSource, { people: 300, targets: ['wecom', 'scim'] });
    const deps = world.deps({ pageSize: 100 });
    // The leaver path ends SSO sessions through the SSO module, injected as bin does.
    worker = await startTestWorker(temporal, {
      ...deps,
      endSessionsForPeople: async (ids) => {
        for (const id of ids) {
          await endSessionsForPerson(
            {
              dataSource: db.dataSource,
              vault: world.vault,
              log: createLogger({ level: 'silent' }),
              publicUrl: 'http://127.0.0.1',
            },
            id,
            { reason: 'leaver', actor: { type: 'system' } },
          );
        }
      },
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await world?.stop();
    await temporal?.close();
    await db?.drop();
  });

  const sync = async (mode: 'full' | 'incremental') => {
    const started = await startConnectionSync(
      temporal.client,
      temporal.taskQueue,
      { id: world.hr.connectionId, direction: 'source' },
      { mode, trigger: 'manual', pagesPerExecution: 2 },
    );
    return { ...(await waitForRun(temporal.client, started.workflowId)), workflowId: started.workflowId };
  };

  it('a full sync gives every active HR person exactly one account with the mapped attributes', async () => {
    const outcome = await sync('full');
    expect(outcome.status).toBe('succeeded');
    // Three pages at two pages per execution: the run continued as new and still finished as one SyncRun.
    const history = await temporal.client.workflow.getHandle(outcome.workflowId).fetchHistory();
    expect(
      history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId,
    ).toBeTruthy();
    expect(await db.dataSource.getRepository(SyncRun).countBy({ kind: 'source' })).toBe(1);
    expect(outcome.targets).toHaveLength(2);
    for (const t of outcome.targets ?? []) expect(t.status).toBe('succeeded');

    const people = (await db.dataSource.query(
      `SELECT p.id, p.job_title, p.employee_number, p.status, d.name AS dept FROM people p LEFT JOIN departments d ON d.id = p.department_id`,
    )) as {
      id: string;
      job_title: string | null;
      employee_number: string;
      status: string;
      dept: string | null;
    }[];
    const hrEmployees = world.hr.sim.state.employees;
    expect(people).toHaveLength(hrEmployees.length);
    const active = people.filter((p) => p.status === 'active');
    expect(active.length).toBe(world.hr.sim.state.activeCount);

    // WeCom: one member per active person, userid from the person id, position = job title, no one else.
    const members = world.wecom!.sim.members.all();
    expect(members.filter((m) => m.enabled)).toHaveLength(active.length);
    for (const p of active) {
      const member = world.wecom!.sim.members.get(useridFor(p.id));
      expect(member?.position ?? null).toBe(p.job_title);
      expect(member?.enabled).toBe(true);
    }
    // WeCom departments mirror the HR tree; members sit in their department.
    const departmentCount = (await db.dataSource.query(`SELECT count(*)::int AS n FROM departments`)) as [
      { n: number },
    ];
    expect(world.wecom!.sim.tree.size).toBe(departmentCount[0].n + 1);

    // SCIM: one user per active person, found by externalId = person id, with title and enterprise department.
    const store = world.scim!.sim.store;
    expect(store.count('User')).toBe(active.length);
    for (const p of active.slice(0, 50)) {
      const users = store.findByExternalId('User', p.id);
      expect(users).toHaveLength(1);
      const attrs = users[0]!.attributes as Record<string, unknown>;
      expect(attrs.title ?? null).toBe(p.job_title);
    }
    const accounts = (await db.dataSource.query(
      `SELECT connection_id, count(*)::int AS n FROM accounts GROUP BY 1`,
    )) as { n: number }[];
    for (const a of accounts) expect(a.n).toBe(active.length);
  });

  it('10 hires, 10 moves and 10 leavers in HR touch exactly those 30 people in an incremental run', async () => {
    const state = world.hr.sim.state;
    const activeIds = state.employees.filter((e) => e.status === 'Active').map((e) => e.id);
    const departments = state.lists.department.options.filter((o) => o.archived === 'no').map((o) => o.name);
    for (let i = 0; i < 10; i += 1) {
      state.create({
        firstName: `New${i}`,
        lastName: 'Hire',
        employeeNumber: `NH-${i}`,
        jobTitle: 'Analyst',
        department: departments[i % departments.length],
        workEmail: `new${i}.hire@acme.example.com`,
        hireDate: '2026-11-01',
        status: 'Active',
      });
    }
    const movers = activeIds.slice(0, 10);
    for (const [i, id] of movers.entries())
      state.update(id, { jobTitle: `Principal ${i}`, department: departments[(i + 3) % departments.length] });
    const leavers = activeIds.slice(10, 20);
    for (const id of leavers) state.update(id, { status: 'Inactive', terminationDate: '2026-11-20' });

    // One leaver and one stayer are signed in.
    const signedIn = (await db.dataSource.query(
      `SELECT id, external_id FROM people WHERE source_connection_id = $1 AND external_id = ANY($2)`,
      [world.hr.connectionId, [String(leavers[0]), String(activeIds[30])]],
    )) as { id: string; external_id: string }[];
    for (const p of signedIn) {
      await db.dataSource.query(
        `INSERT INTO sso_sessions (token_hash, session_ref, tenant_id, person_id, last_seen_at, expires_at)
         VALUES ($1, $1, $2, $3, now(), now() + interval '1 hour')`,
        [`s-${p.external_id}`, world.tenantId, p.id],
      );
    }

    const outcome = await sync('incremental');
    expect(outcome.status).toBe('succeeded');
    const sessions = (await db.dataSource.query(
      `SELECT token_hash AS id, revoked_at FROM sso_sessions ORDER BY 1`,
    )) as { id: string; revoked_at: Date | null }[];
    expect(sessions.find((x) => x.id === `s-${leavers[0]}`)?.revoked_at).not.toBeNull();
    expect(sessions.find((x) => x.id === `s-${activeIds[30]}`)?.revoked_at).toBeNull();
    const source = await db.dataSource.getRepository(SyncRun).findOneByOrFail({ id: outcome.runId });
    expect(source.mode).toBe('incremental');
    const sourceEvents = await db.dataSource
      .getRepository(SyncEvent)
      .find({ where: { runId: outcome.runId, objectType: 'person' } });
    expect(sourceEvents).toHaveLength(30);
    expect(sourceEvents.filter((e) => e.action === 'create')).toHaveLength(10);
    expect(sourceEvents.filter((e) => e.action === 'leaver')).toHaveLength(10);

    for (const target of outcome.targets ?? []) {
      expect(target.status).toBe('succeeded');
      const events = await db.dataSource
        .getRepository(SyncEvent)
        .find({ where: { runId: target.runId, objectType: 'account' } });
      expect(events).toHaveLength(30);
      expect(events.filter((e) => e.action === 'create' && e.status === 'ok')).toHaveLength(10);
      expect(events.filter((e) => e.action === 'disable' && e.status === 'ok')).toHaveLength(10);
      expect(
        events.filter((e) => (e.action === 'update' || e.action === 'move') && e.status === 'ok'),
      ).toHaveLength(10);
    }
    const leaverPeople = (await db.dataSource.query(
      `SELECT id FROM people WHERE source_connection_id = $1 AND external_id = ANY($2)`,
      [world.hr.connectionId, leavers.map(String)],
    )) as { id: string }[];
    expect(leaverPeople).toHaveLength(10);
    for (const p of leaverPeople) {
      expect(world.wecom!.sim.members.get(useridFor(p.id))?.enabled).toBe(false);
      const [user] = world.scim!.sim.store.findByExternalId('User', p.id);
      expect((user!.attributes as { active?: boolean }).active).toBe(false);
    }
    const moverPeople = (await db.dataSource.query(
      `SELECT id, job_title FROM people WHERE source_connection_id = $1 AND external_id = ANY($2)`,
      [world.hr.connectionId, movers.map(String)],
    )) as { id: string; job_title: string }[];
    for (const p of moverPeople)
      expect(world.wecom!.sim.members.get(useridFor(p.id))?.position).toBe(p.job_title);
  });
  it('a department HR archives is retired by the next full read', async () => {
    const option = world.hr.sim.state.lists.department.options.find((o) => o.archived === 'no')!;
    option.archived = 'yes';
    const outcome = await sync('full');
    expect(outcome.status).toBe('succeeded');
    const [dept] = (await db.dataSource.query(`SELECT status FROM departments WHERE external_id = $1`, [
      String(option.id),
    ])) as {
      status: string;
    }[];
    expect(dept!.status).toBe('deleted');
    const events = await db.dataSource
      .getRepository(SyncEvent)
      .find({ where: { runId: outcome.runId, objectType: 'department' } });
    expect(events.map((e) => [e.action, e.externalId])).toEqual([['delete', String(option.id)]]);
  });
});
