import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { jest } from '@jest/globals';
import { useridFor } from '../../connectors/wecom/userid.js';
import { startConnectionSync, waitForRun } from '../../workers/client.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { readServices } from '../harness/services.js';
import { connectTestTemporal, type TestTemporal } from '../harness/temporal.js';
import { buildWorld, type SyncWorld } from './sync-world.js';

jest.setTimeout(600_000);

describe('a worker killed with SIGKILL in the middle of provisioning', () => {
  let db: TestDatabase;
  let temporal: TestTemporal;
  let world: SyncWorld;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await connectTestTemporal();
    // Latency on the targets keeps the run going long enough to be killed in the middle of it.
    world = await buildWorld(db.dataSource, {
      people: 400,
      targets: ['wecom', 'scim'],
      faults: { latencyMs: 15 },
    });
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await world?.stop();
    await temporal?.close();
    await db?.drop();
  });

  const startWorker = (): Promise<ChildProcess> => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        resolve('test/integration/sync-ts-loader.mjs'),
        resolve('test/integration/sync-worker-child.ts'),
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          DATABASE_URL: db.url,
          TEMPORAL_ADDRESS: temporal.address,
          TEMPORAL_NAMESPACE: temporal.namespace,
          TEMPORAL_TASK_QUEUE: temporal.taskQueue,
          JUNCTION_MASTER_KEY: world.masterKey.toString('hex'),
          WORKFLOW_BUNDLE: readServices().workflowBundlePath,
          LOG_LEVEL: 'error',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(child);
    return new Promise((ready, fail) => {
      child.once('exit', (code, signal) => fail(new Error(`worker exited early (${code ?? signal})`)));
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) ready(child);
      });
    });
  };

  it('a new worker finishes the run and the targets hold no duplicate accounts', async () => {
    const first = await startWorker();
    const run = await startConnectionSync(
      temporal.client,
      temporal.taskQueue,
      { id: world.hr.connectionId, direction: 'source' },
      { mode: 'full', trigger: 'manual' },
    );
    // Wait until accounts are being created in both targets, then kill the worker without warning.
    const deadline = Date.now() + 180_000;
    while (world.wecom!.sim.members.size < 60 || world.scim!.sim.store.count('User') < 60) {
      if (Date.now() > deadline) throw new Error('provisioning never got going');
      await new Promise((r) => setTimeout(r, 50));
    }
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const createdBeforeKill = world.wecom!.sim.members.size;
    expect(createdBeforeKill).toBeLessThan(world.hr.sim.state.activeCount);

    await startWorker();
    const outcome = await waitForRun(temporal.client, run.workflowId);
    expect(outcome.status).toBe('succeeded');
    for (const target of outcome.targets ?? []) expect(target.status).toBe('succeeded');

    const active = (await db.dataSource.query(`SELECT id FROM people WHERE status = 'active'`)) as {
      id: string;
    }[];
    expect(active).toHaveLength(world.hr.sim.state.activeCount);
    // Exactly one account per active person in each simulator, and nothing else.
    expect(world.wecom!.sim.members.size).toBe(active.length);
    expect(world.scim!.sim.store.count('User')).toBe(active.length);
    for (const p of active) {
      expect(world.wecom!.sim.members.get(useridFor(p.id))).toBeDefined();
      expect(world.scim!.sim.store.findByExternalId('User', p.id)).toHaveLength(1);
    }
    const [dupes] = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM (SELECT connection_id, person_id FROM accounts GROUP BY 1, 2 HAVING count(*) > 1) d`,
    )) as [{ n: number }];
    expect(dupes.n).toBe(0);
  });
});
