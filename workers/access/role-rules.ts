import type { DataSource, EntityManager } from 'typeorm';
import { Person } from '../../core/entities/index.js';
import { tenantAncestors, type PersonView } from './person-view.js';
import { loadPersonViews, type AccessContext } from './access-context.js';
import { evaluateCondition } from './evaluate-condition.js';

type Db = DataSource | EntityManager;

/** The rule-given roles a person should hold: role id → the first matching rule's id. */
export function matchRules(ctx: AccessContext, person: PersonView): Map<string, string> {
  const ancestors = tenantAncestors(ctx.tenants, person.tenantId);
  const roles = new Map<string, string>();
  for (const rule of ctx.rules) {
    if (!rule.condition || roles.has(rule.roleId)) continue;
    const applies =
      rule.tenantId === person.tenantId || (rule.includeSubsidiaries && ancestors.includes(rule.tenantId));
    if (applies && evaluateCondition(rule.condition, person, ctx)) roles.set(rule.roleId, rule.id);
  }
  return roles;
}

/**
 * Makes the rule-sourced role assignments of a page of people exactly what the rules say (manual assignments are
 * never touched), in two statements. Returns the ids of people whose roles changed, and refreshes `view.roles`.
 */
export async function applyRoleRules(
  db: Db,
  ctx: AccessContext,
  views: PersonView[],
): Promise<{ changedPersonIds: string[]; added: number; removed: number }> {
  if (views.length === 0) return { changedPersonIds: [], added: 0, removed: 0 };
  const ids = views.map((v) => v.id);
  const existing = (await db.query(
    `SELECT id, person_id, role_id FROM role_assignments WHERE source = 'rule' AND person_id = ANY($1)`,
    [ids],
  )) as { id: string; person_id: string; role_id: string }[];
  const have = new Set(existing.map((r) => `${r.person_id}:${r.role_id}`));
  const want = new Map<string, { personId: string; tenantId: string; roleId: string; ruleId: string }>();
  for (const view of views) {
    for (const [roleId, ruleId] of matchRules(ctx, view)) {
      want.set(`${view.id}:${roleId}`, { personId: view.id, tenantId: view.tenantId, roleId, ruleId });
    }
  }
  const toRemove = existing.filter((r) => !want.has(`${r.person_id}:${r.role_id}`));
  const toAdd = [...want.entries()].filter(([key]) => !have.has(key)).map(([, v]) => v);
  if (toRemove.length > 0) {
    await db.query(`DELETE FROM role_assignments WHERE id = ANY($1)`, [toRemove.map((r) => r.id)]);
  }
  if (toAdd.length > 0) {
    await db.query(
      `INSERT INTO role_assignments (tenant_id, role_id, person_id, source, rule_id, version)
       SELECT * , 1 FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::varchar[], $5::uuid[])
       ON CONFLICT (person_id, role_id, source) DO NOTHING`,
      [
        toAdd.map((a) => a.tenantId),
        toAdd.map((a) => a.roleId),
        toAdd.map((a) => a.personId),
        toAdd.map(() => 'rule'),
        toAdd.map((a) => a.ruleId),
      ],
    );
  }
  const changed = new Set([...toRemove.map((r) => r.person_id), ...toAdd.map((a) => a.personId)]);
  if (changed.size > 0) {
    const rows = (await db.query(
      `SELECT DISTINCT ra.person_id, r.key FROM role_assignments ra JOIN roles r ON r.id = ra.role_id
        WHERE ra.person_id = ANY($1) AND (ra.expires_at IS NULL OR ra.expires_at > now()) ORDER BY r.key`,
      [[...changed]],
    )) as { person_id: string; key: string }[];
    const keys = new Map<string, string[]>();
    for (const row of rows) keys.set(row.person_id, [...(keys.get(row.person_id) ?? []), row.key]);
    for (const view of views) if (changed.has(view.id)) view.roles = keys.get(view.id) ?? [];
  }
  return { changedPersonIds: [...changed], added: toAdd.length, removed: toRemove.length };
}

/** People re-evaluated per page when a rule change is re-applied (one transaction, a handful of statements). */
export const REAPPLY_PAGE = 500;

export interface ReapplyPageResult {
  /** People read on this page. */
  read: number;
  /** People whose rule-given roles changed (touched, so incremental provisioning picks them up). */
  changed: number;
  added: number;
  removed: number;
  /** The last person id of a full page (the keyset cursor for the next one), null after the last page. */
  next: string | null;
}

/**
 * Re-evaluates the rules for one keyset page (by id) of the people in `reach` (a tenant and its subsidiaries) and
 * touches `updated_at` of those whose roles changed. The caller gives the transaction: the page's assignments and
 * touches land together.
 */
export async function reapplyRulesPage(
  db: Db,
  ctx: AccessContext,
  reach: string[],
  after: string | null,
  limit = REAPPLY_PAGE,
): Promise<ReapplyPageResult> {
  const qb = db
    .getRepository(Person)
    .createQueryBuilder('p')
    .where('p.tenantId IN (:...reach)', { reach })
    .orderBy('p.id', 'ASC')
    .limit(limit);
  if (after) qb.andWhere('p.id > :after', { after });
  const people = await qb.getMany();
  if (people.length === 0) return { read: 0, changed: 0, added: 0, removed: 0, next: null };
  const views = await loadPersonViews(db, ctx, people);
  const { changedPersonIds, added, removed } = await applyRoleRules(db, ctx, views);
  if (changedPersonIds.length > 0) {
    await db.query('UPDATE people SET updated_at = now() WHERE id = ANY($1)', [changedPersonIds]);
  }
  return {
    read: people.length,
    changed: changedPersonIds.length,
    added,
    removed,
    next: people.length < limit ? null : (people.at(-1)?.id ?? null),
  };
}
