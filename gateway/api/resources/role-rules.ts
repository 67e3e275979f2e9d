import { z } from 'zod';
import { Person, Role, RoleRule } from '../../../core/entities/index.js';
import { loadAccessContext, loadPersonViews, tenantSubtree } from '../../../workers/access/access-context.js';
import { requestRuleEvaluation } from '../../../workers/role-rules-client.js';
import { evaluateCondition } from '../../../workers/access/evaluate-condition.js';
import { ruleConditionSchema, type RuleCondition } from '../../../workers/access/rule-condition.js';
import { resourceRoutes } from '../http/crud.js';
import { findVisible } from '../http/crud.js';
import { presentRecord, recordFields } from '../http/record-fields.js';
import { defineRoute, type ApiRoute, type RouteContext } from '../http/route.js';
import { IdParams, Name } from '../http/schemas.js';
import type { DataSource } from 'typeorm';
import { loadReference } from './references.js';

const RuleEvaluationOut = z
  .object({
    workflowId: z.string().describe('One per tenant: edits made while it runs restart it rather than queue'),
    runId: z
      .string()
      .describe('The Temporal run; its record is the sync run (kind role_rules) of this workflow id'),
    status: z.literal('running'),
  })
  .meta({ id: 'RoleRuleEvaluation' });

export const RoleRuleOut = z
  .object({
    ...recordFields,
    tenantId: z.uuid(),
    roleId: z.uuid(),
    name: z.string(),
    condition: z.record(z.string(), z.unknown()),
    includeSubsidiaries: z.boolean(),
    enabled: z.boolean(),
    valid: z
      .boolean()
      .describe('False when the stored condition no longer parses (the rule then matches nobody)'),
    evaluation: RuleEvaluationOut.nullable()
      .optional()
      .describe(
        'On create, and on an update of condition / includeSubsidiaries / enabled: the background ' +
          're-evaluation of the tenant’s people this change started (null when it could not be started; a ' +
          'target’s next provisioning run then re-applies the rules for the people it provisions)',
      ),
  })
  .meta({ id: 'RoleRule' });

const RuleCondition = ruleConditionSchema.describe(
  'A tree of all / any / not over tests: { attribute, op, value }, { department }, { subsidiary }, { memberOf }, { always: true }',
);

/**
 * Role rules: conditions over person attributes that give a role. The rule engine is the sync engine's. A change
 * commits at once; re-evaluating the tenant's people (100,000 take seconds) runs as a workflow afterwards.
 */
