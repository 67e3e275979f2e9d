import type { DataSource } from 'typeorm';
import { NotFoundError, StaleVersionError, ValidationError } from '../../core/errors.js';
import { Person, Role, RoleAssignment } from '../../core/entities/index.js';

export interface ManualAssignmentInput {
  personId: string;
  roleId: string;
  /** Why the person holds the role outside the rules (required: auditors ask). */
  reason: string;
  expiresAt?: Date | null;
  createdBy?: string | null;
  /**
   * Changes an existing assignment only if it is still at this version (an admin's If-Match); without it, assigning
   * creates or updates, last writer wins.
   */
  expectedVersion?: number;
}

/**
 * Gives a person a role by hand, beside whatever rules give. Assigning again updates reason and expiry. The person's
 * accounts follow on the next run that selects them (provisionPerson makes that immediate).
 */
export async function assignRoleManually(
  ds: DataSource,
  input: ManualAssignmentInput,
): Promise<RoleAssignment> {
  const reason = input.reason.trim();
  if (reason.length === 0) throw new ValidationError('a manual role assignment needs a reason');
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now())
    throw new ValidationError('expiresAt must be in the future');
  const person = await ds.getRepository(Person).findOneBy({ id: input.personId });
  if (!person) throw new NotFoundError('person');
  const role = await ds.getRepository(Role).findOneBy({ id: input.roleId });
  if (!role) throw new NotFoundError('role');
  if (role.tenantId !== person.tenantId) {
    // Roles of a parent tenant may be given to a subsidiary's people; anything else crosses tenants.
    const [{ ok }] = (await ds.query(
      `WITH RECURSIVE up AS (SELECT id, parent_id FROM tenants WHERE id = $1
         UNION ALL SELECT t.id, t.parent_id FROM tenants t JOIN up ON t.id = up.parent_id)
       SELECT EXISTS (SELECT 1 FROM up WHERE id = $2) AS ok`,
      [person.tenantId, role.tenantId],
    )) as [{ ok: boolean }];
    if (!ok) throw new ValidationError('the role belongs to another tenant');
  }
  if (input.expectedVersion !== undefined) {
    const changed = (await ds.query(
      `WITH changed AS (
         UPDATE role_assignments SET reason = $4, expires_at = $5, created_by = $6, updated_at = now(),
                version = version + 1
          WHERE person_id = $1 AND role_id = $2 AND source = 'manual' AND version = $3
          RETURNING id)
       SELECT id FROM changed`,
      [person.id, role.id, input.expectedVersion, reason, input.expiresAt ?? null, input.createdBy ?? null],
    )) as { id: string }[];
    if (changed.length === 0) await refuseStaleAssignment(ds, person.id, role.id);
  } else {
    await ds.query(
      `INSERT INTO role_assignments (tenant_id, role_id, person_id, source, reason, expires_at, created_by, version)
       VALUES ($1, $2, $3, 'manual', $4, $5, $6, 1)
       ON CONFLICT (person_id, role_id, source) DO UPDATE
         SET reason = EXCLUDED.reason, expires_at = EXCLUDED.expires_at, created_by = EXCLUDED.created_by,
             updated_at = now(), version = role_assignments.version + 1`,
      [person.tenantId, role.id, person.id, reason, input.expiresAt ?? null, input.createdBy ?? null],
    );
  }
  return ds
    .getRepository(RoleAssignment)
    .findOneByOrFail({ personId: person.id, roleId: role.id, source: 'manual' });
}

/**
 * Removes a manual assignment; returns false when there was none. With `expectedVersion` (an admin's If-Match) it
 * removes it only if it is still at that version.
 */
export async function removeManualAssignment(
  ds: DataSource,
  personId: string,
  roleId: string,
  expectedVersion?: number,
): Promise<boolean> {
  const result = await ds.getRepository(RoleAssignment).delete({
    personId,
    roleId,
    source: 'manual',
    ...(expectedVersion !== undefined ? { version: expectedVersion } : {}),
  });
  const removed = (result.affected ?? 0) > 0;
  if (!removed && expectedVersion !== undefined) await refuseStaleAssignment(ds, personId, roleId);
  // Touch the person so an incremental provisioning run picks up the lost entitlements.
  if (removed) await ds.query(`UPDATE people SET updated_at = now() WHERE id = $1`, [personId]);
  return removed;
}

/** A conditional write found nothing at the expected version: stale if the assignment is still there, else gone. */
async function refuseStaleAssignment(ds: DataSource, personId: string, roleId: string): Promise<never> {
  const now = await ds.getRepository(RoleAssignment).findOneBy({ personId, roleId, source: 'manual' });
  if (!now) throw new NotFoundError('role assignment');
  throw new StaleVersionError('role assignment', now.version);
}
