import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Person } from '../../core/entities/index.js';
import { loadAccessContext, loadPersonViews } from '../access/access-context.js';
import { matchRules } from '../access/role-rules.js';
import type { PersonColumns } from './source-records.js';

/** A person as a dry run would leave them: the directory's row (if any) with the source's record on top. */
export interface PlannedPerson {
  /** Correlates the answer with the caller's event. */
  key: string;
  existingId: string | null;
  columns: Partial<PersonColumns>;
  /** The directory department the source's department resolves to (undefined: leave the current one). */
  departmentId?: string | null;
}

/**
 * Dry runs of a source: the rule-given roles each changed person would gain or lose, with the tenant's rules as
 * they stand, without writing role_assignments. Keys of `{ from, to }` (sorted role keys) only where they differ.
 * Departments the same run would create are not in the directory yet, so a rule on them does not match here.
 */
export async function plannedRoleChanges(
  ds: DataSource,
  tenantId: string,
  planned: PlannedPerson[],
): Promise<Map<string, { from: string[]; to: string[] }>> {
  const out = new Map<string, { from: string[]; to: string[] }>();
  if (planned.length === 0) return out;
  const ctx = await loadAccessContext(ds, tenantId);
  if (ctx.rules.length === 0 && planned.every((p) => !p.existingId)) return out;
  const existingIds = planned.flatMap((p) => (p.existingId ? [p.existingId] : []));
  const rows =
    existingIds.length > 0
      ? await ds
          .getRepository(Person)
          .createQueryBuilder('p')
          .where('p.id IN (:...ids)', { ids: existingIds })
          .getMany()
      : [];
  const byId = new Map(rows.map((p) => [p.id, p]));
  const current = new Map<string, string[]>();
  if (existingIds.length > 0) {
    const held = (await ds.query(
      `SELECT person_id, role_id FROM role_assignments WHERE source = 'rule' AND person_id = ANY($1)`,
      [existingIds],
    )) as { person_id: string; role_id: string }[];
    for (const h of held) current.set(h.person_id, [...(current.get(h.person_id) ?? []), h.role_id]);
  }

  const hypothetical: Person[] = [];
  const keyOf = new Map<string, string>();
  for (const p of planned) {
    const base = p.existingId ? byId.get(p.existingId) : undefined;
    const person = Object.assign(new Person(), base ?? { id: randomUUID(), tenantId, attributes: {} });
    const { departmentExternalId: _dept, managerExternalId: _manager, ...columns } = p.columns;
    Object.assign(person, columns);
    if (p.departmentId !== undefined) person.departmentId = p.departmentId;
    hypothetical.push(person);
    keyOf.set(person.id, p.key);
  }
  const keys = (ids: Iterable<string>): string[] =>
    [...new Set([...ids].map((id) => ctx.roleKeys.get(id) ?? id))].sort();
  for (const view of await loadPersonViews(ds, ctx, hypothetical)) {
    const from = keys(current.get(view.id) ?? []);
    const to = keys(matchRules(ctx, view).keys());
    if (from.join('\n') !== to.join('\n')) out.set(keyOf.get(view.id) ?? view.id, { from, to });
  }
  return out;
}
