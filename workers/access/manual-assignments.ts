import type { DataSource } from 'typeorm';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { Person, Role, RoleAssignment } from '../../core/entities/index.js';

export interface ManualAssignmentInput {
  personId: string;
  roleId: string;
  /** Why the person holds the role outside the rules (required: auditors ask). */
  reason: string;
  expiresAt?: Date | null;
  createdBy?: string | null;
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
  await ds.query(
    `INSERT INTO role_assignments (tenant_id, role_id, person_id, source, reason, expires_at, created_by, version)
     VALUES ($1, $2, $3, 'manual', $4, $5, $6, 1)
     ON CONFLICT (person_id, role_id, source) DO UPDATE
       SET reason = EXCLUDED.reason, expires_at = EXCLUDED.expires_at, created_by = EXCLUDED.created_by,
           updated_at = now(), version = role_assignments.version + 1`,
    [person.tenantId, role.id, person.id, reason, input.expiresAt ?? null, input.createdBy ?? null],
  );
  return ds
    .getRepository(RoleAssignment)
    .findOneByOrFail({ personId: person.id, roleId: role.id, source: 'manual' });
}

/** Removes a manual assignment; returns false when there was none. */
export async function removeManualAssignment(
  ds: DataSource,
  personId: string,
  roleId: string,
): Promise<boolean> {
  const result = await ds.getRepository(RoleAssignment).delete({ personId, roleId, source: 'manual' });
  // Touch the person so an incremental provisioning run picks up the lost entitlements.
  if ((result.affected ?? 0) > 0)
    await ds.query(`UPDATE people SET updated_at = now() WHERE id = $1`, [personId]);
  return (result.affected ?? 0) > 0;
}
