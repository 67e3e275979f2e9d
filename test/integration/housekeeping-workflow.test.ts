import { randomBytes } from 'node:crypto';
import { SyncRun } from '../../core/entities/index.js';
import { createLogger } from '../../core/logger.js';
import { Vault } from '../../core/vault/vault.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { runHousekeepingNow } from '../../workers/client.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import {
  connectTestTemporal,
  startTestWorker,
  type RunningTestWorker,
  type TestTemporal,
} from '../harness/temporal.js';

describe('housekeeping on the real Temporal dev server', () => {
  let db: TestDatabase;
  let temporal: TestTemporal;
  let worker: RunningTestWorker;
  let gateway: RunningGateway;

  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await connectTestTemporal();
    worker = await startTestWorker(temporal, { dataSource: db.dataSource });
    gateway = await startGateway(
      {
        dataSource: db.dataSource,
        temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue: temporal.taskQueue },
        log: createLogger({ level: 'silent' }),
        publicUrl: 'http://127.0.0.1',
        vault: new Vault(randomBytes(32)),
      },
      0,
      '127.0.0.1',
    );
  });

  afterAll(async () => {
    await gateway.close();
    await worker.stop();
    await temporal.close();
    await db.drop();
  });

  it('runs a workflow whose activity deletes expired rows and records the run in PostgreSQL', async () => {
    const ds = db.dataSource;
    await ds.query(
      `INSERT INTO oidc_payloads (model, id, payload, expires_at) VALUES
        ('AccessToken', 'old', '{}', now() - interval '1 hour'),
        ('AccessToken', 'live', '{}', now() + interval '1 hour')`,
    );
    await ds.query(
      `INSERT INTO expiring_entries (namespace, key, value, expires_at) VALUES ('saml-replay', 'gone', '{}', now() - interval '1 minute')`,
    );

    const result = await runHousekeepingNow(temporal.client, temporal.taskQueue);

    expect(result.deleted).toBe(2);
    const left = (await ds.query(`SELECT id FROM oidc_payloads ORDER BY id`)) as { id: string }[];
    expect(left.map((row) => row.id)).toEqual(['live']);
    const runs = await ds.getRepository(SyncRun).find({ where: { kind: 'housekeeping' } });
    expect(runs).toHaveLength(1);
    expect(runs[0]?.counts.deleted).toBe(2);
    expect(runs[0]?.status).toBe('succeeded');
  });

  it('reports database, Temporal and worker health', async () => {
    const response = await fetch(`${gateway.url}/healthz`);
    const body = (await response.json()) as { status: string; checks: Record<string, { ok: boolean }> };
    expect(response.status).toBe(200);
    expect(body.checks.database?.ok).toBe(true);
    expect(body.checks.temporal?.ok).toBe(true);
    expect(body.checks.worker?.ok).toBe(true);
  });

  it('says which check fails when no worker polls the queue', async () => {
    const other = await startGateway(
      {
        dataSource: db.dataSource,
        temporal: {
          client: temporal.client,
          namespace: temporal.namespace,
          taskQueue: `${temporal.taskQueue}-nobody`,
        },
        log: createLogger({ level: 'silent' }),
        publicUrl: 'http://127.0.0.1',
        vault: new Vault(randomBytes(32)),
      },
      0,
      '127.0.0.1',
    );
    try {
      const response = await fetch(`${other.url}/healthz`);
      const body = (await response.json()) as { checks: { worker: { ok: boolean; reason?: string } } };
      expect(response.status).toBe(503);
      expect(body.checks.worker.ok).toBe(false);
      expect(body.checks.worker.reason).toMatch(/no worker is polling/);
    } finally {
      await other.close();
    }
  });

  it('serves Prometheus metrics', async () => {
    const response = await fetch(`${gateway.url}/metrics`);
    const text = await response.text();
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    expect(text).toMatch(/junction_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(text).toContain('junction_process_cpu_user_seconds_total');
  });
});
