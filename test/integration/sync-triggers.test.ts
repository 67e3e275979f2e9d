import { jest } from '@jest/globals';
import { ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { syncCommand } from '../../bin/commands/sync.js';
import { Approval, SyncRun } from '../../core/entities/index.js';
import { assignRoleManually } from '../../workers/access/manual-assignments.js';
import {
  applyConnectionSchedules,
  approveRun,
  provisionPersonNow,
  startConnectionSync,
  waitForRun,
} from '../../workers/client.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import {
  connectTestTemporal,
  startTestWorker,
  type RunningTestWorker,
  type TestTemporal,
} from '../harness/temporal.js';
import { buildWorld, type SyncWorld } from './sync-world.js';

jest.setTimeout(300_000);

describe('triggers: schedules, provisionPerson with manual assignments, the CLI', () => {
  let db: TestDatabase;
  let temporal: TestTemporal;
  let worker: RunningTestWorker;
  let world: SyncWorld;

  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await connectTestTemporal();
    world = await buildWorld(db.dataSource, {
      people: 30,
      targets: ['scim'],
      target: { accountScope: 'entitled' },
    });
    worker = await startTestWorker(temporal, world.deps({ pageSize: 20 }));
  });

  afterAll(async () => {
    await applyConnectionSchedules(temporal.client, temporal.taskQueue, world.hr.connectionId, null).catch(
      () => undefined,
    );
    await worker?.stop();
    await world?.stop();
    await temporal?.close();
    await db?.drop();
  });

  it('creates, updates, pauses and deletes a connection’s schedules, and a scheduled run works', async () => {
    const id = world.hr.connectionId;
    const created = await applyConnectionSchedules(temporal.client, temporal.taskQueue, id, {
      id,
      direction: 'source',
      enabled: true,
      schedule: { intervalSeconds: 3600, overlap: 'skip' },
    });
    expect(created).toEqual({ incremental: 'created', reconcile: 'created' });
    const incremental = temporal.client.schedule.getHandle(`junction-sync-${id}`);
    const reconcile = temporal.client.schedule.getHandle(`junction-reconcile-${id}`);
    let described = await incremental.describe();
    expect(described.spec.intervals?.[0]?.every).toBe(3_600_000);
    expect(described.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect((await reconcile.describe()).spec.calendars?.length).toBeGreaterThan(0);

    // A scheduled start runs the real workflow with the schedule's arguments.
    await reconcile.trigger();
    const run = await (async () => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const found = await db.dataSource
          .getRepository(SyncRun)
          .findOneBy({ connectionId: id, trigger: 'schedule', status: 'succeeded' });
        if (found) return found;
        if (Date.now() > deadline) throw new Error('the scheduled run never finished');
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    expect(run.mode).toBe('full');

    const updated = await applyConnectionSchedules(temporal.client, temporal.taskQueue, id, {
      id,
      direction: 'source',
      enabled: true,
      schedule: { cron: '*/15 * * * *', overlap: 'buffer_one', paused: true },
    });
    expect(updated.incremental).toBe('updated');
    // The schedule applies updates asynchronously: give it a moment to show them.
    for (let i = 0; i < 50 && !(described = await incremental.describe()).state.paused; i += 1) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(described.state.paused).toBe(true);
    expect(described.policies.overlap).toBe(ScheduleOverlapPolicy.BUFFER_ONE);
    expect(described.spec.intervals ?? []).toHaveLength(0);
    expect((await reconcile.describe()).state.paused).toBe(true);

    const removed = await applyConnectionSchedules(temporal.client, temporal.taskQueue, id, {
      id,
      direction: 'source',
      enabled: false,
      schedule: {},
    });
    expect(removed).toEqual({ incremental: 'deleted', reconcile: 'deleted' });
    await expect(incremental.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });

  it('a manual assignment with expiry reaches the target through provisionPerson, and its expiry takes the account away', async () => {
    const ds = db.dataSource;
    const [role] = (await ds.query(
      `INSERT INTO roles (tenant_id, key, name, version) VALUES ($1, 'tools', 'Tools', 1) RETURNING id`,
      [world.tenantId],
    )) as [{ id: string }];
    await ds.query(
      `INSERT INTO entitlements (tenant_id, role_id, kind, connection_id, value, version) VALUES ($1, $2, 'account', $3, '', 1)`,
      [world.tenantId, role.id, world.scim!.connectionId],
    );
    const read = await startConnectionSync(
      temporal.client,
      temporal.taskQueue,
      { id: world.hr.connectionId, direction: 'source' },
      { mode: 'full' },
    );
    await waitForRun(temporal.client, read.workflowId);
    expect(world.scim!.sim.store.count('User')).toBe(0); // nobody is entitled yet

    const [person] = (await ds.query(
      `SELECT id FROM people WHERE status = 'active' ORDER BY id LIMIT 1`,
    )) as [{ id: string }];
    await expect(
      assignRoleManually(ds, { personId: person.id, roleId: role.id, reason: '' }),
    ).rejects.toThrow(/reason/);
    await assignRoleManually(ds, {
      personId: person.id,
      roleId: role.id,
      reason: 'covering the audit',
      expiresAt: new Date(Date.now() + 4_000),
      createdBy: 'admin@example.com',
    });
    const first = await provisionPersonNow(temporal.client, temporal.taskQueue, person.id, {
      trigger: 'api',
      requestedBy: 'admin@example.com',
    });
    const granted = await waitForRun(temporal.client, first.workflowId);
    expect(granted.status).toBe('succeeded');
    expect(granted.targets?.[0]?.counts.created).toBe(1);
    const [user] = world.scim!.sim.store.findByExternalId('User', person.id);
    expect((user!.attributes as { active: boolean }).active).toBe(true);

    await new Promise((r) => setTimeout(r, 4_500));
    const second = await provisionPersonNow(temporal.client, temporal.taskQueue, person.id);
    // The same rule as any run: disabling 1 of 1 managed accounts is over the 10% threshold, so an admin approves.
    const approval = await (async () => {
      const deadline = Date.now() + 120_000;
      for (;;) {
        const found = await ds
          .getRepository(Approval)
          .findOneBy({ connectionId: world.scim!.connectionId, status: 'pending' });
        if (found) return found;
        if (Date.now() > deadline) throw new Error('the person run never held');
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    expect(
      (world.scim!.sim.store.findByExternalId('User', person.id)[0]!.attributes as { active: boolean })
        .active,
    ).toBe(true);
    await approveRun(temporal.client, approval.workflowId, 'admin@example.com');
    const revoked = await waitForRun(temporal.client, second.workflowId);
    expect(revoked.targets?.[0]?.counts.disabled).toBe(1);
    expect(
      (world.scim!.sim.store.findByExternalId('User', person.id)[0]!.attributes as { active: boolean })
        .active,
    ).toBe(false);
  });

  it('`junction sync <connection> --dry-run` prints the plan and writes nothing', async () => {
    const env = { ...process.env };
    process.env.DATABASE_URL = db.url;
    process.env.TEMPORAL_ADDRESS = temporal.address;
    process.env.TEMPORAL_NAMESPACE = temporal.namespace;
    process.env.TEMPORAL_TASK_QUEUE = temporal.taskQueue;
    const someone = world.hr.sim.state.employees.find((e) => e.status === 'Active')!;
    world.hr.sim.state.update(someone.id, { jobTitle: 'Printed Title' });
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    try {
      const code = await syncCommand('hr', { dryRun: true });
      expect(code).toBe(0);
    } finally {
      write.mockRestore();
      process.env = env;
    }
    const text = out.join('');
    expect(text).toMatch(/Dry run of hr \(source\) started/);
    expect(text).toMatch(/update\s+person .*jobTitle: .* → "Printed Title"/);
    const [row] = (await db.dataSource.query(`SELECT job_title FROM people WHERE external_id = $1`, [
      String(someone.id),
    ])) as { job_title: string }[];
    expect(row!.job_title).not.toBe('Printed Title');
  });
});
