import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import pg from 'pg';
import { createDataSource } from '../../core/db/data-source.js';
import { createLogger } from '../../core/logger.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { startEmbeddedPostgres } from '../../bin/embedded/postgres.js';
import { startDevTemporal } from '../../bin/embedded/temporal.js';
import { freePort } from '../../bin/runtime/free-port.js';
import { migrate } from '../../bin/runtime/database.js';
import { workflowsPath } from '../../workers/worker.js';
import { SERVICES_ENV, type HarnessServices } from './services.js';
import { withDeadline } from '../../core/with-deadline.js';

/** Stops for the teardown, kept on globalThis (set-up and teardown share a context, test files do not). */
declare global {
  var junctionHarnessStops: (() => Promise<void>)[] | undefined;
}

/**
 * Starts one real PostgreSQL (embedded, or the server in DATABASE_URL) and one real Temporal dev server for the
 * whole run, migrates a template database and bundles the workflows once. Fails fast with a message, never hangs.
 */
export default async function globalSetup(): Promise<void> {
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', name: 'test-harness' });
  const stops: (() => Promise<void>)[] = [];
  globalThis.junctionHarnessStops = stops;

  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'junction-test-pg-'));
    const postgres = await withDeadline(
      startEmbeddedPostgres({ dataDir, port: await freePort(), log, persistent: false }),
      60_000,
      'test harness: embedded PostgreSQL did not start',
    );
    stops.push(postgres.stop);
    adminUrl = postgres.adminUrl;
  }

  const temporal = await withDeadline(
    startDevTemporal({ log, port: await freePort() }),
    60_000,
    'test harness: the Temporal dev server did not start',
  );
  stops.push(temporal.stop);

  const templateDatabase = `junction_test_template_${process.pid}`;
  await createTemplate(adminUrl, templateDatabase);
  stops.push(() => dropDatabase(adminUrl, templateDatabase));

  const bundle = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietBundlerLogger });
  const bundleDir = mkdtempSync(join(tmpdir(), 'junction-test-bundle-'));
  const workflowBundlePath = join(bundleDir, 'workflows.js');
  writeFileSync(workflowBundlePath, bundle.code);

  const artifactsDir = resolve('test-artifacts');
  mkdirSync(artifactsDir, { recursive: true });

  const services: HarnessServices = {
    adminUrl,
    templateDatabase,
    temporalAddress: temporal.address,
    temporalNamespace: temporal.namespace,
    workflowBundlePath,
    artifactsDir,
  };
  process.env[SERVICES_ENV] = JSON.stringify(services);
}

async function createTemplate(adminUrl: string, name: string): Promise<void> {
  await dropDatabase(adminUrl, name);
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataSource = createDataSource({ url: url.toString(), migrations: MIGRATIONS, poolSize: 2 });
  await dataSource.initialize();
  try {
    await migrate(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`workflow bundler: ${message}\n`),
  error: (message: string) => process.stderr.write(`workflow bundler: ${message}\n`),
};
