import { SeededRandom } from '../../kit/simulator/seeded-random.js';
import { ROOT_ID, type DepartmentTree } from './department-tree.js';
import type { MemberStore } from './member-store.js';

export interface SeedOptions {
  people: number;
  seed?: number;
  /** Members per department on average; the tree gets people / this many departments. Default 40. */
  membersPerDepartment?: number;
}

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '霞',
];
const FUNCTIONS = [
  '研发',
  '产品',
  '销售',
  '市场',
  '财务',
  '人力资源',
  '法务',
  '客服',
  '运营',
  '采购',
  '行政',
  '设计',
];
const PLACES = ['北京', '上海', '广州', '深圳', '杭州', '成都', '武汉', '南京', '西安', '苏州'];
const POSITIONS = [
  '工程师',
  '高级工程师',
  '产品经理',
  '销售经理',
  '会计',
  'HRBP',
  '设计师',
  '运营专员',
  '总监',
  '助理',
];

/**
 * Fills a corp with a deterministic organisation: a department tree (8 children per department) and `people` members with
 * names, unique mobiles and emails, positions, a leader per department and direct leaders. The same seed gives
 * the same corp, so a failing test can be replayed. 100,000 members seed in well under a few seconds.
 */
export function seedCorp(tree: DepartmentTree, members: MemberStore, options: SeedOptions): void {
  const random = new SeededRandom(options.seed ?? 1);
  const departmentCount = Math.max(1, Math.ceil(options.people / (options.membersPerDepartment ?? 40)));
  const departmentIds: number[] = [];
  for (let i = 0; i < departmentCount; i += 1) {
    // An 8-ary tree filled breadth first: 2,500 departments (100,000 people) are 5 levels deep.
    const parentid = (i < 8 ? undefined : departmentIds[Math.floor(i / 8) - 1]) ?? ROOT_ID;
    const name = `${random.pick(PLACES)}${random.pick(FUNCTIONS)}${i + 1}部`;
    const created = tree.create({ name, parentid, order: random.int(0, 1000) });
    if (!created.ok) throw new Error(`seed: department ${name}: errcode ${created.refusal.errcode}`);
    departmentIds.push(created.value.id);
  }

  const leaderOf = new Map<number, string>();
  for (let i = 0; i < options.people; i += 1) {
    const userid = `E${String(i + 1).padStart(6, '0')}`;
    const department = random.pick(departmentIds);
    const leader = leaderOf.get(department);
    if (!leader) leaderOf.set(department, userid);
    const created = members.create({
      userid,
      name: `${random.pick(SURNAMES)}${random.pick(GIVEN)}${random.chance(0.5) ? random.pick(GIVEN) : ''}`,
      department: [department],
      order: [random.int(0, 100)],
      is_leader_in_dept: [leader ? 0 : 1],
      direct_leader: leader ? [leader] : [],
      position: random.pick(POSITIONS),
      gender: random.chance(0.5) ? '1' : '2',
      email: `${userid.toLowerCase()}@corp.example.com`,
      mobile: `+86 1${String(3_000_000_000 + i * 7).padStart(10, '0')}`,
      enable: random.chance(0.97) ? 1 : 0,
    });
    if (!created.ok) throw new Error(`seed: member ${userid}: errcode ${created.refusal.errcode}`);
    if (random.chance(0.8)) created.value.activated = true;
  }
}
