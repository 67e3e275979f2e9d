import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { loadConfig, type Config } from '../../core/config.js';
import { createDataSource, initialiseDataSource } from '../../core/db/data-source.js';
import { Connection, SyncEvent, SyncRun } from '../../core/entities/index.js';
import { ConfigError, NotFoundError, ValidationError } from '../../core/errors.js';
import { startConnectionSync, waitForRun, type RunOutcome } from '../../workers/client.js';
import { connectClient, temporalTarget } from '../../workers/temporal-connection.js';

export interface SyncCommandOptions {
  full?: boolean;
  dryRun?: boolean;
  wait?: boolean;
}

/**
 * `junction sync <connection> [--full] [--dry-run] [--no-wait]`: runs a connection now (a source reads HR and then
 * provisions every target; a target is provisioned from the directory) and prints the outcome; a dry run prints
 * the plan. The connection is its id, its slug, or `tenant-slug/slug`. Exit code 0 when the run succeeded.
 */
export async function syncCommand(reference: string, options: SyncCommandOptions): Promise<number> {
  const config = loadConfig();
  const dataSource = await initialiseDataSource(
    createDataSource({ url: databaseUrl(config), poolSize: 2, applicationName: 'junction-sync' }),
  );
  const connection = await connectClient(
    temporalTarget(config, config.temporal.address ?? `127.0.0.1:${config.embedded.temporalPort}`),
  );
  try {
    const row = await findConnection(dataSource, reference);
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const started = await startConnectionSync(client, config.temporal.taskQueue, row, {
      mode: options.full ? 'full' : 'incremental',
      dryRun: options.dryRun ?? false,
      trigger: 'manual',
      requestedBy: `cli:${safeUser()}`,
    });
    process.stdout.write(
      `${options.dryRun ? 'Dry run' : 'Sync'} of ${row.slug} (${row.direction}) started: ${started.workflowId}\n`,
    );
    if (options.wait === false) return 0;
    const outcome = await waitForRun(client, started.workflowId);
    await printOutcome(dataSource, row.slug, outcome, options.dryRun ?? false);
    return outcome.status === 'succeeded' ? 0 : 1;
  } finally {
    await connection.close();
    await dataSource.destroy();
  }
}

/** DATABASE_URL, or the embedded cluster a running `junction start` keeps in the data directory. */
export function databaseUrl(config: Config): string {
  if (config.databaseUrl) return config.databaseUrl;
  const passwordFile = join(resolve(config.dataDir), 'postgres.password');
  if (!existsSync(passwordFile)) {
    throw new ConfigError(
      'DATABASE_URL',
      'is not set and no embedded PostgreSQL was found (run `junction start` first)',
    );
  }
  const password = readFileSync(passwordFile, 'utf8').trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${config.embedded.postgresPort}/junction`;
}

async function findConnection(ds: DataSource, reference: string): Promise<Connection> {
  const repo = ds.getRepository(Connection);
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(reference)) {
    const byId = await repo.findOneBy({ id: reference });
    if (byId) return byId;
  }
  const [tenantSlug, slug] = reference.includes('/') ? reference.split('/', 2) : [null, reference];
  const rows = (await ds.query(
    `SELECT c.id FROM connections c JOIN tenants t ON t.id = c.tenant_id WHERE c.slug = $1 AND ($2::text IS NULL OR t.slug = $2)`,
    [slug, tenantSlug],
  )) as { id: string }[];
  if (rows.length === 0) throw new NotFoundError(`connection "${reference}"`);
  if (rows.length > 1) {
    throw new ValidationError(
      `"${reference}" names connections in ${rows.length} tenants; say which: tenant-slug/${slug ?? ''}`,
    );
  }
  const [only] = rows as [{ id: string }];
  return repo.findOneByOrFail({ id: only.id });
}

async function printOutcome(
  ds: DataSource,
  slug: string,
  outcome: RunOutcome,
  dryRun: boolean,
): Promise<void> {
  const runs = [outcome, ...(outcome.targets ?? [])].filter((r) => r.runId);
  for (const run of runs) {
    const row = await ds.getRepository(SyncRun).findOne({ where: { id: run.runId } });
    const name = row?.connectionId
      ? ((await ds.getRepository(Connection).findOneBy({ id: row.connectionId }))?.slug ?? slug)
      : slug;
    const counts = Object.entries(run.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    process.stdout.write(
      `${name}: ${run.status}${counts ? ` (${counts})` : ''}${row?.error ? ` — ${row.error.message}` : ''}\n`,
    );
    if (dryRun || run.status === 'partially_failed') {
      const events = await ds.getRepository(SyncEvent).find({
        where: { runId: run.runId, status: dryRun ? 'planned' : 'quarantined' },
        order: { id: 'ASC' },
        take: 50,
      });
      for (const e of events) {
        const diff = e.diff
          ? Object.entries(e.diff)
              .map(([field, d]) => `${field}: ${JSON.stringify(d.from)} → ${JSON.stringify(d.to)}`)
              .join('; ')
          : (e.error?.message ?? '');
        process.stdout.write(
          `  ${e.action.padEnd(7)} ${e.objectType} ${e.label ?? e.externalId ?? ''}  ${diff}\n`,
        );
      }
    }
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
