import type { GeneratedOrg, GeneratedPerson } from '../../kit/simulator/generate-org.js';
import { SeededRandom } from '../../kit/simulator/seeded-random.js';
import { PERMANENTLY_LOCKED, UAC_ACCOUNTDISABLE, UAC_NORMAL_ACCOUNT } from '../account-entry.js';
import { childDn, firstRdn, rdnString } from '../protocol/dn.js';
import type { LdifEntry } from '../protocol/ldif.js';
import { toGeneralizedTime } from '../protocol/generalized-time.js';
import type { DirectoryLayout } from '../slapd/base-entries.js';
import type { DirectoryFlavour } from '../slapd/slapd-config.js';

export interface DirectorySeedOptions {
  flavour: DirectoryFlavour;
  layout: DirectoryLayout;
  /** userPassword of every generated person (already hashed, e.g. {SSHA}…), so people can bind. */
  passwordHash: string;
  seed: number;
  /** Stamped as the entries' last change, so incremental reads see only what changes later. Default: a day ago. */
  lastChanged?: Date;
}

export interface DirectorySeedCounts {
  people: number;
  departments: number;
  groups: number;
}

/**
 * A generated organisation as a directory an admin would have built: one OU per department (nested as the
 * department tree is), each person in their department's OU with a manager DN, leavers disabled as the flavour
 * disables accounts, and a group per division plus one of all managers, with memberOf written on the members
 * (slapadd bypasses the memberof overlay). AD-flavoured entries get an objectGUID, as a domain controller would
 * have minted. Entries come out parent-first, as `slapadd -q` requires, one at a time.
 */
export function directorySeed(
  org: GeneratedOrg,
  options: DirectorySeedOptions,
): { entries: Iterable<LdifEntry>; counts: DirectorySeedCounts } {
  const ad = options.flavour === 'ad';
  const { layout } = options;
  const random = new SeededRandom(options.seed);
  const stamp = toGeneralizedTime(options.lastChanged ?? new Date(Date.now() - 86_400_000));

  const departmentById = new Map(org.departments.map((d) => [d.id, d]));
  const departmentDn = new Map<string, string>();
  for (const department of org.departments) {
    const parent = department.parentId ? departmentDn.get(department.parentId) : layout.usersDn;
    departmentDn.set(department.id, childDn(rdnString('ou', department.name), parent ?? layout.usersDn));
  }

  // Login names: e-mail local parts (unique); AD's sAMAccountName is cut to 20 characters and kept unique.
  const logins: string[] = [];
  const taken = new Set<string>();
  for (const person of org.people) {
    const local = person.email.split('@')[0] ?? person.employeeNumber;
    let login = ad ? local.slice(0, 20) : local;
    for (let n = 2; taken.has(login.toLowerCase()); n++)
      login = `${local.slice(0, ad ? 20 - String(n).length : undefined)}${n}`;
    taken.add(login.toLowerCase());
    logins.push(login);
  }
  // AD names users by display name, which may repeat within an OU: the later ones get their login appended.
  const personDn: string[] = [];
  const rdnsTaken = new Set<string>();
  org.people.forEach((person, index) => {
    const parent = departmentDn.get(person.departmentId) ?? layout.usersDn;
    const login = logins[index] ?? person.employeeNumber;
    let rdn = ad ? rdnString('cn', person.displayName) : rdnString('uid', login);
    if (rdnsTaken.has(`${rdn.toLowerCase()},${parent.toLowerCase()}`))
      rdn = rdnString('cn', `${person.displayName} (${login})`);
    rdnsTaken.add(`${rdn.toLowerCase()},${parent.toLowerCase()}`);
    personDn.push(childDn(rdn, parent));
  });

  const divisions = [...new Set(org.departments.filter((d) => d.depth === 1).map((d) => d.division))];
  const groupName = (division: string): string =>
    `staff-${division.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  const groupDn = (name: string): string => childDn(rdnString('cn', name), layout.groupsDn);
  const managerIndexes = new Set(
    org.departments.map((d) => d.managerIndex).filter((i): i is number => i !== null),
  );
  const groupsOf = (person: GeneratedPerson): string[] => [
    ...(divisions.includes(person.division) ? [groupDn(groupName(person.division))] : []),
    ...(managerIndexes.has(person.index) ? [groupDn('managers')] : []),
  ];
  const guid = (): Buffer => Buffer.from(Array.from({ length: 16 }, () => random.int(0, 255)));

  function* entries(): Generator<LdifEntry> {
    for (const department of org.departments) {
      yield {
        dn: departmentDn.get(department.id) ?? '',
        attributes: {
          objectClass: ['top', 'organizationalUnit'],
          ou: department.name,
          description: department.code,
          modifyTimestamp: stamp,
        },
      };
    }
    for (const person of org.people) {
      const login = logins[person.index] ?? person.employeeNumber;
      const manager = person.managerIndex === null ? undefined : personDn[person.managerIndex];
      const department = departmentById.get(person.departmentId);
      const leaver = person.status === 'terminated';
      const dn = personDn[person.index] ?? '';
      yield {
        dn,
        attributes: {
          objectClass: ad
            ? ['top', 'person', 'organizationalPerson', 'user']
            : ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
          ...(ad
            ? {
                cn: firstRdn(dn)[0]?.value ?? person.displayName,
                sAMAccountName: login,
                userPrincipalName: person.email,
                employeeID: person.employeeNumber,
                userAccountControl: String(UAC_NORMAL_ACCOUNT | (leaver ? UAC_ACCOUNTDISABLE : 0)),
                objectGUID: guid(),
                department: department?.name,
                division: person.division,
                company: org.companyName,
              }
            : {
                uid: login,
                cn: person.displayName,
                businessCategory: person.division,
                departmentNumber: department?.code,
                ...(leaver ? { pwdAccountLockedTime: PERMANENTLY_LOCKED } : {}),
              }),
          employeeNumber: person.employeeNumber,
          givenName: person.givenName,
          sn: person.familyName,
          displayName: person.displayName,
          mail: person.email,
          mobile: person.mobile,
          title: person.jobTitle,
          l: person.location,
          manager,
          employeeType: leaver ? 'former' : 'employee',
          userPassword: options.passwordHash,
          memberOf: groupsOf(person),
          createTimestamp: `${person.hireDate.replace(/-/g, '')}090000Z`,
          modifyTimestamp: stamp,
        },
      };
    }
    const groups: [string, number[]][] = [
      ...divisions.map((division): [string, number[]] => [
        groupName(division),
        org.people.filter((p) => p.division === division).map((p) => p.index),
      ]),
      ['managers', [...managerIndexes]],
    ];
    for (const [name, members] of groups) {
      yield {
        dn: groupDn(name),
        attributes: {
          objectClass: ad ? ['top', 'group'] : ['top', 'groupOfNames'],
          cn: name,
          ...(ad ? { groupType: String(0x80000002 | 0), sAMAccountName: name, objectGUID: guid() } : {}),
          // groupOfNames needs a member; the empty DN stands in for none.
          member: members.length > 0 ? members.map((i) => personDn[i] ?? '') : ad ? undefined : [''],
          modifyTimestamp: stamp,
        },
      };
    }
  }

  return {
    entries: entries(),
    counts: { people: org.people.length, departments: org.departments.length, groups: divisions.length + 1 },
  };
}
