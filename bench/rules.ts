import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../core/db/data-source.js';
import { createLogger } from '../core/logger.js';
import { MIGRATIONS } from '../migrations/index.js';
import { startEmbeddedPostgres } from '../bin/embedded/postgres.js';
import { freePort } from '../bin/runtime/free-port.js';
import { migrate } from '../bin/runtime/database.js';
import { matchPeople } from '../gateway/api/resources/role-rules.js';
import { loadAccessContext, tenantSubtree } from '../workers/access/access-context.js';
import { reapplyRulesPage } from '../workers/access/role-rules.js';
import { machineLoad } from './process-cpu.js';
import { runRulesWorkflowBench } from './rules-workflow.js';

/**
 * `npm run bench -- rules [--sizes 100000] [--workflow false]`: a tenant of N people seeded with SQL
 * (generate_series), then what a role-rule change costs: re-evaluating every person in one transaction (what the
 * admin API did inside the request), the same when nothing changes, the "who would this rule match" preview (it
 * evaluates everyone too), and the re-evaluation as the Temporal workflow a rule change now starts.
 * One JSON object per figure, with the machine's load beside it.
 */
export async function runRulesBench(argv: string[]): Promise<void> {
  const sizes = (option(argv, '--sizes') ?? '100000').split(',').map(Number);
  const withWorkflow = option(argv, '--workflow') !== 'false';
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', name: 'bench-rules' });
  const dir = mkdtempSync(join(tmpdir(), 'junction-bench-rules-'));
  const postgres = await startEmbeddedPostgres({
    dataDir: dir,
    port: await freePort(),
    log,
    persistent: false,
  });
  try {
    for (const n of sizes) {
      const dbName = `bench_rules_${n}_${randomBytes(3).toString('hex')}`;
      const admin = new pg.Client({ connectionString: postgres.adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${dbName}`);
      await admin.end();
      const url = new URL(postgres.adminUrl);
      url.pathname = `/${dbName}`;
      const ds = createDataSource({ url: url.toString(), migrations: MIGRATIONS, poolSize: 4 });
      await ds.initialize();
      try {
        await migrate(ds);
        const seeded = await seedPeople(ds, n);
        await benchSynchronous(ds, seeded, n);
        if (withWorkflow)
          await runRulesWorkflowBench({ ds, tenantId: seeded.tenantId, roleId: seeded.roleId, n, log });
      } finally {
        await ds.destroy();
      }
    }
  } finally {
    await postgres.stop();
  }
}

export interface SeededTenant {
  tenantId: string;
  roleId: string;
}

/** A tenant with 50 departments and N people (a quarter of them engineers, one in ten with a manager). */
export async function seedPeople(ds: DataSource, n: number): Promise<SeededTenant> {
  const started = Date.now();
  const [tenant] = (await ds.query(
    `INSERT INTO tenants (slug, name, version) VALUES ('bench', 'Bench', 1) RETURNING id`,
  )) as [{ id: string }];
  await ds.query(
    `INSERT INTO departments (tenant_id, name, code, version)
     SELECT $1, 'Department ' || i, 'D' || i, 1 FROM generate_series(1, 50) i`,
    [tenant.id],
  );
  await ds.query(
    `INSERT INTO people (tenant_id, version, employee_number, given_name, family_name, display_name, email,
                         department_id, job_title, status)
     SELECT $1, 1, 'E' || i, 'Given' || i, 'Family' || i, 'Person ' || i, 'p' || i || '@bench.example',
            d.ids[1 + i % 50], (ARRAY['Engineer', 'Sales', 'Support', 'Finance'])[1 + i % 4],
            CASE WHEN i % 20 = 0 THEN 'inactive' ELSE 'active' END
       FROM generate_series(1, $2::int) i,
            (SELECT array_agg(id ORDER BY code) AS ids FROM departments WHERE tenant_id = $1) d`,
    [tenant.id, n],
  );
  await ds.query(
    `UPDATE people p SET manager_id = m.id FROM people m
      WHERE p.tenant_id = $1 AND m.tenant_id = $1 AND substr(p.employee_number, 2)::int % 10 = 0
        AND m.employee_number = 'E' || (substr(p.employee_number, 2)::int / 10)`,
    [tenant.id],
  );
  const [role] = (await ds.query(
    `INSERT INTO roles (tenant_id, key, name, version) VALUES ($1, 'engineering', 'Engineering', 1) RETURNING id`,
    [tenant.id],
  )) as [{ id: string }];
  await ds.query('ANALYZE');
  console.log(
    JSON.stringify({
      bench: 'rules.seed',
      n,
      wall_s: round((Date.now() - started) / 1000),
      load: machineLoad(),
    }),
  );
  return { tenantId: tenant.id, roleId: role.id };
}

/** What a rule change cost when the API re-evaluated everyone inside the request's transaction. */
async function benchSynchronous(ds: DataSource, seeded: SeededTenant, n: number): Promise<void> {
  const condition = { attribute: 'jobTitle', op: 'eq', value: 'Engineer' };
  await ds.query(
    `INSERT INTO role_rules (tenant_id, role_id, name, condition, version) VALUES ($1, $2, 'Engineers', $3, 1)`,
    [seeded.tenantId, seeded.roleId, JSON.stringify(condition)],
  );
  for (const label of ['rules.reapply', 'rules.reapply.unchanged']) {
    const started = Date.now();
    const totals = await ds.transaction(async (manager) => {
      const ctx = await loadAccessContext(manager, seeded.tenantId);
      const reach = tenantSubtree(ctx.tenants, seeded.tenantId);
      const sum = { read: 0, changed: 0, added: 0 };
      let after: string | null = null;
      do {
        const page = await reapplyRulesPage(manager, ctx, reach, after);
        sum.read += page.read;
        sum.changed += page.changed;
        sum.added += page.added;
        after = page.next;
      } while (after);
      return sum;
    });
    const wall = (Date.now() - started) / 1000;
    console.log(
      JSON.stringify({
        bench: label,
        n,
        wall_s: round(wall),
        per_s: Math.round(totals.read / wall),
        ...totals,
        load: machineLoad(),
      }),
    );
  }
  const started = Date.now();
  const preview = await matchPeople(ds, () => true, {
    tenantId: seeded.tenantId,
    condition: { attribute: 'jobTitle', op: 'eq', value: 'Engineer' },
    includeSubsidiaries: true,
    sample: 25,
  });
  const wall = (Date.now() - started) / 1000;
  console.log(
    JSON.stringify({
      bench: 'rules.preview',
      n,
      wall_s: round(wall),
      per_s: Math.round(preview.scanned / wall),
      matched: preview.matched,
      load: machineLoad(),
    }),
  );
}

export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}
