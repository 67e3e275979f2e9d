import {
  CJK_DEPARTMENT_WORDS,
  CJK_FAMILY,
  CJK_GIVEN,
  DEPARTMENT_WORDS,
  DIVISIONS,
  JOB_TITLES,
  LATIN_FAMILY,
  LATIN_GIVEN,
  LOCATIONS,
} from './name-pools.js';
import { SeededRandom } from './seeded-random.js';

export interface GeneratedDepartment {
  /** Stable generator id (`D0001` is the root). */
  id: string;
  name: string;
  parentId: string | null;
  /** 0 for the root (the company), 1 for divisions, 2 and 3 below. */
  depth: number;
  code: string;
  costCenter: string;
  /** The top-level unit (depth 1) this department belongs to; the root's is "Corporate". */
  division: string;
  location: string;
  /** Index in `people` of the department's head, or null when the organisation is too small to have one. */
  managerIndex: number | null;
}

export interface GeneratedPerson {
  /** Position in `people`; stable for a seed. */
  index: number;
  employeeNumber: string;
  givenName: string;
  familyName: string;
  displayName: string;
  /** 'cjk' names are written family name first, without a space. */
  script: 'latin' | 'cjk';
  email: string;
  mobile: string;
  departmentId: string;
  managerIndex: number | null;
  jobTitle: string;
  /** Career track and level: M1–M5 for managers, P1–P5 for individual contributors. */
  rank: string;
  /** Pay grade, G3–G12. */
  grade: string;
  costCenter: string;
  division: string;
  location: string;
  /** YYYY-MM-DD */
  hireDate: string;
  terminationDate: string | null;
  status: 'active' | 'terminated';
}

export interface GeneratedOrg {
  domain: string;
  companyName: string;
  departments: GeneratedDepartment[];
  people: GeneratedPerson[];
}

export interface GenerateOrgOptions {
  people: number;
  seed?: number;
  /** Work e-mail domain. Default `example.com`. */
  domain?: string;
  companyName?: string;
  /** Default: one department per 40 people, between 4 and 5,000. */
  departments?: number;
  /** Share of people who have left. Default 0.03. */
  terminatedShare?: number;
}

const CITY_IN_CHINESE: Record<string, string> = {
  Shanghai: '上海',
  Beijing: '北京',
  Shenzhen: '深圳',
  Hangzhou: '杭州',
};
const CHINA = new Set(Object.keys(CITY_IN_CHINESE));
const FIRST_HIRE_DAY = Date.UTC(2008, 0, 1) / 86_400_000;
const LAST_HIRE_DAY = Date.UTC(2025, 5, 30) / 86_400_000;
const LAST_TERMINATION_DAY = Date.UTC(2025, 8, 30) / 86_400_000;

/**
 * A deterministic organisation: a department tree a few levels deep (company → divisions → departments → teams),
 * every department headed by someone, people with employee numbers, Latin and CJK names, unique work e-mails,
 * titles, ranks, grades, cost centres, managers, hire dates and a few leavers. The same options give the same
 * organisation; 100,000 people take well under a second and some tens of megabytes.
 */
export function generateOrg(options: GenerateOrgOptions): GeneratedOrg {
  const count = Math.max(0, Math.floor(options.people));
  const random = new SeededRandom(options.seed ?? 1);
  const domain = options.domain ?? 'example.com';
  const departments = buildDepartments(
    options.departments ?? Math.min(5000, Math.max(4, Math.ceil(count / 40))),
    random,
  );
  const byId = new Map(departments.map((d) => [d.id, d]));

  // The head of each department comes first (person 0 heads the company), then everyone else at random.
  const departmentOf: GeneratedDepartment[] = [];
  for (let i = 0; i < count; i += 1) {
    const department =
      i < departments.length
        ? at(departments, i)
        : at(departments, 1 + Math.floor(random.next() * (departments.length - 1)));
    if (i < departments.length) department.managerIndex = i;
    departmentOf.push(department);
  }

  const emailsTaken = new Map<string, number>();
  const terminatedShare = options.terminatedShare ?? 0.03;
  const people: GeneratedPerson[] = new Array<GeneratedPerson>(count);
  for (let index = 0; index < count; index += 1) {
    const department = at(departmentOf, index);
    const isHead = department.managerIndex === index;
    const cjk = random.chance(CHINA.has(department.location) ? 0.85 : 0.08);
    const name = cjk ? cjkName(random) : latinName(random);
    const local = uniqueLocalPart(`${name.emailGiven}.${name.emailFamily}`, emailsTaken);
    const hireDay = random.int(FIRST_HIRE_DAY, LAST_HIRE_DAY);
    const leaver = !isHead && random.chance(terminatedShare);
    const level = isHead ? 5 - department.depth : random.int(1, 5);
    people[index] = {
      index,
      employeeNumber: `E${String(index + 1).padStart(6, '0')}`,
      givenName: name.given,
      familyName: name.family,
      displayName: cjk ? `${name.family}${name.given}` : `${name.given} ${name.family}`,
      script: cjk ? 'cjk' : 'latin',
      email: `${local}@${domain}`,
      mobile: cjk ? `+86 13${digits(random, 9)}` : `+1 555 ${digits(random, 7)}`,
      departmentId: department.id,
      managerIndex: managerFor(index, department, byId),
      jobTitle: isHead
        ? headTitle(department)
        : random.pick(JOB_TITLES[department.division] ?? ['Specialist']),
      rank: isHead ? `M${Math.max(1, level)}` : `P${level}`,
      grade: `G${isHead ? 8 + Math.max(1, level) - 1 : 2 + level}`,
      costCenter: department.costCenter,
      division: department.division,
      location: department.location,
      hireDate: isoDay(hireDay),
      terminationDate: leaver ? isoDay(Math.min(LAST_TERMINATION_DAY, hireDay + random.int(30, 2000))) : null,
      status: leaver ? 'terminated' : 'active',
    };
  }
  return { domain, companyName: options.companyName ?? 'Example Group', departments, people };
}

