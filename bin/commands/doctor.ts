import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { loadConfig, type Config } from '../../core/config.js';
import { createDataSource, initialiseDataSource } from '../../core/db/data-source.js';
import { JunctionError } from '../../core/errors.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { connectClient, temporalTarget } from '../../workers/temporal-connection.js';
import { findTemporalCli, TEMPORAL_CLI_HELP } from '../embedded/find-temporal-cli.js';

interface Finding {
  check: string;
  ok: boolean;
  message: string;
  fix?: string;
}

/** Checks configuration, the master key, the database and Temporal; prints what is wrong and how to fix it. */
export async function doctorCommand(): Promise<number> {
  const findings: Finding[] = [];
  let config: Config;
  try {
    config = loadConfig();
    findings.push({ check: 'configuration', ok: true, message: 'environment parses' });
  } catch (error) {
    findings.push({
      check: 'configuration',
      ok: false,
      message: describe(error),
      fix: 'correct the variable named above',
    });
    return print(findings);
  }
  findings.push(checkMasterKey(config));
  findings.push(await checkDatabase(config));
  findings.push(await checkTemporal(config));
  return print(findings);
}

function checkMasterKey(config: Config): Finding {
  if (config.masterKey)
    return { check: 'master key', ok: true, message: 'JUNCTION_MASTER_KEY is set (32 bytes)' };
  const path = join(config.dataDir, 'master.key');
  if (!existsSync(path)) {
    return {
      check: 'master key',
      ok: true,
      message: `not set; \`junction start\` will create ${path}`,
      fix: 'for `junction gateway` / `junction worker`, set JUNCTION_MASTER_KEY (openssl rand -base64 32) on every replica',
    };
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    return {
      check: 'master key',
      ok: false,
      message: `${path} has mode ${mode.toString(8)}`,
      fix: `chmod 600 ${path}`,
    };
  }
  return { check: 'master key', ok: true, message: `${path} (mode 600)` };
}

async function checkDatabase(config: Config): Promise<Finding> {
  if (!config.databaseUrl) {
    const cluster = join(config.dataDir, 'postgres', 'PG_VERSION');
    return {
      check: 'database',
      ok: true,
      message: existsSync(cluster)
        ? `DATABASE_URL not set; embedded cluster found in ${config.dataDir}/postgres`
        : 'DATABASE_URL not set; `junction start` will create an embedded cluster',
    };
  }
  const dataSource = createDataSource({ url: config.databaseUrl, migrations: MIGRATIONS, poolSize: 1 });
  try {
    await initialiseDataSource(dataSource);
    const [{ version }] = (await dataSource.query('SHOW server_version')) as [
      { version?: string; server_version?: string },
    ];
    const pending = await dataSource.showMigrations();
    return {
      check: 'database',
      ok: !pending,
      message: `connected (PostgreSQL ${version ?? 'server'}); ${pending ? 'migrations pending' : 'schema up to date'}`,
      ...(pending ? { fix: 'run `junction migrate`' } : {}),
    };
  } catch (error) {
    return {
      check: 'database',
      ok: false,
      message: describe(error),
      fix: 'check DATABASE_URL and that the server is running',
    };
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

async function checkTemporal(config: Config): Promise<Finding> {
  if (!config.temporal.address) {
    let cli: ReturnType<typeof findTemporalCli>;
    try {
      cli = findTemporalCli();
    } catch (error) {
      return { check: 'temporal', ok: false, message: describe(error), fix: TEMPORAL_CLI_HELP };
    }
    return cli
      ? {
          check: 'temporal',
          ok: true,
          message: `TEMPORAL_ADDRESS not set; dev server CLI found (${cli.via}: ${cli.path})`,
        }
      : {
          check: 'temporal',
          ok: false,
          message:
            'TEMPORAL_ADDRESS not set and no temporal CLI found (the SDK can download one only when online)',
          fix: TEMPORAL_CLI_HELP,
        };
  }
  try {
    const target = temporalTarget(config);
    const connection = await connectClient(target);
    try {
      const client = new Client({ connection, namespace: target.namespace });
      await client.workflowService.describeNamespace({ namespace: target.namespace });
      return {
        check: 'temporal',
        ok: true,
        message: `connected to ${target.address}, namespace ${target.namespace}`,
      };
    } finally {
      await connection.close();
    }
  } catch (error) {
    return {
      check: 'temporal',
      ok: false,
      message: describe(error),
      fix: 'check TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and (for Temporal Cloud) TEMPORAL_API_KEY',
    };
  }
}

function print(findings: Finding[]): number {
  for (const f of findings) {
    process.stdout.write(`${f.ok ? 'ok  ' : 'FAIL'}  ${f.check.padEnd(13)} ${f.message}\n`);
    if (f.fix) process.stdout.write(`      ${''.padEnd(13)} → ${f.fix}\n`);
  }
  return findings.every((f) => f.ok) ? 0 : 1;
}

function describe(error: unknown): string {
  if (error instanceof JunctionError) return error.publicMessage;
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
}
