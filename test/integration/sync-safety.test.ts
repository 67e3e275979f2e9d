import { jest } from '@jest/globals';
import { useridFor } from '../../connectors/wecom/userid.js';
import { Approval, SyncEvent, SyncRun } from '../../core/entities/index.js';
import { approveRun, dryRunConnection, startConnectionSync, waitForRun } from '../../workers/client.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import {
  connectTestTemporal,
  startTestWorker,
  type RunningTestWorker,
  type TestTemporal,
} from '../harness/temporal.js';
import { buildWorld, type SyncWorld } from './sync-world.js';

jest.setTimeout(300_000);

async function waitUntil<T>(
  probe: () => Promise<T | null | undefined>,
  what: string,
  ms = 120_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('dry run, deletion threshold and approval', () => {
  let db: TestDatabase;
  let temporal: TestTemporal;
  let worker: RunningTestWorker;
  let world: SyncWorld;

  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await connectTestTemporal();
    world = await buildWorld(db.dataSource, { people: 80, targets: ['wecom', 'scim'] });
    worker = await startTestWorker(temporal, world.deps({ pageSize: 30 }));
  });

  afterAll(async () => {
    await worker?.stop();
    await world?.stop();
    await temporal?.close();
    await db?.drop();
  });

  const source = () => ({ id: world.hr.connectionId, direction: 'source' as const });

  it('a dry run returns the plan with field diffs and writes nothing to any target', async () => {
    const read = await startConnectionSync(temporal.client, temporal.taskQueue, source(), {
      mode: 'full',
      provisionTargets: false,
    });
    expect((await waitForRun(temporal.client, read.workflowId)).status).toBe('succeeded');
    const active = world.hr.sim.state.activeCount;

    for (const target of [world.wecom!, world.scim!]) {
      const plan = await dryRunConnection(
        temporal.client,
        temporal.taskQueue,
        { id: target.connectionId, direction: 'target' },
        { mode: 'full' },
      );
      expect(plan.status).toBe('succeeded');
      const events = await db.dataSource
        .getRepository(SyncEvent)
        .find({ where: { runId: plan.runId, objectType: 'account' } });
      expect(events).toHaveLength(active);
      expect(events.every((e) => e.status === 'planned' && e.action === 'create')).toBe(true);
      expect(events[0]!.diff?.userName?.to).toEqual(expect.any(String));
      expect((await db.dataSource.getRepository(SyncRun).findOneByOrFail({ id: plan.runId })).dryRun).toBe(
        true,
      );
    }
    // Nothing reached either simulator, and no account rows were made.
    expect(world.wecom!.sim.members.size).toBe(0);
    expect(world.wecom!.sim.tree.size).toBe(1);
    expect(world.scim!.sim.store.count('User')).toBe(0);
    expect(await db.dataSource.query(`SELECT 1 FROM accounts`)).toHaveLength(0);

    // A dry run of the source plans directory changes without making them.
    const someone = world.hr.sim.state.employees.find((e) => e.status === 'Active')!;
    world.hr.sim.state.update(someone.id, { jobTitle: 'Planned Title' });
    const sourcePlan = await dryRunConnection(temporal.client, temporal.taskQueue, source(), {
      mode: 'incremental',
    });
    const planned = await db.dataSource.getRepository(SyncEvent).find({ where: { runId: sourcePlan.runId } });
    expect(planned.map((e) => [e.action, e.status, e.diff?.jobTitle?.to])).toEqual([
      ['update', 'planned', 'Planned Title'],
    ]);
    const [row] = (await db.dataSource.query(`SELECT job_title FROM people WHERE external_id = $1`, [
      String(someone.id),
    ])) as {
      job_title: string;
    }[];
    expect(row!.job_title).not.toBe('Planned Title');
  });

  it('an HR source that suddenly returns nobody holds the run; nothing is disabled until approved', async () => {
    const full = await startConnectionSync(temporal.client, temporal.taskQueue, source(), { mode: 'full' });
    expect((await waitForRun(temporal.client, full.workflowId)).status).toBe('succeeded');
    const active = (await db.dataSource.query(`SELECT id FROM people WHERE status = 'active'`)) as {
      id: string;
    }[];
    expect(world.wecom!.sim.members.size).toBe(active.length);
    const leaversBefore = (
      (await db.dataSource.query(`SELECT 1 FROM people WHERE status = 'leaver'`)) as unknown[]
    ).length;

    for (const e of [...world.hr.sim.state.employees]) world.hr.sim.state.remove(e.id);
    const empty = await startConnectionSync(temporal.client, temporal.taskQueue, source(), { mode: 'full' });
    const held = await waitUntil(
      () =>
        db.dataSource.getRepository(Approval).findOneBy({ workflowId: empty.workflowId, status: 'pending' }),
      'the source run to hold',
    );
    expect(held.reason).toMatch(/returned nobody/);
    expect((await db.dataSource.getRepository(SyncRun).findOneByOrFail({ id: held.runId })).status).toBe(
      'held',
    );
    expect(await db.dataSource.query(`SELECT 1 FROM people WHERE status = 'leaver'`)).toHaveLength(
      leaversBefore,
    );
    expect(world.wecom!.sim.members.all().every((m) => m.enabled)).toBe(true);

    await approveRun(temporal.client, empty.workflowId, 'admin@example.com');
    // Each target then holds too: disabling every account is far over its threshold.
    const targetHolds = await waitUntil(async () => {
      const rows = await db.dataSource.getRepository(Approval).findBy({ status: 'pending' });
      return rows.length === 2 ? rows : null;
    }, 'both targets to hold');
    expect(world.wecom!.sim.members.all().every((m) => m.enabled)).toBe(true);
    for (const approval of targetHolds)
      await approveRun(temporal.client, approval.workflowId, 'admin@example.com');

    const outcome = await waitForRun(temporal.client, empty.workflowId);
    expect(outcome.status).toBe('succeeded');
    expect((await db.dataSource.getRepository(Approval).findOneByOrFail({ id: held.id })).decidedBy).toBe(
      'admin@example.com',
    );
    for (const p of active) {
      expect(world.wecom!.sim.members.get(useridFor(p.id))?.enabled).toBe(false);
      expect(
        (world.scim!.sim.store.findByExternalId('User', p.id)[0]!.attributes as { active: boolean }).active,
      ).toBe(false);
    }
  });
});

