import type { AdminRole } from '../../../core/entities/admin-grant.js';
import { problems } from '../http/problem.js';
import { effectivePermissions, type Permission } from './permissions.js';
import type { TenantTree } from './tenant-tree.js';

/** Who is calling: an API token, or a person signed in to the console. */
export interface Actor {
  type: 'api_token' | 'admin' | 'scim';
  /** Token id or person id. */
  id: string;
  /** Token name or the person's email, for the audit log. */
  label: string;
}

export interface Grant {
  tenantId: string;
  role: AdminRole;
}

/**
 * The caller's reach: for each permission, the set of tenants (whole subtrees of their grants) where they hold it.
 * Objects in tenants the caller cannot read do not exist for them (404, never 403), so a subsidiary admin cannot
 * even learn that another subsidiary's object exists.
 */
export class Principal {
  private readonly byPermission = new Map<Permission, Set<string>>();

  constructor(
    readonly actor: Actor,
    readonly grants: readonly Grant[],
    readonly tree: TenantTree,
    readonly scopes: readonly string[] = [],
  ) {
    for (const grant of grants) {
      const tenants = tree.subtree(grant.tenantId);
      for (const permission of effectivePermissions(grant.role, scopes)) {
        const set = this.byPermission.get(permission) ?? new Set<string>();
        for (const id of tenants) set.add(id);
        this.byPermission.set(permission, set);
      }
    }
  }

  /** Tenant ids where the caller holds `permission`. */
  tenants(permission: Permission): string[] {
    return [...(this.byPermission.get(permission) ?? [])];
  }

  can(permission: Permission, tenantId: string | null): boolean {
    return tenantId !== null && (this.byPermission.get(permission)?.has(tenantId) ?? false);
  }

  /** True when the caller holds the permission anywhere (the coarse check a route makes before parsing input). */
  holdsAnywhere(permission: Permission): boolean {
    return (this.byPermission.get(permission)?.size ?? 0) > 0;
  }

  /** Throws 404 when the caller cannot read objects of this tenant. */
  assertVisible(tenantId: string | null, what: string): void {
    if (!this.can('read', tenantId)) throw problems.notFound(what);
  }

  /** 404 when the object is invisible to the caller; 403 when visible but the role lacks `permission`. */
  assertCan(permission: Permission, tenantId: string | null, what: string): void {
    this.assertVisible(tenantId, what);
    if (!this.can(permission, tenantId)) throw problems.forbidden();
  }

  /** Every permission the caller holds on one tenant (used to stop an admin granting more than they have). */
  permissionsOn(tenantId: string): Set<Permission> {
    const out = new Set<Permission>();
    for (const [permission, tenants] of this.byPermission) if (tenants.has(tenantId)) out.add(permission);
    return out;
  }
}
