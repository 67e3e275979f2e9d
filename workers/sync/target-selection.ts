import type { DataSource } from 'typeorm';
import { Person } from '../../core/entities/index.js';

/** Which people a provisioning pass looks at. */
export type PeopleSelection =
  | { kind: 'all' }
  /**
   * People changed since the connection's last provisioning watermark: their record, their role assignments, or
   * their department (a rename by HR or an admin's override changes what mappings such as `department.name` give).
   */
  | { kind: 'since'; since: string }
  | { kind: 'people'; personIds: string[] };

/** One page of the selection, in id order (keyset paging: flat cost per page at any size). */
export async function selectPeoplePage(
  ds: DataSource,
  tenantIds: string[],
  selection: PeopleSelection,
  after: string | null,
  limit: number,
): Promise<Person[]> {
  const qb = ds
    .getRepository(Person)
    .createQueryBuilder('p')
    .where('p.tenantId IN (:...tenantIds)', { tenantIds })
    .orderBy('p.id', 'ASC')
    .limit(limit);
  if (after) qb.andWhere('p.id > :after', { after });
  if (selection.kind === 'people') {
    if (selection.personIds.length === 0) return [];
    qb.andWhere('p.id IN (:...ids)', { ids: selection.personIds });
  } else if (selection.kind === 'since') {
    qb.andWhere(
      `(p.updatedAt > :since OR p.id IN (
          SELECT ra.person_id FROM role_assignments ra
           WHERE ra.updated_at > :since OR (ra.expires_at > :since AND ra.expires_at <= now()))
        OR p.departmentId IN (SELECT d.id FROM departments d WHERE d.updated_at > :since))`,
      { since: selection.since },
    );
  }
  return qb.getMany();
}
