import { randomUUID } from 'node:crypto';
import { generateOrg } from '../../kit/simulator/generate-org.js';
import { ENTERPRISE_USER_SCHEMA } from '../urns.js';
import type { ScimStore } from './store.js';

export interface SeedOptions {
  people: number;
  seed?: number;
  /** Groups of the seeded users, one per top-level division when true. Default false. */
  divisionGroups?: boolean;
  domain?: string;
}

/**
 * Fills the store with the accounts a SaaS tenant would hold for the kit's generated organisation: a User per
 * person (work e-mail as userName, the employee number as externalId, names, title, mobile, and the RFC 7643 §4.3
 * enterprise extension with department, division, cost centre and a manager reference to the manager's User),
 * leavers inactive. Goes straight to the store: seeding 100,000 users over HTTP would measure the simulator.
 */
export function seedUsers(store: ScimStore, options: SeedOptions): { users: number; groups: number } {
  const org = generateOrg({
    people: options.people,
    seed: options.seed ?? 1,
    ...(options.domain ? { domain: options.domain } : {}),
  });
  const departments = new Map(org.departments.map((department) => [department.id, department]));
  // Ids first, so a manager reference can point at a user created later.
  const ids = org.people.map(() => randomUUID());
  const byDivision = new Map<string, string[]>();
  for (const person of org.people) {
    const id = ids[person.index] as string;
    const manager = person.managerIndex === null ? undefined : ids[person.managerIndex];
    store.create(
      'User',
      {
        userName: person.email,
        externalId: person.employeeNumber,
        name: { givenName: person.givenName, familyName: person.familyName, formatted: person.displayName },
        displayName: person.displayName,
        title: person.jobTitle,
        active: person.status === 'active',
        emails: [{ value: person.email, type: 'work', primary: true }],
        phoneNumbers: [{ value: person.mobile, type: 'mobile' }],
        [ENTERPRISE_USER_SCHEMA]: {
          employeeNumber: person.employeeNumber,
          organization: org.companyName,
          division: person.division,
          department: departments.get(person.departmentId)?.name ?? person.departmentId,
          costCenter: person.costCenter,
          ...(manager ? { manager: { value: manager } } : {}),
        },
      },
      id,
    );
    const members = byDivision.get(person.division) ?? [];
    members.push(id);
    byDivision.set(person.division, members);
  }
  let groups = 0;
  if (options.divisionGroups) {
    for (const [division, members] of byDivision) {
      store.create('Group', {
        displayName: division,
        members: members.map((value) => ({ value, type: 'User' })),
      });
      groups += 1;
    }
  }
  return { users: org.people.length, groups };
}
