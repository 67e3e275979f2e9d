import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection as TemporalConnection } from '@temporalio/client';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { bamboohrConnector } from '../connectors/bamboohr/index.js';
import { BambooHrSimulator } from '../connectors/bamboohr/simulator.js';
import type { RegisteredConnector } from '../connectors/kit/contract.js';
import { sealConnectionConfig } from '../connectors/open-connector.js';
import { scimConnector } from '../connectors/scim/index.js';
import { ScimSimulator } from '../connectors/scim/simulator.js';
import { useridFor } from '../connectors/wecom/userid.js';
import { wecomConnector } from '../connectors/wecom/index.js';
import { DEFAULT_CORP_ID, DEFAULT_SECRET, WeComSimulator } from '../connectors/wecom/simulator.js';
import { createDataSource } from '../core/db/data-source.js';
import { createLogger } from '../core/logger.js';
import { Vault } from '../core/vault/vault.js';
import { MIGRATIONS } from '../migrations/index.js';
import { startEmbeddedPostgres } from '../bin/embedded/postgres.js';
import { startDevTemporal } from '../bin/embedded/temporal.js';
import { freePort } from '../bin/runtime/free-port.js';
import { migrate } from '../bin/runtime/database.js';
import { signalWebhookSync, startConnectionSync, waitForRun } from '../workers/client.js';
import { workflowIds } from '../workers/sync-contract.js';
import { findProcess, machineLoad, postmasterPid, treeCpuSeconds } from './process-cpu.js';

/**
 * `npm run bench -- sync [--sizes 10000,100000] [--changes 100] [--departments N]`: full sync of N BambooHR people into the SCIM and
 * WeCom simulators (faults off) with the worker in its own process, then event-driven incremental changes.
 * Prints one JSON object per figure. Environment: BENCH_WORKER_NODE_ARGS (node flags for the worker, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof`), BENCH_MEMORY_LOG (a file the worker appends its memory to every 5 s).
 * Wall times move with whatever else runs on the machine; the CPU and request figures per person do much less.
 */
const DEFINITIONS: Record<string, RegisteredConnector> = {
  bamboohr: bamboohrConnector,
  wecom: wecomConnector,
  scim: scimConnector,
};

export async function runSyncBench(argv: string[]): Promise<void> {
  const sizes = (option(argv, '--sizes') ?? '10000,100000').split(',').map(Number);
  const changes = Number(option(argv, '--changes') ?? 100);
  // The department tree of a larger organisation with fewer people (the tree is generated before the people, so
  // `--sizes 3000 --departments 2500` has the departments of the 100,000-person run).
  const departments = option(argv, '--departments');
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', name: 'bench-sync' });
  const dir = mkdtempSync(join(tmpdir(), 'junction-bench-sync-'));
  const postgres = await startEmbeddedPostgres({
    dataDir: dir,
    port: await freePort(),
    log,
    persistent: false,
  });
  const temporalPort = await freePort();
  const temporal = await startDevTemporal({ log, port: temporalPort });
  const pids = {
    postgres: postmasterPid(join(dir, 'postgres')),
    temporal: findProcess(['start-dev', `--port ${temporalPort}`]),
  };
  const connection = await TemporalConnection.connect({ address: temporal.address });
  const client = new Client({ connection, namespace: temporal.namespace });
  try {
    for (const [i, n] of sizes.entries()) {
      await benchSize({
        n,
        changes: i === 0 ? changes : 0,
        adminUrl: postgres.adminUrl,
        client,
        address: temporal.address,
        namespace: temporal.namespace,
        pids,
        ...(departments ? { departments: Number(departments) } : {}),
      });
    }
  } finally {
    await connection.close();
    await temporal.stop();
    await postgres.stop();
  }
}

