import type { DataSource, EntityManager } from 'typeorm';
import type { Person } from '../../core/entities/index.js';
import type { ConditionContext } from './evaluate-condition.js';
import type { DepartmentNode, PersonView, TenantNode } from './person-view.js';
import { parseCondition, type RuleCondition } from './rule-condition.js';

export interface LoadedRule {
  id: string;
  tenantId: string;
  roleId: string;
  includeSubsidiaries: boolean;
  condition: RuleCondition | null;
  /** Set when the stored condition does not parse: the rule then matches nobody (and the admin API says why). */
  invalid: string | null;
}

/**
 * Everything rule evaluation needs about a tenant family, loaded once per page activity: the tenant tree, the
 * department tree and the enabled rules. Sized by departments and rules, never by people.
 */
export interface AccessContext extends ConditionContext {
  rules: LoadedRule[];
  roleKeys: ReadonlyMap<string, string>;
}

type Db = DataSource | EntityManager;

export async function loadAccessContext(db: Db, tenantId: string): Promise<AccessContext> {
  const tenantRows = (await db.query(`SELECT id, parent_id, slug, name FROM tenants`)) as {
    id: string;
    parent_id: string | null;
    slug: string;
    name: string;
  }[];
  const tenants = new Map<string, TenantNode>(
    tenantRows.map((t) => [t.id, { id: t.id, parentId: t.parent_id, slug: t.slug, name: t.name }]),
  );
  const family = tenantFamily(tenants, tenantId);
  const departmentRows = (await db.query(
    `SELECT id, parent_id, external_id, name, code, cost_center FROM departments WHERE tenant_id = ANY($1)`,
    [family],
  )) as {
    id: string;
    parent_id: string | null;
    external_id: string | null;
    name: string;
    code: string | null;
    cost_center: string | null;
  }[];
  const departments = new Map<string, DepartmentNode>(
    departmentRows.map((d) => [
      d.id,
      {
        id: d.id,
        parentId: d.parent_id,
        externalId: d.external_id,
        name: d.name,
        code: d.code,
        costCenter: d.cost_center,
      },
    ]),
  );
  const ruleRows = (await db.query(
    `SELECT id, tenant_id, role_id, include_subsidiaries, condition FROM role_rules WHERE enabled AND tenant_id = ANY($1)`,
    [family],
  )) as {
    id: string;
    tenant_id: string;
    role_id: string;
    include_subsidiaries: boolean;
    condition: unknown;
  }[];
  const rules = ruleRows.map((r): LoadedRule => {
    try {
      return {
        id: r.id,
        tenantId: r.tenant_id,
        roleId: r.role_id,
        includeSubsidiaries: r.include_subsidiaries,
        condition: parseCondition(r.condition),
        invalid: null,
      };
    } catch (error) {
      return {
        id: r.id,
        tenantId: r.tenant_id,
        roleId: r.role_id,
        includeSubsidiaries: r.include_subsidiaries,
        condition: null,
        invalid: String(error),
      };
    }
  });
  const roleRows = (await db.query(`SELECT id, key FROM roles WHERE tenant_id = ANY($1)`, [family])) as {
    id: string;
    key: string;
  }[];
  return { tenants, departments, rules, roleKeys: new Map(roleRows.map((r) => [r.id, r.key])) };
}

/** The tenant, its ancestors (whose rules may reach down) and its descendants (people a group connection covers). */
export function tenantFamily(tenants: ReadonlyMap<string, TenantNode>, tenantId: string): string[] {
  const family = new Set<string>();
  let current: string | null = tenantId;
  while (current && !family.has(current)) {
    family.add(current);
    current = tenants.get(current)?.parentId ?? null;
  }
  for (const id of tenantSubtree(tenants, tenantId)) family.add(id);
  return [...family];
}

export function tenantSubtree(tenants: ReadonlyMap<string, TenantNode>, tenantId: string): string[] {
  const out = [tenantId];
  for (let i = 0; i < out.length; i += 1) {
    for (const t of tenants.values()) if (t.parentId === out[i] && !out.includes(t.id)) out.push(t.id);
  }
  return out;
}

