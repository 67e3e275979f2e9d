import { SeededRandom } from '../../kit/simulator/seeded-random.js';
import { ENTERPRISE_USER_SCHEMA } from '../urns.js';
import type { ScimStore } from './store.js';

export interface SeedOptions {
  users: number;
  /** Groups made of the seeded users (each user in one of them). Default 0. */
  groups?: number;
  seed?: number;
  /** Email / userName domain. Default example.com. */
  domain?: string;
}

const GIVEN = ['Ada', 'Li', 'Grace', 'Wei', 'Alan', 'Mei', 'Linus', 'Yuki', 'Ken', 'Sofia', 'Omar', 'Ines'];
const FAMILY = [
  'Lovelace',
  'Wang',
  'Hopper',
  'Zhang',
  'Turing',
  'Chen',
  'Torvalds',
  'Sato',
  'Thompson',
  'Rossi',
];
const DEPARTMENTS = [
  'Engineering',
  'Finance',
  'Sales',
  'Support',
  'People',
  'Legal',
  'Marketing',
  'Operations',
];
const TITLES = ['Engineer', 'Analyst', 'Manager', 'Specialist', 'Director', 'Associate'];

/**
 * Fills the store with users that look like a company's accounts (names, work email, title, enterprise extension
 * with employee number, department, cost centre and a manager), the same for the same seed. Goes straight to the
 * store: seeding 100,000 users through HTTP would measure the simulator, not the connector.
 */
export function seedUsers(store: ScimStore, options: SeedOptions): { users: number; groups: number } {
  const random = new SeededRandom(options.seed ?? 1);
  const domain = options.domain ?? 'example.com';
  const offset = store.count('User');
  const ids: string[] = [];
  for (let n = offset + 1; n <= offset + options.users; n += 1) {
    const given = random.pick(GIVEN);
    const family = random.pick(FAMILY);
    const department = random.pick(DEPARTMENTS);
    const email = `${given}.${family}.${n}@${domain}`.toLowerCase();
    // Every tenth user manages the nine after them, so manager references point at real ids.
    const manager = ids.length > 0 ? ids[Math.floor((ids.length - 1) / 10) * 10] : undefined;
    const created = store.create('User', {
      userName: email,
      externalId: `seed-${n}`,
      name: { givenName: given, familyName: family, formatted: `${given} ${family}` },
      displayName: `${given} ${family}`,
      title: random.pick(TITLES),
      active: random.chance(0.97),
      emails: [{ value: email, type: 'work', primary: true }],
      [ENTERPRISE_USER_SCHEMA]: {
        employeeNumber: String(100000 + n),
        department,
        costCenter: `CC-${DEPARTMENTS.indexOf(department) + 100}`,
        organization: 'Example Corp',
        ...(manager ? { manager: { value: manager } } : {}),
      },
    });
    ids.push(created.id);
  }
  const groupCount = options.groups ?? 0;
  for (let g = 0; g < groupCount; g += 1) {
    const members = ids
      .filter((_id, index) => index % groupCount === g)
      .map((value) => ({ value, type: 'User' }));
    store.create('Group', {
      displayName: `Seed group ${store.count('Group') + 1}`,
      ...(members.length > 0 ? { members } : {}),
    });
  }
  return { users: options.users, groups: groupCount };
}
