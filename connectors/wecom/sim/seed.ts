import { generateOrg } from '../../kit/simulator/generate-org.js';
import { Errcode } from '../api/errcodes.js';
import { ROOT_ID, type DepartmentTree } from './department-tree.js';
import type { MemberStore } from './member-store.js';

export interface SeedOptions {
  people: number;
  seed?: number;
}

/**
 * Fills a corp from the kit's deterministic organisation (the same people every simulator seeds): the company
 * becomes the root department, its departments the tree below, each person a member whose userid is the
 * employee number, heads are 部门负责人 of their department and everyone's manager is their 直属上级.
 * Leavers are disabled members (`enable: 0`), as a corp that keeps leavers' accounts has them.
 */
export function seedCorp(tree: DepartmentTree, members: MemberStore, options: SeedOptions): void {
  const org = generateOrg({ people: options.people, seed: options.seed ?? 1 });
  tree.update({ id: ROOT_ID, name: truncate(org.companyName) });

  const wecomId = new Map<string, number>();
  for (const department of org.departments) {
    if (department.parentId === null) {
      wecomId.set(department.id, ROOT_ID);
      continue;
    }
    const parentid = wecomId.get(department.parentId) ?? ROOT_ID;
    const name = truncate(department.name.replace(/[\\:*?"<>|｜]/g, ' '));
    let created = tree.create({ name, parentid });
    // Names are unique in the generator but may collide once cut to WeCom's 32 characters.
    for (let n = 2; !created.ok && created.refusal.errcode === Errcode.departmentExists; n += 1) {
      created = tree.create({ name: `${truncate(name, 28)} ${n}`, parentid });
    }
    if (!created.ok) throw new Error(`seed: department ${name}: errcode ${created.refusal.errcode}`);
    wecomId.set(department.id, created.value.id);
  }

  const headOf = new Map<number, string>();
  for (const department of org.departments) {
    if (department.managerIndex !== null) headOf.set(department.managerIndex, department.id);
  }
  for (const person of org.people) {
    const department = wecomId.get(person.departmentId) ?? ROOT_ID;
    const body = {
      userid: person.employeeNumber,
      name: person.displayName,
      department: [department],
      is_leader_in_dept: [headOf.get(person.index) === person.departmentId ? 1 : 0],
      position: person.jobTitle.slice(0, 128),
      email: person.email,
      mobile: person.mobile,
      enable: person.status === 'active' ? 1 : 0,
    };
    let created = members.create(body);
    // Generated mobiles are random and may repeat; WeCom needs them unique, the email suffices.
    if (!created.ok && created.refusal.errcode === Errcode.mobileExists) {
      created = members.create({ ...body, mobile: undefined });
    }
    if (!created.ok)
      throw new Error(`seed: member ${person.employeeNumber}: errcode ${created.refusal.errcode}`);
    // About four in five members have accepted the invitation (status 1 rather than 4).
    if (person.index % 5 !== 4) created.value.activated = true;
  }
  for (const person of org.people) {
    const manager = person.managerIndex === null ? undefined : org.people[person.managerIndex];
    const user = members.get(person.employeeNumber);
    if (manager && user) user.direct_leader = [manager.employeeNumber];
  }
}

function truncate(name: string, length = 32): string {
  return [...name.trim()].slice(0, length).join('').trim();
}
