import type { DataSource } from 'typeorm';
import type { PersonStatus } from '../../core/entities/person.js';
import { one, rows } from '../db/sql.js';

/**
 * One person as one application sees them: directory attributes, whether the access model lets them in, and the
 * roles / entitlements / groups it grants for that app. Read in one statement because it runs on every authorize,
 * code exchange, refresh and userinfo call.
 */
export interface PersonAppView {
  id: string;
  tenantId: string;
  tenantSlug: string;
  status: PersonStatus;
  email: string | null;
  displayName: string;
  givenName: string | null;
  familyName: string | null;
  employeeNumber: string | null;
  jobTitle: string | null;
  rank: string | null;
  grade: string | null;
  costCenter: string | null;
  department: string | null;
  attributes: Record<string, unknown>;
  /** Keys of the person's roles that grant anything in this app. */
  roles: string[];
  /** Values of `role` / `permission_set` entitlements for this app. */
  entitlements: string[];
  /** `group` entitlements for this app, and the directory groups the person is in. */
  groups: string[];
  directoryGroups: string[];
  /** Open to the person's tenant tree, or an `app_access` entitlement through a live role assignment. */
  hasAccess: boolean;
}

export interface ViewRow {
  id: string;
  tenant_id: string;
  tenant_slug: string;
  status: PersonStatus;
  email: string | null;
  display_name: string;
  given_name: string | null;
  family_name: string | null;
  employee_number: string | null;
  job_title: string | null;
  rank: string | null;
  grade: string | null;
  cost_center: string | null;
  department: string | null;
  attributes: Record<string, unknown>;
  roles: string[] | null;
  entitlements: string[] | null;
  app_groups: string[] | null;
  directory_groups: string[] | null;
  has_access: boolean;
}

// One pass over the person's live grants for this app (role assignments not expired, entitlements naming the
// application) yields the roles, the entitlement values, the app's groups and whether it grants app_access: the
// role_assignments index is read once per view, not once per column. Every sign-in resume, code exchange and
// refresh reads this view.
/** The view's SELECT for the person `person` (an SQL expression) and the application `$2`-style parameter `app`. */
export function personAppViewSql(person: string, app: string): string {
  return `
SELECT p.id, p.tenant_id, t.slug AS tenant_slug, p.status, p.email, p.display_name, p.given_name, p.family_name,
       p.employee_number, p.job_title, p.rank, p.grade, p.cost_center, d.name AS department, p.attributes,
       g.roles, g.entitlements, g.app_groups,
       (SELECT array_agg(DISTINCT gr.display_name) FROM group_memberships gm JOIN groups gr ON gr.id = gm.group_id
         WHERE gm.person_id = p.id) AS directory_groups,
       (COALESCE(g.app_access, false)
        OR EXISTS (
          WITH RECURSIVE up AS (
            SELECT id, parent_id FROM tenants WHERE id = p.tenant_id
            UNION ALL SELECT t2.id, t2.parent_id FROM tenants t2 JOIN up ON t2.id = up.parent_id)
          SELECT 1 FROM applications a WHERE a.id = ${app} AND a.open_to_all AND a.tenant_id IN (SELECT id FROM up))
       ) AS has_access
  FROM people p
  JOIN tenants t ON t.id = p.tenant_id
  LEFT JOIN departments d ON d.id = p.department_id
  CROSS JOIN LATERAL (
    SELECT array_agg(DISTINCT r.key) AS roles,
           array_agg(DISTINCT e.value) FILTER (WHERE e.kind IN ('role', 'permission_set') AND e.value <> '')
             AS entitlements,
           array_agg(DISTINCT e.value) FILTER (WHERE e.kind = 'group' AND e.value <> '') AS app_groups,
           bool_or(e.kind = 'app_access') AS app_access
      FROM role_assignments ra
      JOIN entitlements e ON e.role_id = ra.role_id AND e.application_id = ${app}
      JOIN roles r ON r.id = ra.role_id
     WHERE ra.person_id = p.id AND (ra.expires_at IS NULL OR ra.expires_at > now())) g
 WHERE p.id = ${person}`;
}

const VIEW_SQL = personAppViewSql('$1', '$2');

export async function loadPersonAppView(
  dataSource: DataSource,
  personId: string,
  applicationId: string,
): Promise<PersonAppView | undefined> {
  if (!isUuid(personId) || !isUuid(applicationId)) return undefined;
  const row = await one<ViewRow>(dataSource, VIEW_SQL, [personId, applicationId], 'sso-person-app-view');
  return row ? toPersonAppView(row) : undefined;
}

/** A row of personAppViewSql (or its to_jsonb) as the view. */
export function toPersonAppView(row: ViewRow): PersonAppView {
  const directoryGroups = row.directory_groups ?? [];
  return {
    id: row.id,
    tenantId: row.tenant_id,
    tenantSlug: row.tenant_slug,
    status: row.status,
    email: row.email,
    displayName: row.display_name,
    givenName: row.given_name,
    familyName: row.family_name,
    employeeNumber: row.employee_number,
    jobTitle: row.job_title,
    rank: row.rank,
    grade: row.grade,
    costCenter: row.cost_center,
    department: row.department,
    attributes: row.attributes,
    roles: (row.roles ?? []).sort(),
    entitlements: (row.entitlements ?? []).sort(),
    groups: [...new Set([...(row.app_groups ?? []), ...directoryGroups])].sort(),
    directoryGroups: directoryGroups.sort(),
    hasAccess: row.has_access,
  };
}

export interface LauncherTile {
  id: string;
  slug: string;
  name: string;
  protocol: 'oidc' | 'saml';
  launchUrl: string | null;
  iconUrl: string | null;
}

/** Every enabled app the person may open, for the launcher. */
export async function listAccessibleApplications(
  dataSource: DataSource,
  personId: string,
): Promise<LauncherTile[]> {
  if (!isUuid(personId)) return [];
  const list = await rows<{
    id: string;
    slug: string;
    name: string;
    protocol: 'oidc' | 'saml';
    launch_url: string | null;
    icon_url: string | null;
  }>(
    dataSource,
    `WITH RECURSIVE up AS (
       SELECT t.id, t.parent_id FROM tenants t JOIN people p ON p.tenant_id = t.id WHERE p.id = $1
       UNION ALL SELECT t2.id, t2.parent_id FROM tenants t2 JOIN up ON t2.id = up.parent_id)
     SELECT a.id, a.slug, a.name, a.protocol, a.launch_url, a.icon_url
       FROM applications a
      WHERE a.enabled AND (
            (a.open_to_all AND a.tenant_id IN (SELECT id FROM up))
         OR EXISTS (SELECT 1 FROM role_assignments ra
                      JOIN entitlements e ON e.role_id = ra.role_id AND e.application_id = a.id AND e.kind = 'app_access'
                     WHERE ra.person_id = $1 AND (ra.expires_at IS NULL OR ra.expires_at > now())))
      ORDER BY a.name, a.id`,
    [personId],
  );
  return list.map((a) => ({
    id: a.id,
    slug: a.slug,
    name: a.name,
    protocol: a.protocol,
    launchUrl: a.launch_url,
    iconUrl: a.icon_url,
  }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
