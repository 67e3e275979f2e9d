import type { AdminRole } from '../../../core/entities/admin-grant.js';

/**
 * What an admin may do, as named permissions. Every route names the one it needs; a role is a set of them, and an
 * API token may narrow its role further with `scopes` (a subset of these names).
 */
export const PERMISSIONS = [
  'read',
  'audit.read',
  'tenants.manage',
  'tenants.update',
  'sso.write',
  'connections.write',
  'connections.operate',
  'access.write',
  'directory.write',
  'people.sessions',
  'admins.write',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ADMIN_ROLES = ['group_admin', 'subsidiary_admin', 'connector_operator', 'auditor'] as const;

const ROLE_PERMISSIONS: Record<AdminRole, readonly Permission[]> = {
  // Everything in the subtree, including creating and deleting subsidiaries.
  group_admin: PERMISSIONS,
  // Everything inside their subsidiary, but not creating or removing tenants.
  subsidiary_admin: PERMISSIONS.filter((permission) => permission !== 'tenants.manage'),
  // Runs and configures connectors; reads the rest.
  connector_operator: ['read', 'audit.read', 'connections.write', 'connections.operate'],
  auditor: ['read', 'audit.read'],
};

export function rolePermissions(role: AdminRole): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}

/** What a role can do, narrowed by token scopes (an empty list means the role's full set). */
export function effectivePermissions(role: AdminRole, scopes: readonly string[]): Set<Permission> {
  const granted = rolePermissions(role);
  if (scopes.length === 0) return new Set(granted);
  return new Set(granted.filter((permission) => scopes.includes(permission)));
}
