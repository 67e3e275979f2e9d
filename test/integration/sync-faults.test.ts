import { jest } from '@jest/globals';
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

jest.setTimeout(600_000);

describe('vendors answering 429 on 30% of calls and a burst of 5xx', () => {
  let db: TestDatabase;
  let temporal: TestTemporal;
  let worker: RunningTestWorker;
  let world: SyncWorld;

  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await connectTestTemporal();
    world = await buildWorld(db.dataSource, {
      people: 150,
      targets: ['wecom', 'scim'],
      faults: { rate429: 0.3, retryAfterSeconds: 1, burst5xx: 12 },
    });
    world.hr.sim.faults.set({ rate429: 0.3, retryAfterSeconds: 1, burst5xx: 6 });
    worker = await startTestWorker(temporal, world.deps({ pageSize: 50 }));
  });

  afterAll(async () => {
    await worker?.stop();
    await world?.stop();
    await temporal?.close();
    await db?.drop();
  });

  it('the run completes, slower, with nothing lost and nothing duplicated', async () => {
    const run = await startConnectionSync(
      temporal.client,
      temporal.taskQueue,
      { id: world.hr.connectionId, direction: 'source' },
      { mode: 'full' },
    );
    const outcome = await waitForRun(temporal.client, run.workflowId);
    expect(outcome.status).toBe('succeeded');
    for (const target of outcome.targets ?? []) {
      expect(target.status).toBe('succeeded');
      expect(target.counts.quarantined ?? 0).toBe(0);
    }
    // The faults really happened.
    expect(world.wecom!.sim.faults.stats.injected429).toBeGreaterThan(10);
    expect(world.scim!.sim.faults.stats.injected429).toBeGreaterThan(10);

    const people = (await db.dataSource.query(
      `SELECT id, job_title FROM people WHERE status = 'active'`,
    )) as { id: string; job_title: string | null }[];
    expect(people).toHaveLength(world.hr.sim.state.activeCount);
    expect(world.wecom!.sim.members.size).toBe(people.length);
    expect(world.scim!.sim.store.count('User')).toBe(people.length);
    for (const p of people) {
      expect(world.wecom!.sim.members.get(useridFor(p.id))?.position ?? null).toBe(p.job_title);
      expect(world.scim!.sim.store.findByExternalId('User', p.id)).toHaveLength(1);
    }
  });
});
