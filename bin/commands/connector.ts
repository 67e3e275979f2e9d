import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { loadConfig, type Config } from '../../core/config.js';
import { Connection, Tenant } from '../../core/entities/index.js';
import { createLogger, type Logger } from '../../core/logger.js';
import type { Vault } from '../../core/vault/vault.js';
import { ConnectorError } from '../../connectors/kit/errors.js';
import { openConnector } from '../../connectors/open-connector.js';
import { CONNECTORS } from '../../connectors/registry.js';
import { startEmbeddedPostgres } from '../embedded/postgres.js';
import { openDatabase } from '../runtime/database.js';
import { openVault } from '../runtime/master-key.js';

type Print = (line: string) => void;

/** `junction connector list`: every connector kind this build has. */
export function connectorListCommand(print: Print = (line) => process.stdout.write(`${line}\n`)): void {
  const rows = Object.values(CONNECTORS).map((d) => [
    d.id,
    d.category,
    d.title,
    d.directions.join('+'),
    d.capabilities.join(', '),
  ]);
  const header = ['ID', 'CATEGORY', 'TITLE', 'DIRECTIONS', 'CAPABILITIES'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => displayWidth(r[i] ?? ''))));
  for (const row of [header, ...rows]) {
    print(
      row
        .map((cell, i) =>
          i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - displayWidth(cell)),
        )
        .join('  '),
    );
  }
}

/** Terminal columns: CJK characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text)
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/.test(char) ? 2 : 1;
  return width;
}

/** `junction connector check <connection>`: opens the database and vault as the other commands do. */
export async function connectorCheckCommand(reference: string): Promise<number> {
  const config = loadConfig();
  const log = createLogger({ level: config.logLevel, name: 'junction-connector' });
  const database = await openJunctionDatabase(config, log);
  try {
    const vault = openVault(config, config.databaseUrl ? 'distributed' : 'embedded');
    return await checkConnection(reference, {
      dataSource: database.dataSource,
      vault,
      log,
      print: (line) => process.stdout.write(`${line}\n`),
    });
  } finally {
    await database.close();
  }
}

/**
 * Finds the connection (by id, `slug`, or `tenant/slug`), opens it with its sealed secrets and runs check().
 * Prints what was verified, or the actionable error; returns the exit code (1 on failure).
 */
export async function checkConnection(
  reference: string,
  deps: { dataSource: DataSource; vault: Vault; log: Logger; print: Print },
): Promise<number> {
  const { print } = deps;
  const found = await findConnection(deps.dataSource, reference);
  if (typeof found === 'string') {
    print(`FAIL  ${found}`);
    return 1;
  }
  const label = `${found.name} (${found.connectorId}, ${found.slug})`;
  try {
    const { instance } = openConnector(found, { vault: deps.vault, log: deps.log });
    try {
      const report = await instance.check();
      print(`ok    ${label}: ${report.message}`);
      for (const [key, value] of Object.entries(report.details ?? {}))
        print(`      ${key}: ${JSON.stringify(value)}`);
      return 0;
    } finally {
      await instance.close?.();
    }
  } catch (error) {
    if (error instanceof ConnectorError) {
      print(`FAIL  ${label}: ${error.connectorCode}: ${error.publicMessage}`);
      if (error.vendorCode !== undefined || error.vendorMessage !== undefined) {
        print(`      vendor said: ${[error.vendorCode, error.vendorMessage].filter(Boolean).join(' ')}`);
      }
      print(
        `      ${error.retryable ? 'temporary: try again later' : 'fix the connection, then check again'}`,
      );
      return 1;
    }
    print(`FAIL  ${label}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function findConnection(dataSource: DataSource, reference: string): Promise<Connection | string> {
  const connections = dataSource.getRepository(Connection);
  if (UUID.test(reference)) {
    return (await connections.findOneBy({ id: reference })) ?? `no connection with id ${reference}`;
  }
  const [tenantSlug, slug] = reference.includes('/') ? reference.split('/', 2) : [undefined, reference];
  let matches: Connection[];
  if (tenantSlug) {
    const tenant = await dataSource.getRepository(Tenant).findOneBy({ slug: tenantSlug });
    if (!tenant) return `no tenant "${tenantSlug}"`;
    matches = await connections.findBy({ tenantId: tenant.id, slug });
  } else {
    matches = await connections.find({ where: { slug }, relations: { tenant: true } });
  }
  if (matches.length === 0) return `no connection "${reference}" (give its id, slug or tenant/slug)`;
  if (matches.length > 1) {
    const tenants = matches.map((m) => m.tenant?.slug ?? m.tenantId).join(', ');
    return `"${reference}" names connections in several tenants (${tenants}); use tenant/slug or the id`;
  }
  return matches[0] ?? `no connection "${reference}"`;
}

/**
 * DATABASE_URL when set; otherwise the embedded cluster — the one a running `junction start` serves if it
 * answers, else started for the duration of the command (as `junction migrate` does).
 */
async function openJunctionDatabase(
  config: Config,
  log: Logger,
): Promise<{ dataSource: DataSource; close(): Promise<void> }> {
  let url = config.databaseUrl;
  let stopPostgres: (() => Promise<void>) | undefined;
  if (!url) {
    url = await runningEmbeddedUrl(config);
    if (!url) {
      const postgres = await startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: config.embedded.postgresPort,
        log,
      });
      url = postgres.url;
      stopPostgres = postgres.stop;
    }
  }
  const dataSource = await openDatabase(url, 'junction-connector', 2);
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await stopPostgres?.();
    },
  };
}

async function runningEmbeddedUrl(config: Config): Promise<string | undefined> {
  const passwordFile = join(config.dataDir, 'postgres.password');
  if (!existsSync(passwordFile)) return undefined;
  const password = encodeURIComponent(readFileSync(passwordFile, 'utf8').trim());
  const url = `postgres://postgres:${password}@127.0.0.1:${config.embedded.postgresPort}/junction`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return url;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}