describe('upsert-only connections and accounts outside scope', () => {
  let db: TestDatabase;
  let temporal: TestTemporal;
  let worker: RunningTestWorker;
  let world: SyncWorld;

  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await connectTestTemporal();
    world = await buildWorld(db.dataSource, {
      people: 40,
      targets: ['scim'],
      target: { leaverAction: 'none' },
    });
    worker = await startTestWorker(temporal, world.deps({ pageSize: 25 }));
  });

  afterAll(async () => {
    await worker?.stop();
    await world?.stop();
    await temporal?.close();
    await db?.drop();
  });

  const addScimUser = async (userName: string, email: string): Promise<string> => {
    const response = await fetch(`${world.scim!.url}/Users`, {
      method: 'POST',
      headers: { authorization: 'Bearer scim-simulator-token', 'content-type': 'application/scim+json' },
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName,
        emails: [{ value: email, primary: true, type: 'work' }],
        active: true,
      }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };

  it('adopts pre-existing accounts of in-scope people only, never touches the rest, and never disables', async () => {
    const read = await startConnectionSync(
      temporal.client,
      temporal.taskQueue,
      { id: world.hr.connectionId, direction: 'source' },
      { mode: 'full', provisionTargets: false },
    );
    await waitForRun(temporal.client, read.workflowId);
    const people = (await db.dataSource.query(
      `SELECT p.id, p.email, p.external_id, d.name AS dept FROM people p JOIN departments d ON d.id = p.department_id
        WHERE p.status = 'active' AND p.email IS NOT NULL ORDER BY p.external_id`,
    )) as { id: string; email: string; external_id: string; dept: string }[];
    const outside = people[0]!;
    const inside = people.find((p) => p.dept !== outside.dept)!;
    await db.dataSource.query(`UPDATE connections SET scope_filter = $2 WHERE id = $1`, [
      world.scim!.connectionId,
      `department.name != ${JSON.stringify(outside.dept)}`,
    ]);
    const adoptedId = await addScimUser('pre-existing-inside', inside.email);
    const outsideId = await addScimUser('pre-existing-outside', outside.email);
    const strangerId = await addScimUser('contractor', 'contractor@elsewhere.example');

    const run = await startConnectionSync(
      temporal.client,
      temporal.taskQueue,
      { id: world.scim!.connectionId, direction: 'target' },
      { mode: 'full' },
    );
    const outcome = await waitForRun(temporal.client, run.workflowId);
    expect(outcome.status).toBe('succeeded');
    expect(outcome.counts.adopted).toBe(1);
    expect(outcome.counts.unmanaged).toBe(2);
    // The in-scope person's existing account was linked and updated, not duplicated.
    const [account] = (await db.dataSource.query(`SELECT external_id FROM accounts WHERE person_id = $1`, [
      inside.id,
    ])) as {
      external_id: string;
    }[];
    expect(account!.external_id).toBe(adoptedId);
    expect(world.scim!.sim.store.findByExternalId('User', inside.id)).toHaveLength(1);
    // Out of scope and unknown accounts: untouched and still active.
    for (const id of [outsideId, strangerId]) {
      expect((world.scim!.sim.store.get('User', id)!.attributes as { active: boolean }).active).toBe(true);
    }
    expect(
      await db.dataSource.query(`SELECT 1 FROM accounts WHERE person_id = $1`, [outside.id]),
    ).toHaveLength(0);

    // Upsert only: a leaver in HR keeps the target account.
    world.hr.sim.state.update(Number(inside.external_id), {
      status: 'Inactive',
      terminationDate: '2026-11-24',
    });
    const incremental = await startConnectionSync(
      temporal.client,
      temporal.taskQueue,
      { id: world.hr.connectionId, direction: 'source' },
      { mode: 'incremental' },
    );
    const after = await waitForRun(temporal.client, incremental.workflowId);
    expect(after.targets?.[0]?.counts.disabled ?? 0).toBe(0);
    expect((world.scim!.sim.store.get('User', adoptedId)!.attributes as { active: boolean }).active).toBe(
      true,
    );
    const [person] = (await db.dataSource.query(`SELECT status FROM people WHERE id = $1`, [inside.id])) as {
      status: string;
    }[];
    expect(person!.status).toBe('leaver');
  });
});
