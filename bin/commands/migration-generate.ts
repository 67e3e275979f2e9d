import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { createDataSource } from '../../core/db/data-source.js';
import { createLogger } from '../../core/logger.js';
import { MIGRATIONS } from '../../migrations/index.js';
import { startEmbeddedPostgres } from '../embedded/postgres.js';
import { freePort } from '../runtime/free-port.js';

/**
 * Developer command: diffs the entities against a scratch database migrated to the latest migration and writes
 * what is missing as a new timestamped migration in ./migrations, then rewrites migrations/index.ts.
 * Uses DATABASE_URL's server when set, otherwise a throw-away embedded PostgreSQL.
 */
export async function generateMigration(name: string): Promise<string | undefined> {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name))
    throw new Error('migration name must be PascalCase, e.g. AddApprovals');
  const log = createLogger({ level: 'warn' });
  let stopServer: (() => Promise<void>) | undefined;
  let scratchDir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    scratchDir = mkdtempSync(join(tmpdir(), 'junction-migration-'));
    const server = await startEmbeddedPostgres({
      dataDir: scratchDir,
      port: await freePort(),
      log,
      persistent: false,
    });
    adminUrl = server.adminUrl;
    stopServer = server.stop;
  }
  const scratch = `junction_scratch_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${scratch}`);
  const url = new URL(adminUrl);
  url.pathname = `/${scratch}`;
  const dataSource = createDataSource({ url: url.toString(), migrations: MIGRATIONS, poolSize: 2 });
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    const sql = await dataSource.driver.createSchemaBuilder().log();
    if (sql.upQueries.length === 0) return undefined;
    const timestamp = Date.now();
    const className = `${name}${timestamp}`;
    const file = resolve('migrations', `${timestamp}-${name}.ts`);
    const render = (queries: { query: string; parameters?: unknown[] | undefined }[]): string =>
      queries
        .map((q) => {
          const params = q.parameters && q.parameters.length > 0 ? `, ${JSON.stringify(q.parameters)}` : '';
          return `    await queryRunner.query(${JSON.stringify(q.query)}${params});`;
        })
        .join('\n');
    const source = `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${render(sql.upQueries)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${render([...sql.downQueries].reverse())}
  }
}
`;
    writeFileSync(file, source);
    writeIndex();
    return file;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${scratch}`);
    await admin.end();
    await stopServer?.();
    if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
  }
}

/** migrations/index.ts lists every migration file in timestamp order. */
function writeIndex(): void {
  const files = readdirSync(resolve('migrations'))
    .filter((file) => /^\d+-[A-Za-z0-9]+\.ts$/.test(file))
    .sort();
  const entries = files.map((file) => {
    const [timestamp, rest] = file.replace(/\.ts$/, '').split('-') as [string, string];
    return { className: `${rest}${timestamp}`, module: `./${file.replace(/\.ts$/, '.js')}` };
  });
  const source = `// Every migration, in order. \`npm run migration:generate -- <Name>\` writes a new file and rewrites this list.
${entries.map((e) => `import { ${e.className} } from '${e.module}';`).join('\n')}

export const MIGRATIONS = [${entries.map((e) => e.className).join(', ')}];
`;
  writeFileSync(resolve('migrations', 'index.ts'), source);
}