/** Builds the views of a page of people: departments from the context, managers, groups and roles in 3 queries. */
export async function loadPersonViews(db: Db, ctx: AccessContext, people: Person[]): Promise<PersonView[]> {
  if (people.length === 0) return [];
  const ids = people.map((p) => p.id);
  const managerIds = [...new Set(people.map((p) => p.managerId).filter((id): id is string => !!id))];
  const managers = new Map<
    string,
    { id: string; email: string | null; employee_number: string | null; display_name: string }
  >();
  if (managerIds.length > 0) {
    const rows = (await db.query(
      `SELECT id, email, employee_number, display_name FROM people WHERE id = ANY($1)`,
      [managerIds],
    )) as { id: string; email: string | null; employee_number: string | null; display_name: string }[];
    for (const row of rows) managers.set(row.id, row);
  }
  const groupRows = (await db.query(
    `SELECT gm.person_id, g.id, g.display_name FROM group_memberships gm JOIN groups g ON g.id = gm.group_id
      WHERE gm.person_id = ANY($1)`,
    [ids],
  )) as { person_id: string; id: string; display_name: string }[];
  const groups = groupBy(groupRows, (r) => r.person_id);
  const roles = await loadRoleKeys(db, ids);
  return people.map((p) => {
    const dept = p.departmentId ? ctx.departments.get(p.departmentId) : undefined;
    const manager = p.managerId ? managers.get(p.managerId) : undefined;
    const tenant = ctx.tenants.get(p.tenantId);
    const personGroups = groups.get(p.id) ?? [];
    return {
      id: p.id,
      tenantId: p.tenantId,
      tenant: { id: p.tenantId, slug: tenant?.slug ?? '', name: tenant?.name ?? '' },
      externalId: p.externalId,
      employeeNumber: p.employeeNumber,
      givenName: p.givenName,
      familyName: p.familyName,
      displayName: p.displayName,
      email: p.email,
      phone: p.phone,
      departmentId: p.departmentId,
      department: dept
        ? {
            id: dept.id,
            externalId: dept.externalId,
            name: dept.name,
            code: dept.code,
            costCenter: dept.costCenter,
            path: departmentPath(ctx, dept.id),
          }
        : null,
      manager: manager
        ? {
            id: manager.id,
            email: manager.email,
            employeeNumber: manager.employee_number,
            displayName: manager.display_name,
          }
        : null,
      jobTitle: p.jobTitle,
      rank: p.rank,
      grade: p.grade,
      costCenter: p.costCenter,
      division: p.division,
      location: p.location,
      status: p.status,
      hireDate: p.hireDate,
      terminationDate: p.terminationDate,
      attributes: p.attributes,
      groups: personGroups.map((g) => g.display_name),
      groupIds: personGroups.map((g) => g.id),
      roles: roles.get(p.id) ?? [],
    };
  });
}

/** Role keys each person holds now (rule or manual, unexpired). */
export async function loadRoleKeys(db: Db, personIds: string[]): Promise<Map<string, string[]>> {
  const rows = (await db.query(
    `SELECT DISTINCT ra.person_id, r.key FROM role_assignments ra JOIN roles r ON r.id = ra.role_id
      WHERE ra.person_id = ANY($1) AND (ra.expires_at IS NULL OR ra.expires_at > now()) ORDER BY r.key`,
    [personIds],
  )) as { person_id: string; key: string }[];
  const out = new Map<string, string[]>();
  for (const row of rows) out.set(row.person_id, [...(out.get(row.person_id) ?? []), row.key]);
  return out;
}

function departmentPath(ctx: AccessContext, id: string): string[] {
  const names: string[] = [];
  let current: string | null = id;
  while (current && names.length < 64) {
    const node = ctx.departments.get(current);
    if (!node) break;
    names.unshift(node.name);
    current = node.parentId;
  }
  return names;
}

export function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}