export const roleRuleRoutes = [
  ...evaluateAfterChanges(
    resourceRoutes({
      plural: 'role-rules',
      singular: 'role rule',
      title: 'Role rule',
      tag: 'Access model',
      entity: RoleRule,
      output: RoleRuleOut,
      auditType: 'role_rule',
      tenantOf: (r) => r.tenantId,
      tenantColumn: 'x.tenantId',
      present: (r) => ({
        ...presentRecord(r),
        tenantId: r.tenantId,
        roleId: r.roleId,
        name: r.name,
        condition: r.condition,
        includeSubsidiaries: r.includeSubsidiaries,
        enabled: r.enabled,
        valid: ruleConditionSchema.safeParse(r.condition).success,
      }),
      list: {
        sorts: {
          name: { property: 'name', cast: 'text' },
          createdAt: { property: 'createdAt', cast: 'timestamptz' },
        },
        defaultSort: 'name',
        filters: {
          tenantId: z.uuid().optional(),
          roleId: z.uuid().optional(),
          enabled: z.enum(['true', 'false']).optional(),
        },
        applyFilters: (qb, query) => {
          if (query.tenantId) qb.andWhere('x.tenantId = :tenantId', { tenantId: query.tenantId });
          if (query.roleId) qb.andWhere('x.roleId = :roleId', { roleId: query.roleId });
          if (query.enabled) qb.andWhere('x.enabled = :enabled', { enabled: query.enabled === 'true' });
        },
      },
      create: {
        permission: 'access.write',
        body: z.strictObject({
          roleId: z.uuid(),
          name: Name,
          condition: RuleCondition,
          includeSubsidiaries: z.boolean().default(true),
          enabled: z.boolean().default(true),
        }),
        build: async (body, ctx) => {
          const role = await loadReference(ctx.manager, Role, body.roleId, ctx.principal, 'roleId', 'Role');
          ctx.principal.assertCan('access.write', role.tenantId, 'Role');
          return {
            tenantId: role.tenantId,
            roleId: role.id,
            name: body.name,
            condition: body.condition as unknown as Record<string, unknown>,
            includeSubsidiaries: body.includeSubsidiaries,
            enabled: body.enabled,
          };
        },
      },
      update: {
        permission: 'access.write',
        body: z.strictObject({
          name: Name.optional(),
          condition: RuleCondition.optional(),
          includeSubsidiaries: z.boolean().optional(),
          enabled: z.boolean().optional(),
        }),
        apply: (rule, body) => {
          if (body.name !== undefined) rule.name = body.name;
          if (body.condition !== undefined)
            rule.condition = body.condition as unknown as Record<string, unknown>;
          if (body.includeSubsidiaries !== undefined) rule.includeSubsidiaries = body.includeSubsidiaries;
          if (body.enabled !== undefined) rule.enabled = body.enabled;
        },
      },
      remove: { permission: 'access.write' },
    }),
  ),
  defineRoute({
    method: 'post',
    path: '/role-rules/preview',
    operationId: 'previewRoleRule',
    summary: 'Who would this rule match? (a draft condition, before saving it)',
    tag: 'Access model',
    permission: 'read',
    body: z.strictObject({
      tenantId: z.uuid().describe('The tenant the rule would belong to'),
      condition: RuleCondition,
      includeSubsidiaries: z.boolean().default(true),
      sample: z.number().int().min(0).max(200).default(25),
    }),
    responses: { 200: { description: 'Match count and a sample', schema: rulePreviewOut() } },
    handle: async (ctx) => {
      ctx.principal.assertVisible(ctx.body.tenantId, 'Tenant');
      return {
        status: 200,
        body: await matchPeople(ctx.deps.dataSource, (id) => ctx.principal.can('read', id), {
          tenantId: ctx.body.tenantId,
          condition: ctx.body.condition,
          includeSubsidiaries: ctx.body.includeSubsidiaries,
          sample: ctx.body.sample,
        }),
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/role-rules/{id}/matches',
    operationId: 'listRoleRuleMatches',
    summary: 'Who a saved rule matches now',
    tag: 'Access model',
    permission: 'read',
    params: IdParams,
    query: z.object({ sample: z.coerce.number().int().min(0).max(200).default(25) }),
    responses: { 200: { description: 'Match count and a sample', schema: rulePreviewOut() } },
    handle: async (ctx) => {
      const rule = await findVisible(
        ctx.deps.dataSource.manager,
        { entity: RoleRule, tenantOf: (r: RoleRule) => r.tenantId, title: 'Role rule' },
        ctx.params.id,
        ctx.principal,
      );
      const parsed = ruleConditionSchema.safeParse(rule.condition);
      if (!parsed.success) return { status: 200, body: { scanned: 0, matched: 0, sample: [] } };
      return {
        status: 200,
        body: await matchPeople(ctx.deps.dataSource, (id) => ctx.principal.can('read', id), {
          tenantId: rule.tenantId,
          condition: parsed.data,
          includeSubsidiaries: rule.includeSubsidiaries,
          sample: ctx.query.sample,
        }),
      };
    },
  }),
];

function rulePreviewOut() {
  return z
    .object({
      scanned: z.number().int(),
      matched: z.number().int(),
      sample: z.array(
        z.object({
          personId: z.uuid(),
          tenantId: z.uuid(),
          displayName: z.string(),
          email: z.string().nullable(),
          department: z.string().nullable(),
          status: z.string(),
        }),
      ),
    })
    .meta({ id: 'RoleRulePreview' });
}

const PAGE = 500;

/**
 * Evaluates a condition over every person the rule could reach (its tenant, and the subtree when it includes
 * subsidiaries) that the caller may see, a page at a time, with the sync engine's own evaluator.
 */
export async function matchPeople(
  ds: DataSource,
  canRead: (tenantId: string) => boolean,
  input: { tenantId: string; condition: RuleCondition; includeSubsidiaries: boolean; sample: number },
) {
  const ctx = await loadAccessContext(ds, input.tenantId);
  const reach = input.includeSubsidiaries ? tenantSubtree(ctx.tenants, input.tenantId) : [input.tenantId];
  const tenants = reach.filter(canRead);
  let scanned = 0;
  let matched = 0;
  const sample: {
    personId: string;
    tenantId: string;
    displayName: string;
    email: string | null;
    department: string | null;
    status: string;
  }[] = [];
  if (tenants.length === 0) return { scanned, matched, sample };
  let after: string | null = null;
  for (;;) {
    const qb = ds
      .getRepository(Person)
      .createQueryBuilder('p')
      .where('p.tenantId IN (:...tenants)', { tenants })
      .orderBy('p.id', 'ASC')
      .limit(PAGE);
    if (after) qb.andWhere('p.id > :after', { after });
    const people = await qb.getMany();
    if (people.length === 0) break;
    const views = await loadPersonViews(ds, ctx, people);
    for (const view of views) {
      scanned += 1;
      if (!evaluateCondition(input.condition, view, ctx)) continue;
      matched += 1;
      if (sample.length < input.sample) {
        sample.push({
          personId: view.id,
          tenantId: view.tenantId,
          displayName: view.displayName,
          email: view.email,
          department: view.department?.name ?? null,
          status: view.status,
        });
      }
    }
    if (people.length < PAGE) break;
    after = people.at(-1)?.id ?? null;
  }
  return { scanned, matched, sample };
}

/** Fields of an update that change who holds the role (a rename changes nobody's roles). */
const EVALUATED_FIELDS = ['condition', 'includeSubsidiaries', 'enabled'];

/**
 * Wraps the generated create / update / delete handlers: once their transaction has committed (so the workflow reads
 * the change), the tenant's people are re-evaluated in the background by `reevaluateRoleRulesWorkflow`. The response
 * names the evaluation (a header on delete, which has no body). Not starting it (Temporal unreachable) does not undo
 * the saved change: it is logged, the response says `evaluation: null`, and a target's next provisioning run
 * re-applies the rules for the people it provisions.
 */
function evaluateAfterChanges(routes: ApiRoute[]): ApiRoute[] {
  return routes.map((route) => {
    if (!['createRoleRule', 'updateRoleRule', 'deleteRoleRule'].includes(route.operationId)) return route;
    return {
      ...route,
      description:
        'Commits at once; the tenant’s people are re-evaluated afterwards by a workflow, one per tenant (a sync run ' +
        'of kind role_rules). Its workflow id is in `evaluation`, or in the Junction-Rule-Evaluation header of a delete.',
      handle: async (ctx) => {
        let tenantId: string | null = null;
        if (route.method === 'delete') {
          // A rule's tenant never changes; read it before the row is gone (the handler checks visibility).
          const [row] = (await ctx.deps.dataSource.query(`SELECT tenant_id FROM role_rules WHERE id = $1`, [
            (ctx.params as { id: string }).id,
          ])) as { tenant_id: string }[];
          tenantId = row?.tenant_id ?? null;
        }
        const result = await route.handle(ctx);
        if (result.status >= 300) return result;
        const body = result.body as { tenantId?: string } | undefined;
        tenantId = body?.tenantId ?? tenantId;
        const changesRoles =
          route.method !== 'patch' ||
          EVALUATED_FIELDS.some((f) => f in (ctx.body as Record<string, unknown>));
        if (!tenantId || !changesRoles) return result;
        const evaluation = await startEvaluation(ctx, tenantId);
        if (route.method === 'delete') {
          return evaluation
            ? { ...result, headers: { ...result.headers, 'Junction-Rule-Evaluation': evaluation.workflowId } }
            : result;
        }
        return { ...result, body: { ...(result.body as object), evaluation } };
      },
    };
  });
}

async function startEvaluation(
  ctx: RouteContext<unknown, unknown, unknown>,
  tenantId: string,
): Promise<{ workflowId: string; runId: string; status: 'running' } | null> {
  try {
    const started = await requestRuleEvaluation(
      ctx.deps.temporal.client,
      ctx.deps.temporal.taskQueue,
      tenantId,
      {
        requestedBy: ctx.principal.actor.label.slice(0, 200),
      },
    );
    return { ...started, status: 'running' };
  } catch (error) {
    ctx.deps.log.warn(
      { err: error, tenantId },
      'role rule saved, but its re-evaluation could not be started (Temporal unavailable)',
    );
    return null;
  }
}
