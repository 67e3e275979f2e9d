import type { EntityManager, EntityTarget } from 'typeorm';
import type { Principal } from '../auth/principal.js';
import { ApiProblem, problems, validationProblem } from '../http/problem.js';

/**
 * Loads an object another object refers to (a rule's role, an entitlement's connection). One the caller cannot
 * see is reported exactly like one that does not exist, so references cannot be used to probe other tenants.
 */
export async function loadReference<E extends { id: string; tenantId: string }>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  id: string,
  principal: Principal,
  field: string,
  title: string,
): Promise<E> {
  const found = await manager.getRepository(entity).findOne({ where: { id } as never });
  if (!found || !principal.can('read', found.tenantId)) {
    // Same answer as an unknown id in the URL: the caller cannot tell "elsewhere" from "nowhere".
    throw new ApiProblem({
      code: 'not_found',
      status: 404,
      message: `${title} not found (${field})`,
      extensions: {
        errors: [{ pointer: `body.${field}`, message: `${title} not found`, code: 'unknown_reference' }],
      },
    });
  }
  return found;
}

/** An object may refer to objects of its own tenant or of a tenant above it (a group role used by a subsidiary). */
export function assertSameFamily(
  principal: Principal,
  ownerTenantId: string,
  referencedTenantId: string,
  field: string,
): void {
  if (!principal.tree.ancestry(ownerTenantId).includes(referencedTenantId)) {
    throw validationProblem(`${field}: belongs to another tenant`, [
      {
        pointer: `body.${field}`,
        message: 'belongs to a tenant this object cannot use',
        code: 'cross_tenant',
      },
    ]);
  }
}

export { problems };
