/**
 * What role rules, scope filters and attribute mappings see of a person: the directory record with its
 * department (and the path to it), manager, tenant, groups and roles resolved. Plain data, so the same view feeds
 * the rule engine, the jsonata sandbox and the admin API's preview.
 */
export interface PersonView {
  id: string;
  tenantId: string;
  tenant: { id: string; slug: string; name: string };
  externalId: string | null;
  employeeNumber: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string;
  email: string | null;
  phone: string | null;
  departmentId: string | null;
  department: {
    id: string;
    externalId: string | null;
    name: string;
    code: string | null;
    costCenter: string | null;
    /** Names from the root down to this department. */
    path: string[];
  } | null;
  manager: { id: string; email: string | null; employeeNumber: string | null; displayName: string } | null;
  jobTitle: string | null;
  rank: string | null;
  grade: string | null;
  costCenter: string | null;
  division: string | null;
  location: string | null;
  status: string;
  hireDate: string | null;
  terminationDate: string | null;
  attributes: Record<string, unknown>;
  /** Display names and ids of the directory groups the person belongs to. */
  groups: string[];
  groupIds: string[];
  /** Keys of the roles the person holds (after rules and manual assignments). */
  roles: string[];
}

/** The department tree of a tenant family, loaded once per page activity (thousands of rows at most). */
export interface DepartmentNode {
  id: string;
  parentId: string | null;
  externalId: string | null;
  name: string;
  code: string | null;
  costCenter: string | null;
}

export interface TenantNode {
  id: string;
  parentId: string | null;
  slug: string;
  name: string;
}

const MAX_DEPTH = 64;

/** Ids from the department up to the root (the department first); stops on cycles and absurd depths. */
export function departmentAncestors(
  departments: ReadonlyMap<string, DepartmentNode>,
  id: string | null,
): string[] {
  const chain: string[] = [];
  let current = id;
  while (current && chain.length < MAX_DEPTH && !chain.includes(current)) {
    chain.push(current);
    current = departments.get(current)?.parentId ?? null;
  }
  return chain;
}

export function tenantAncestors(tenants: ReadonlyMap<string, TenantNode>, id: string): string[] {
  const chain: string[] = [];
  let current: string | null = id;
  while (current && chain.length < MAX_DEPTH && !chain.includes(current)) {
    chain.push(current);
    current = tenants.get(current)?.parentId ?? null;
  }
  return chain;
}
