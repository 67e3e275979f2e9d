import type { DataSource, EntityManager } from 'typeorm';

type Db = DataSource | EntityManager;

/** What a person's roles grant in one target connection. */
export interface ConnectionGrants {
  account: boolean;
  groups: string[];
  roles: string[];
  departments: string[];
  permissionSets: string[];
}

export const NO_GRANTS: ConnectionGrants = {
  account: false,
  groups: [],
  roles: [],
  departments: [],
  permissionSets: [],
};

/** Entitlements of a page of people in one connection, from unexpired assignments, in one query. */
export async function loadConnectionGrants(
  db: Db,
  connectionId: string,
  personIds: string[],
): Promise<Map<string, ConnectionGrants>> {
  const rows = (await db.query(
    `SELECT DISTINCT ra.person_id, e.kind, e.value FROM role_assignments ra
       JOIN entitlements e ON e.role_id = ra.role_id
      WHERE ra.person_id = ANY($1) AND e.connection_id = $2
        AND (ra.expires_at IS NULL OR ra.expires_at > now())
      ORDER BY e.value`,
    [personIds, connectionId],
  )) as { person_id: string; kind: string; value: string }[];
  const out = new Map<string, ConnectionGrants>();
  for (const row of rows) {
    let grants = out.get(row.person_id);
    if (!grants) {
      grants = { account: false, groups: [], roles: [], departments: [], permissionSets: [] };
      out.set(row.person_id, grants);
    }
    if (row.kind === 'account') grants.account = true;
    else if (row.kind === 'group') grants.groups.push(row.value);
    else if (row.kind === 'role') grants.roles.push(row.value);
    else if (row.kind === 'department') grants.departments.push(row.value);
    else if (row.kind === 'permission_set') grants.permissionSets.push(row.value);
  }
  return out;
}

/** Which entitlement kinds exist for the connection at all (an attribute for a kind nobody grants stays unset). */
export async function grantedKinds(db: Db, connectionId: string): Promise<Set<string>> {
  const rows = (await db.query(`SELECT DISTINCT kind FROM entitlements WHERE connection_id = $1`, [
    connectionId,
  ])) as { kind: string }[];
  return new Set(rows.map((r) => r.kind));
}

/** Applications a person may sign in to (`app_access` entitlements); the SSO gateway checks this at sign-in. */
export async function entitledApplicationIds(db: Db, personId: string): Promise<string[]> {
  const rows = (await db.query(
    `SELECT DISTINCT e.application_id FROM role_assignments ra JOIN entitlements e ON e.role_id = ra.role_id
      WHERE ra.person_id = $1 AND e.kind = 'app_access' AND e.application_id IS NOT NULL
        AND (ra.expires_at IS NULL OR ra.expires_at > now())`,
    [personId],
  )) as { application_id: string }[];
  return rows.map((r) => r.application_id);
}
