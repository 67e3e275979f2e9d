import type { DataSource } from 'typeorm';
import { createLogger } from '../../core/logger.js';
import { requestRuleEvaluation } from '../../workers/role-rules-client.js';
import type { RuleEvaluationOutcome } from '../../workers/role-rules-contract.js';
import { startTestWorker, type RunningTestWorker } from '../harness/temporal.js';
import {
  apiClient,
  createAdminToken,
  seedTenantFamily,
  startApiTestGateway,
  type ApiClient,
  type ApiTestContext,
  type Json,
  type TenantFamily,
} from './api-harness.js';

/** People per subsidiary: more than one activity's worth (4 pages of 500), so paging and restarts are exercised. */
const PEOPLE = 2_300;

/**
 * A role-rule change through the admin API commits at once and the tenant's people are re-evaluated by the
 * `reevaluateRoleRulesWorkflow` on a real worker (real PostgreSQL and Temporal): assignments appear, follow a
 * changed condition and go with a deleted rule; manual assignments and other tenants are left alone.
 */
describe('role rule evaluation after a change', () => {
  let ctx: ApiTestContext;
  let worker: RunningTestWorker;
  let ds: DataSource;
  let family: TenantFamily;
  let admin: ApiClient;
  let roleId: string;

  beforeAll(async () => {
    ctx = await startApiTestGateway();
    ds = ctx.db.dataSource;
    worker = await startTestWorker(ctx.temporal, {
      dataSource: ds,
      log: createLogger({ level: process.env.LOG_LEVEL ?? 'silent' }),
    });
    family = await seedTenantFamily(ds);
    admin = apiClient(ctx.gateway.url, await createAdminToken(ds, family.group.id, 'group_admin'));
    for (const tenant of [family.subA, family.subB]) {
      await ds.query(
        `INSERT INTO people (tenant_id, version, employee_number, display_name, job_title, status)
         SELECT $1, 1, 'E' || i, 'Person ' || i, (ARRAY['Engineer', 'Sales', 'Support'])[1 + i % 3], 'active'
           FROM generate_series(1, $2::int) i`,
        [tenant.id, PEOPLE],
      );
    }
    const role = await admin.post('/roles', { tenantId: family.subA.id, key: 'eng', name: 'Engineering' });
    expect(role.status).toBe(201);
    roleId = String(role.body.id);
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await ctx?.close();
  });

  const ruleHolders = async (tenantId = family.subA.id): Promise<number> => {
    const [{ n }] = (await ds.query(
      `SELECT count(*)::int AS n FROM role_assignments ra JOIN people p ON p.id = ra.person_id
        WHERE ra.role_id = $1 AND ra.source = 'rule' AND p.tenant_id = $2`,
      [roleId, tenantId],
    )) as [{ n: number }];
    return n;
  };
  const peopleWithTitle = async (title: string): Promise<number> => {
    const [{ n }] = (await ds.query(
      `SELECT count(*)::int AS n FROM people WHERE tenant_id = $1 AND job_title = $2`,
      [family.subA.id, title],
    )) as [{ n: number }];
    return n;
  };
  const settled = async (workflowId: string): Promise<RuleEvaluationOutcome> =>
    (await ctx.temporal.client.workflow.getHandle(workflowId).result()) as RuleEvaluationOutcome;

  it('creating a rule answers at once and grants the role to everyone it matches once the evaluation ends', async () => {
    const engineers = await peopleWithTitle('Engineer');
    const touchedBefore = new Date();
    const created = await admin.post<Json & { evaluation: { workflowId: string; runId: string } }>(
      '/role-rules',
      { roleId, name: 'Engineers', condition: { attribute: 'jobTitle', op: 'eq', value: 'Engineer' } },
    );
    expect(created.status).toBe(201);
    expect(created.body.evaluation).toMatchObject({ workflowId: expect.any(String), status: 'running' });

    const outcome = await settled(created.body.evaluation.workflowId);
    expect(outcome.status).toBe('succeeded');
    expect(await ruleHolders()).toBe(engineers);
    expect(await ruleHolders(family.subB.id)).toBe(0);
    const [{ n: touched }] = (await ds.query(
      `SELECT count(*)::int AS n FROM people WHERE tenant_id = $1 AND job_title = 'Engineer' AND updated_at >= $2`,
      [family.subA.id, touchedBefore],
    )) as [{ n: number }];
    expect(touched).toBe(engineers);

    const runs = await admin.get<{ items: Json[] }>(
      `/sync-runs?kind=role_rules&workflowId=${encodeURIComponent(created.body.evaluation.workflowId)}`,
    );
    expect(runs.status).toBe(200);
    expect(runs.body.items[0]).toMatchObject({
      kind: 'role_rules',
      tenantId: family.subA.id,
      status: 'succeeded',
      counts: { read: PEOPLE, rolesGranted: engineers, rolesRevoked: 0 },
    });
  });

  it('a changed condition moves the role; a rename alone starts nothing; deleting the rule takes it away', async () => {
    const [manual] = (await ds.query(
      `SELECT id FROM people WHERE tenant_id = $1 AND job_title = 'Support' ORDER BY id LIMIT 1`,
      [family.subA.id],
    )) as [{ id: string }];
    const assigned = await admin.post('/role-assignments', {
      personId: manual.id,
      roleId,
      reason: 'covering',
    });
    expect(assigned.status).toBe(201);
    const rules = await admin.get<{ items: Json[] }>(`/role-rules?roleId=${roleId}`);
    const ruleId = String(rules.body.items[0]!.id);

    const renamed = await admin.patch<Json>(`/role-rules/${ruleId}`, { name: 'Engineering staff' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.evaluation).toBeUndefined();

    const changed = await admin.patch<Json & { evaluation: { workflowId: string } }>(
      `/role-rules/${ruleId}`,
      {
        condition: { attribute: 'jobTitle', op: 'eq', value: 'Sales' },
      },
    );
    expect(changed.status).toBe(200);
    expect((await settled(changed.body.evaluation.workflowId)).status).toBe('succeeded');
    expect(await ruleHolders()).toBe(await peopleWithTitle('Sales'));
    const [{ n: engineersHolding }] = (await ds.query(
      `SELECT count(*)::int AS n FROM role_assignments ra JOIN people p ON p.id = ra.person_id
        WHERE ra.role_id = $1 AND p.job_title = 'Engineer'`,
      [roleId],
    )) as [{ n: number }];
    expect(engineersHolding).toBe(0);

    const removed = await admin.delete(`/role-rules/${ruleId}`);
    expect(removed.status).toBe(204);
    const workflowId = removed.headers.get('junction-rule-evaluation');
    expect(workflowId).toEqual(expect.any(String));
    expect((await settled(workflowId!)).status).toBe('succeeded');
    expect(await ruleHolders()).toBe(0);
    const [{ n: manualLeft }] = (await ds.query(
      `SELECT count(*)::int AS n FROM role_assignments WHERE person_id = $1 AND source = 'manual'`,
      [manual.id],
    )) as [{ n: number }];
    expect(manualLeft).toBe(1);
  });

  it('an edit while an evaluation runs restarts it from the first person (one workflow per tenant), across continue-as-new', async () => {
    // A bigger subsidiary: 10,300 people are 6 activities, each its own workflow execution below.
    await ds.query(
      `INSERT INTO people (tenant_id, version, employee_number, display_name, job_title, status)
       SELECT $1, 1, 'X' || i, 'Extra ' || i, 'Engineer', 'active' FROM generate_series(1, 8000) i`,
      [family.subB.id],
    );
    const role = await admin.post('/roles', { tenantId: family.subB.id, key: 'eng', name: 'Engineering' });
    const rule = await admin.post<Json & { evaluation: { workflowId: string } }>('/role-rules', {
      roleId: role.body.id,
      name: 'Engineers',
      condition: { attribute: 'jobTitle', op: 'eq', value: 'Engineer' },
      enabled: false,
    });
    expect(rule.status).toBe(201);
    await settled(rule.body.evaluation.workflowId);

    const [{ now: requestedAt }] = (await ds.query(`SELECT now()`)) as [{ now: Date }];
    const first = await requestRuleEvaluation(
      ctx.temporal.client,
      ctx.temporal.taskQueue,
      family.subB.id,
      { requestedBy: 'test' },
      { pagesPerExecution: 1 },
    );
    // Wait until the first activity has recorded its page, so the edit lands mid-pass.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [run] = (await ds.query(
        `SELECT status, counts FROM sync_runs WHERE workflow_id = $1 AND started_at >= $2`,
        [first.workflowId, requestedAt],
      )) as { status: string; counts: { read?: number } }[];
      if ((run?.counts.read ?? 0) > 0) {
        expect(run!.status).toBe('running');
        break;
      }
      if (Date.now() > deadline) throw new Error('the evaluation never recorded a page');
      await new Promise((r) => setTimeout(r, 20));
    }
    const enabled = await admin.patch<Json & { evaluation: { workflowId: string; runId: string } }>(
      `/role-rules/${String(rule.body.id)}`,
      { enabled: true },
    );
    expect(enabled.body.evaluation.workflowId).toBe(first.workflowId);
    const outcome = await settled(first.workflowId);
    expect(outcome).toMatchObject({ status: 'succeeded', passes: 2 });
    expect(outcome.totals.read).toBeGreaterThan(PEOPLE + 8000);
    const [{ n: engineers }] = (await ds.query(
      `SELECT count(*)::int AS n FROM people WHERE tenant_id = $1 AND job_title = 'Engineer'`,
      [family.subB.id],
    )) as [{ n: number }];
    const [{ n: holders }] = (await ds.query(
      `SELECT count(*)::int AS n FROM role_assignments WHERE role_id = $1 AND source = 'rule'`,
      [role.body.id],
    )) as [{ n: number }];
    expect(holders).toBe(engineers);
    // The rule's creation had a run of its own; then one for the whole chain: the edit signalled the running
    // evaluation (no second run), which continued as new page by page under the same record.
    const runs = (await ds.query(`SELECT count(*)::int AS n FROM sync_runs WHERE workflow_id = $1`, [
      first.workflowId,
    ])) as [{ n: number }];
    expect(runs[0].n).toBe(2);
    const description = await ctx.temporal.client.workflow.getHandle(first.workflowId).describe();
    expect(description.runId).not.toBe(first.runId);
  });
});