async function benchSize(input: {
  n: number;
  changes: number;
  adminUrl: string;
  client: Client;
  address: string;
  namespace: string;
  pids: { postgres: number | null; temporal: number | null };
  departments?: number;
}): Promise<void> {
  const dbName = `bench_sync_${input.n}_${randomBytes(3).toString('hex')}`;
  await adminQuery(input.adminUrl, `CREATE DATABASE ${dbName}`);
  const url = new URL(input.adminUrl);
  url.pathname = `/${dbName}`;
  const ds = createDataSource({ url: url.toString(), migrations: MIGRATIONS, poolSize: 4 });
  await ds.initialize();
  await migrate(ds);
  const key = randomBytes(32);
  const vault = new Vault(key);
  const taskQueue = `bench-${randomBytes(4).toString('hex')}`;

  const hr = new BambooHrSimulator({
    people: input.n,
    seed: 11,
    ...(input.departments ? { departments: input.departments } : {}),
  });
  const hrHandle = await hr.start(0, '127.0.0.1');
  const wecom = new WeComSimulator({ frequency: { perMinute: 100_000_000, perHour: 1_000_000_000 } });
  const wecomHandle = await wecom.start(0, '127.0.0.1');
  const scim = new ScimSimulator();
  const scimUrl = await scim.listen(0, '127.0.0.1');
  const [tenant] = (await ds.query(
    `INSERT INTO tenants (slug, name, version) VALUES ('bench', 'Bench', 1) RETURNING id`,
  )) as [{ id: string }];
  const hrId = await insertConnection(
    ds,
    vault,
    tenant.id,
    'bamboohr',
    'source',
    hr.connectionConfig(hrHandle.url),
    {},
  );
  await insertConnection(
    ds,
    vault,
    tenant.id,
    'wecom',
    'target',
    {
      corpId: DEFAULT_CORP_ID,
      corpSecret: DEFAULT_SECRET,
      baseUrl: wecomHandle.url,
      requestsPerSecond: 1000,
      invite: false,
    },
    { position: 'jobTitle' },
  );
  await insertConnection(
    ds,
    vault,
    tenant.id,
    'scim',
    'target',
    { baseUrl: scimUrl, authType: 'bearer', token: 'scim-simulator-token', requestsPerSecond: 1000 },
    { title: 'jobTitle', department: 'department.name' },
  );

  const worker = await spawnWorker({
    DATABASE_URL: url.toString(),
    TEMPORAL_ADDRESS: input.address,
    TEMPORAL_NAMESPACE: input.namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    JUNCTION_MASTER_KEY: key.toString('hex'),
  });
  const requestCounts = (): { bamboohr: number; wecom: number; scim: number } => ({
    bamboohr: hr.faults.stats.requests,
    wecom: wecom.faults.stats.requests,
    scim: scim.faults.stats.requests,
  });
  const cpu = (): CpuSnapshot => ({
    at: Date.now(),
    worker: treeCpuSeconds(worker.pid ?? 0),
    // The bench process: the three simulators (the measured system) and this driver's light polling.
    simulators: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
    postgres: input.pids.postgres ? treeCpuSeconds(input.pids.postgres) : Number.NaN,
    temporal: input.pids.temporal ? treeCpuSeconds(input.pids.temporal) : Number.NaN,
  });
  try {
    const started = Date.now();
    const before = cpu();
    const requestsBefore = requestCounts();
    const statementsBefore = await statementCount(ds);
    const sourceDone = watchSourceRun(ds, cpu);
    const run = await startConnectionSync(
      input.client,
      taskQueue,
      { id: hrId, direction: 'source' },
      { mode: 'full', trigger: 'manual' },
    );
    const outcome = await waitForRun(input.client, run.workflowId);
    const wallS = (Date.now() - started) / 1000;
    const after = cpu();
    const middle = await sourceDone.stop();
    const requestsAfter = requestCounts();
    // Idle backends report their statistics within PGSTAT_IDLE_INTERVAL (10 s) of going idle.
    await new Promise((r) => setTimeout(r, 11_000));
    const statements = (await statementCount(ds)) - statementsBefore;
    const peakRssMb = peakRss(worker.pid ?? 0);
    const history = await historyEvents(input.client, [
      run.workflowId,
      ...(await targetWorkflowIds(ds, outcome.runId)),
    ]);
    const [accounts] = (await ds.query(
      `SELECT count(*)::int AS n FROM accounts WHERE status = 'active' AND external_id IS NOT NULL`,
    )) as [{ n: number }];
    // Each target's own wall time: the slower one is the run's critical path.
    const targetWalls = (await ds.query(
      `SELECT c.connector_id AS target, round(extract(epoch FROM r.finished_at - r.started_at)::numeric, 1)::float AS wall_s
         FROM sync_runs r JOIN connections c ON c.id = r.connection_id WHERE r.kind = 'target' ORDER BY 1`,
    )) as { target: string; wall_s: number }[];
    // What did not go through, by target and vendor error (quarantined objects do not stop a run).
    const failures = (await ds.query(
      `SELECT c.connector_id AS target, e.object_type, e.action, e.error->>'code' AS code, e.error->>'vendorCode' AS vendor_code,
              min(e.error->>'message') AS example, count(*)::int AS n
         FROM sync_events e JOIN connections c ON c.id = e.connection_id
        WHERE e.status IN ('quarantined', 'failed') GROUP BY 1, 2, 3, 4, 5`,
    )) as Record<string, unknown>[];
    print({
      bench: 'sync.full',
      n: input.n,
      per_s: round(input.n / wallS),
      wall_s: round(wallS),
      peak_rss_mb: peakRssMb,
      history_events_per_1000: round((history.total * 1000) / input.n),
      max_events_per_execution: history.maxPerExecution,
      executions: history.executions,
      status: outcome.status,
      targets: (outcome.targets ?? []).map((t) => t.status),
      target_wall_s: Object.fromEntries(targetWalls.map((t) => [t.target, t.wall_s])),
      accounts_active: accounts.n,
      wecom_members: wecom.members.size,
      scim_users: scim.store.count('User'),
      failures,
      // CPU milliseconds per person by process, for the whole run and per phase (HR read; target writes).
      cpu_ms_per_person: cpuPerPerson(before, after, input.n),
      // Vendor requests and database transactions per person: what the CPU figures are made of.
      requests_per_person: {
        bamboohr: round2((requestsAfter.bamboohr - requestsBefore.bamboohr) / input.n),
        wecom: round2((requestsAfter.wecom - requestsBefore.wecom) / input.n),
        scim: round2((requestsAfter.scim - requestsBefore.scim) / input.n),
      },
      db_transactions_per_person: round2(statements / input.n),
      phases: middle
        ? {
            source: {
              wall_s: round((middle.at - before.at) / 1000),
              ...cpuPerPerson(before, middle, input.n),
            },
            targets: {
              wall_s: round((after.at - middle.at) / 1000),
              ...cpuPerPerson(middle, after, input.n),
            },
          }
        : null,
      load: machineLoad(),
    });

    if (input.changes > 0) {
      const latencies = await incremental(input.client, taskQueue, ds, hr, hrId, wecom, scim, input.changes);
      latencies.sort((a, b) => a - b);
      print({
        bench: 'sync.incremental',
        n: input.n,
        changes: input.changes,
        completed: latencies.length,
        p50_s: round(quantile(latencies, 0.5) / 1000),
        p95_s: round(quantile(latencies, 0.95) / 1000),
        max_s: round((latencies.at(-1) ?? 0) / 1000),
        peak_rss_mb: peakRss(worker.pid ?? 0),
      });
    }
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    await hrHandle.stop();
    await wecom.stop();
    await scim.close();
    await ds.destroy();
    await adminQuery(input.adminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  }
}

/**
 * HR changes one person at a time (a title change every 100 ms), each announced by a webhook (signal-with-start
 * of an incremental sync, as POST /hooks/:id does); latency is from the HR change until both targets show it.
 */
async function incremental(
  client: Client,
  taskQueue: string,
  ds: DataSource,
  hr: BambooHrSimulator,
  hrId: string,
  wecom: WeComSimulator,
  scim: ScimSimulator,
  changes: number,
): Promise<number[]> {
  const employees = hr.state.employees.filter((e) => e.status === 'Active').slice(0, changes);
  const people = new Map(
    (
      (await ds.query(
        `SELECT id, external_id FROM people WHERE source_connection_id = $1 AND external_id = ANY($2)`,
        [hrId, employees.map((e) => String(e.id))],
      )) as { id: string; external_id: string }[]
    ).map((r) => [r.external_id, r.id]),
  );
  const pending = new Map<number, { personId: string; title: string; at: number }>();
  const latencies: number[] = [];
  const poll = setInterval(() => {
    for (const [id, change] of pending) {
      const member = wecom.members.get(useridFor(change.personId));
      const user = scim.store.findByExternalId('User', change.personId)[0];
      const title = (user?.attributes as { title?: string } | undefined)?.title;
      if (member?.position === change.title && title === change.title) {
        latencies.push(Date.now() - change.at);
        pending.delete(id);
      }
    }
  }, 25);
  try {
    for (const [i, e] of employees.entries()) {
      const title = `Bench title ${i} ${randomBytes(2).toString('hex')}`;
      hr.state.update(e.id, { jobTitle: title });
      pending.set(e.id, { personId: people.get(String(e.id)) ?? '', title, at: Date.now() });
      await signalWebhookSync(client, taskQueue, hrId, randomUUID());
      await new Promise((r) => setTimeout(r, 100));
    }
    const deadline = Date.now() + 300_000;
    while (pending.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    // Let the last webhook-started run finish before the worker goes.
    await client.workflow
      .getHandle(workflowIds.webhookSync(hrId))
      .result()
      .catch(() => undefined);
  } finally {
    clearInterval(poll);
  }
  return latencies;
}

interface CpuSnapshot {
  at: number;
  worker: number;
  simulators: number;
  postgres: number;
  temporal: number;
}

function cpuPerPerson(from: CpuSnapshot, to: CpuSnapshot, n: number): Record<string, number> {
  const ms = (key: Exclude<keyof CpuSnapshot, 'at'>): number => round(((to[key] - from[key]) * 1000) / n);
  const parts = {
    worker: ms('worker'),
    simulators: ms('simulators'),
    postgres: ms('postgres'),
    temporal: ms('temporal'),
  };
  return { ...parts, total: round(parts.worker + parts.simulators + parts.postgres + parts.temporal) };
}

/** Takes a CPU snapshot when the source run (the HR read) finishes, so the figures can be split by phase. */
function watchSourceRun(ds: DataSource, cpu: () => CpuSnapshot): { stop(): Promise<CpuSnapshot | null> } {
  let snapshot: CpuSnapshot | null = null;
  let stopped = false;
  const loop = (async () => {
    while (!stopped && !snapshot) {
      const [row] = (await ds.query(
        `SELECT 1 FROM sync_runs WHERE kind = 'source' AND finished_at IS NOT NULL LIMIT 1`,
      )) as unknown[];
      if (row) snapshot = cpu();
      else await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return snapshot;
    },
  };
}

async function targetWorkflowIds(ds: DataSource, sourceRunId: string): Promise<string[]> {
  const rows = (await ds.query(
    `SELECT DISTINCT workflow_id FROM sync_runs WHERE kind = 'target' AND workflow_id LIKE $1`,
    [`%${sourceRunId}`],
  )) as {
    workflow_id: string;
  }[];
  return rows.map((r) => r.workflow_id);
}

/** History events of each workflow id, following continue-as-new back to the first execution. */
async function historyEvents(
  client: Client,
  ids: string[],
): Promise<{ total: number; maxPerExecution: number; executions: number }> {
  let total = 0;
  let max = 0;
  let executions = 0;
  for (const id of ids) {
    let runId: string | undefined;
    for (let guard = 0; guard < 10_000; guard += 1) {
      const history = await client.workflow.getHandle(id, runId).fetchHistory();
      const events = history.events ?? [];
      total += events.length;
      max = Math.max(max, events.length);
      executions += 1;
      const previous = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
      if (!previous) break;
      runId = previous;
    }
  }
  return { total, maxPerExecution: max, executions };
}

function spawnWorker(env: Record<string, string>): Promise<ChildProcess> {
  const script = fileURLToPath(new URL('./sync-worker.js', import.meta.url));
  // BENCH_WORKER_NODE_ARGS: extra node flags for the worker, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
  // (NODE_OPTIONS may not carry --cpu-prof).
  const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, ...env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench worker exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
  });
}

/** Peak resident set of a process (Linux VmHWM), in MB. */
function peakRss(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function insertConnection(
  ds: DataSource,
  vault: Vault,
  tenantId: string,
  connectorId: string,
  direction: 'source' | 'target',
  raw: Record<string, unknown>,
  mappings: Record<string, unknown>,
): Promise<string> {
  const id = randomUUID();
  const definition = DEFINITIONS[connectorId];
  if (!definition) throw new Error(`no connector ${connectorId}`);
  const sealed = sealConnectionConfig(definition, raw, vault, id);
  await ds.query(
    `INSERT INTO connections (id, tenant_id, connector_id, slug, name, direction, config, secrets_sealed, mappings, account_scope, version)
     VALUES ($1, $2, $3, $3, $3, $4, $5, $6, $7, 'all', 1)`,
    [
      id,
      tenantId,
      connectorId,
      direction,
      JSON.stringify(sealed.config),
      sealed.secretsSealed,
      JSON.stringify(mappings),
    ],
  );
  return id;
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

const round = (x: number): number => Math.round(x * 10) / 10;
const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Transactions committed in the bench database so far (every autocommit statement is one). */
async function statementCount(ds: DataSource): Promise<number> {
  const [row] = (await ds.query(
    `SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`,
  )) as [{ n: string }];
  return Number(row.n);
}

function print(figure: Record<string, unknown>): void {
  console.log(JSON.stringify(figure));
}

// Run directly (`node dist/bench/sync.js --sizes 1000`) as well as through bench/run.ts.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runSyncBench(process.argv.slice(2)).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