function buildDepartments(total: number, random: SeededRandom): GeneratedDepartment[] {
  const names = new Map<string, number>();
  const unique = (name: string): string => {
    const seen = names.get(name) ?? 0;
    names.set(name, seen + 1);
    return seen === 0 ? name : `${name} ${seen + 1}`;
  };
  const make = (
    name: string,
    parent: GeneratedDepartment | null,
    division: string,
    location: string,
  ): GeneratedDepartment => {
    const n = departments.length + 1;
    return {
      id: `D${String(n).padStart(4, '0')}`,
      name: unique(name),
      parentId: parent?.id ?? null,
      depth: parent ? parent.depth + 1 : 0,
      code: `${
        division
          .replace(/[^A-Za-z]/g, '')
          .slice(0, 3)
          .toUpperCase() || 'HQ'
      }-${n}`,
      costCenter: `CC-${1000 + n}`,
      division,
      location,
      managerIndex: null,
    };
  };
  const departments: GeneratedDepartment[] = [];
  const root = make('Head Office', null, 'Corporate', 'Shanghai');
  departments.push(root);

  const divisionCount = Math.min(DIVISIONS.length, total - 1, Math.max(2, Math.round(Math.sqrt(total) / 2)));
  const divisions: GeneratedDepartment[] = [];
  for (let i = 0; i < divisionCount; i += 1) {
    const divisionName = at(DIVISIONS, i);
    const division = make(divisionName, root, divisionName, random.pick(LOCATIONS));
    divisions.push(division);
    departments.push(division);
  }
  const remaining = total - 1 - divisionCount;
  const secondLevel: GeneratedDepartment[] = [];
  const secondCount = Math.ceil(remaining * 0.35);
  for (let i = 0; i < remaining; i += 1) {
    const parent =
      i < secondCount || secondLevel.length === 0 ? random.pick(divisions) : random.pick(secondLevel);
    const location = random.chance(0.7) ? parent.location : random.pick(LOCATIONS);
    const chinese = CHINA.has(location) && random.chance(0.3);
    const name = chinese
      ? `${CITY_IN_CHINESE[location] ?? ''}${random.pick(CJK_DEPARTMENT_WORDS)}`
      : i < secondCount
        ? `${parent.name} ${random.pick(DEPARTMENT_WORDS)}`
        : `${random.pick(DEPARTMENT_WORDS)} Team`;
    const department = make(name, parent, parent.division, location);
    if (i < secondCount) secondLevel.push(department);
    departments.push(department);
  }
  return departments;
}

/** A head reports to the head of the nearest ancestor with one; everyone else to their department's head. */
function managerFor(
  index: number,
  department: GeneratedDepartment,
  byId: Map<string, GeneratedDepartment>,
): number | null {
  let current: GeneratedDepartment | undefined = department;
  while (current) {
    if (current.managerIndex !== null && current.managerIndex !== index) return current.managerIndex;
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return null;
}

function headTitle(department: GeneratedDepartment): string {
  if (department.depth === 0) return 'Chief Executive Officer';
  if (department.depth === 1) return `VP ${department.division}`;
  if (department.depth === 2) return `Head of ${department.name}`;
  return 'Team Lead';
}

function latinName(random: SeededRandom): {
  given: string;
  family: string;
  emailGiven: string;
  emailFamily: string;
} {
  const given = random.pick(LATIN_GIVEN);
  const family = random.pick(LATIN_FAMILY);
  return { given, family, emailGiven: ascii(given), emailFamily: ascii(family) };
}

function cjkName(random: SeededRandom): {
  given: string;
  family: string;
  emailGiven: string;
  emailFamily: string;
} {
  const [family, familyLatin] = random.pick(CJK_FAMILY);
  const [given, givenLatin] = random.pick(CJK_GIVEN);
  return { given, family, emailGiven: givenLatin, emailFamily: familyLatin };
}

/** "Amélie" → "amelie", "O'Brien" → "obrien", "Müller" → "muller". */
function ascii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

function uniqueLocalPart(base: string, taken: Map<string, number>): string {
  const seen = taken.get(base) ?? 0;
  taken.set(base, seen + 1);
  return seen === 0 ? base : `${base}${seen + 1}`;
}

function digits(random: SeededRandom, n: number): string {
  let out = '';
  for (let i = 0; i < n; i += 1) out += String(random.int(0, 9));
  return out;
}

function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new RangeError(`index ${index} outside a list of ${list.length}`);
  return item;
}
