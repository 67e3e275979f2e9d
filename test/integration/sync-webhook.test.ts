import { createHmac, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { jest } from '@jest/globals';
import express from 'express';
import { useridFor } from '../../connectors/wecom/userid.js';
import { createLogger } from '../../core/logger.js';
import { errorHandler } from '../../gateway/middleware/errors.js';
import { webhookRoutes } from '../../gateway/routes/webhooks.js';
import { startConnectionSync, waitForRun } from '../../workers/client.js';
import { workflowIds } from '../../workers/sync-contract.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import {
  connectTestTemporal,
  startTestWorker,
  type RunningTestWorker,
  type TestTemporal,
} from '../harness/temporal.js';
import { DEFINITIONS, HR_WEBHOOK_KEY, buildWorld, type SyncWorld } from './sync-world.js';

jest.setTimeout(300_000);

describe('POST /hooks/:connectionId → signal-with-start of an incremental sync', () => {
  let db: TestDatabase;
  let temporal: TestTemporal;
  let worker: RunningTestWorker;
  let world: SyncWorld;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await connectTestTemporal();
    world = await buildWorld(db.dataSource, { people: 60, targets: ['wecom'] });
    worker = await startTestWorker(temporal, world.deps({ pageSize: 50 }));
    const log = createLogger({ level: 'silent' });
    const app = express();
    app.use(
      webhookRoutes(
        {
          dataSource: db.dataSource,
          temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue: temporal.taskQueue },
          log,
          publicUrl: 'http://127.0.0.1',
          vault: world.vault,
        },
        { findConnector: (id) => DEFINITIONS[id] },
      ),
    );
    app.use(errorHandler(log));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const first = await startConnectionSync(
      temporal.client,
      temporal.taskQueue,
      { id: world.hr.connectionId, direction: 'source' },
      { mode: 'full' },
    );
    expect((await waitForRun(temporal.client, first.workflowId)).status).toBe('succeeded');
  });

  afterAll(async () => {
    server?.close();
    await worker?.stop();
    await world?.stop();
    await temporal?.close();
    await db?.drop();
  });

  const deliver = (body: string, options: { key?: string; connectionId?: string } = {}) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', options.key ?? HR_WEBHOOK_KEY)
      .update(body + timestamp)
      .digest('hex');
    return fetch(`${base}/hooks/${options.connectionId ?? world.hr.connectionId}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-bamboohr-signature': signature,
        'x-bamboohr-timestamp': timestamp,
      },
      body,
    });
  };

  const personIdOf = async (employeeId: number): Promise<string> => {
    const [row] = (await db.dataSource.query(
      `SELECT id FROM people WHERE source_connection_id = $1 AND external_id = $2`,
      [world.hr.connectionId, String(employeeId)],
    )) as { id: string }[];
    return row!.id;
  };

  const waitFor = async (check: () => boolean, ms = 120_000): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the change to reach the target');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('refuses bad signatures and unknown connections, and accepts a signed delivery once', async () => {
    expect((await deliver('{"employees":[]}', { key: 'wrong' })).status).toBe(401);
    expect((await deliver('{"employees":[]}', { connectionId: randomUUID() })).status).toBe(404);
    expect((await deliver('{"employees":[]}', { connectionId: world.wecom!.connectionId })).status).toBe(404);

    const employee = world.hr.sim.state.employees.find((e) => e.status === 'Active')!;
    world.hr.sim.state.update(employee.id, { jobTitle: 'Webhook Title' });
    const body = JSON.stringify({ employees: [{ id: String(employee.id), action: 'Updated' }] });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', HR_WEBHOOK_KEY)
      .update(body + timestamp)
      .digest('hex');
    const post = () =>
      fetch(`${base}/hooks/${world.hr.connectionId}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-bamboohr-signature': signature,
          'x-bamboohr-timestamp': timestamp,
        },
        body,
      });
    const accepted = await post();
    expect(accepted.status).toBe(202);
    const again = await post();
    expect(again.status).toBe(200);
    expect(((await again.json()) as { status: string }).status).toBe('duplicate');

    const personId = await personIdOf(employee.id);
    await waitFor(() => world.wecom!.sim.members.get(useridFor(personId))?.position === 'Webhook Title');
  });

  it('a burst of deliveries during a run is read by a follow-up run, not lost', async () => {
    const active = world.hr.sim.state.employees.filter((e) => e.status === 'Active').slice(5, 10);
    for (const [i, e] of active.entries()) {
      world.hr.sim.state.update(e.id, { jobTitle: `Burst ${i}` });
      expect([200, 202]).toContain(
        (await deliver(JSON.stringify({ employees: [{ id: String(e.id), n: i }] }))).status,
      );
    }
    const ids = await Promise.all(active.map((e) => personIdOf(e.id)));
    await waitFor(() =>
      ids.every((id, i) => world.wecom!.sim.members.get(useridFor(id))?.position === `Burst ${i}`),
    );
    await temporal.client.workflow.getHandle(workflowIds.webhookSync(world.hr.connectionId)).result();
  });
});
