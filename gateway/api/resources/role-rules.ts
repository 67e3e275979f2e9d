import { z } from 'zod';
import { Person, Role, RoleRule } from '../../../core/entities/index.js';
import { loadAccessContext, loadPersonViews, tenantSubtree } from '../../../workers/access/access-context.js';
import { applyRoleRules } from '../../../workers/access/role-rules.js';
import { evaluateCondition } from '../../../workers/access/evaluate-condition.js';
import { ruleConditionSchema, type RuleCondition } from '../../../workers/access/rule-condition.js';
import { resourceRoutes } from '../http/crud.js';
import { findVisible } from '../http/crud.js';
import { presentRecord, recordFields } from '../http/record-fields.js';
import { defineRoute } from '../http/route.js';
import { IdParams, Name } from '../http/schemas.js';
import type { Principal } from '../auth/principal.js';
import type { DataSource, EntityManager } from 'typeorm';
import { loadReference } from './references.js';

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
  })
  .meta({ id: 'RoleRule' });

const RuleCondition = ruleConditionSchema.describe(
  'A tree of all / any / not over tests: { attribute, op, value }, { department }, { subsidiary }, { memberOf }, { always: true }',
);

/** Role rules: conditions over person attributes that give a role. The rule engine is the sync engine's. */
export const roleRuleRoutes = [
  ...resourceRoutes({
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
      afterInsert: (rule, _body, ctx) => reapplyRules(ctx.manager, rule.tenantId),
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
      afterSave: (rule, _before, ctx) => reapplyRules(ctx.manager, rule.tenantId),
    },
    remove: {
      permission: 'access.write',
      afterDelete: (rule, ctx) => reapplyRules(ctx.manager, rule.tenantId),
    },
  }),
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
        body: await matchPeople(ctx.deps.dataSource, ctx.principal, {
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
        body: await matchPeople(ctx.deps.dataSource, ctx.principal, {
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
async function matchPeople(
  ds: DataSource,
  principal: Principal,
  input: { tenantId: string; condition: RuleCondition; includeSubsidiaries: boolean; sample: number },
) {
  const ctx = await loadAccessContext(ds, input.tenantId);
  const reach = input.includeSubsidiaries ? tenantSubtree(ctx.tenants, input.tenantId) : [input.tenantId];
  const tenants = reach.filter((id) => principal.can('read', id));
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

/**
 * A rule change takes effect on role assignments at once, in the same transaction, through the sync engine's own
 * `applyRoleRules` over every person the rule can reach (a page at a time): the "why" views, mapping previews and
 * dry runs are then right straight away, and the next provisioning run writes the accounts. People whose roles
 * changed are touched so an incremental run picks them up.
 */
async function reapplyRules(manager: EntityManager, tenantId: string): Promise<void> {
  const ctx = await loadAccessContext(manager, tenantId);
  const reach = tenantSubtree(ctx.tenants, tenantId);
  let after: string | null = null;
  for (;;) {
    const qb = manager
      .getRepository(Person)
      .createQueryBuilder('p')
      .where('p.tenantId IN (:...reach)', { reach })
      .orderBy('p.id', 'ASC')
      .limit(PAGE);
    if (after) qb.andWhere('p.id > :after', { after });
    const people = await qb.getMany();
    if (people.length === 0) return;
    const views = await loadPersonViews(manager, ctx, people);
    const { changedPersonIds } = await applyRoleRules(manager, ctx, views);
    if (changedPersonIds.length > 0) {
      await manager.query('UPDATE people SET updated_at = now() WHERE id = ANY($1)', [changedPersonIds]);
    }
    if (people.length < PAGE) return;
    after = people.at(-1)?.id ?? null;
  }
}
