import { generateOrg, type GeneratedOrg } from '../kit/simulator/generate-org.js';

/** One employee as the BambooHR simulator keeps it (field names are BambooHR's field aliases). */
export interface SimEmployee {
  id: number;
  employeeNumber: string;
  firstName: string;
  lastName: string;
  preferredName: string | null;
  jobTitle: string;
  /** Option ids of the department / division / location list fields. */
  departmentId: number;
  divisionId: number;
  locationId: number;
  supervisorId: number | null;
  workEmail: string | null;
  mobilePhone: string | null;
  workPhone: string | null;
  hireDate: string;
  /** Empty dates are "0000-00-00" in BambooHR's reports; null here. */
  terminationDate: string | null;
  status: 'Active' | 'Inactive';
  employmentHistoryStatus: string;
  customRank: string | null;
  customGrade: string | null;
  customCostCenter: string | null;
  lastChanged: string;
}

export interface SimListOption {
  id: number;
  name: string;
  archived: 'yes' | 'no';
  createdDate: string | null;
  archivedDate: string | null;
}

export interface SimListField {
  fieldId: string;
  name: string;
  alias: string;
  options: SimListOption[];
}

export type ChangeAction = 'Inserted' | 'Updated' | 'Deleted';

/** Seeded records all changed "long ago", so an incremental read right after a full one finds only new changes. */
const SEEDED_AT = '2025-10-01T00:00:00.000Z';

/** Fields an update may set, with what they hold. */
export const WRITABLE_FIELDS = [
  'firstName',
  'lastName',
  'preferredName',
  'employeeNumber',
  'jobTitle',
  'department',
  'division',
  'location',
  'workEmail',
  'mobilePhone',
  'workPhone',
  'hireDate',
  'terminationDate',
  'status',
  'employmentHistoryStatus',
  'customRank',
  'customGrade',
  'customCostCenter',
] as const;
export type WritableField = (typeof WRITABLE_FIELDS)[number];

export class SimStateError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The simulated company: employees ordered by id (BambooHR ids only grow), list fields (department, division,
 * location), deletions for the "changed" endpoint, and a work-e-mail index (BambooHR refuses duplicates).
 */
export class BambooHrState {
  readonly employees: SimEmployee[] = [];
  readonly byId = new Map<number, SimEmployee>();
  readonly deleted = new Map<number, string>();
  readonly lists: { department: SimListField; division: SimListField; location: SimListField };
  private readonly byEmail = new Map<string, number>();
  private nextId = 1;
  private nextOptionId = 18_000;

  constructor(
    org: GeneratedOrg,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.lists = {
      department: { fieldId: '4', name: 'Department', alias: 'department', options: [] },
      division: { fieldId: '1355', name: 'Division', alias: 'division', options: [] },
      location: { fieldId: '3', name: 'Location', alias: 'location', options: [] },
    };
    // BambooHR's departments are a flat list; the generated tree's names become its options.
    const departmentOption = new Map<string, number>();
    for (const d of org.departments) departmentOption.set(d.id, this.option('department', d.name).id);
    for (const p of org.people) {
      const departmentId = departmentOption.get(p.departmentId);
      if (departmentId === undefined)
        throw new Error(`generated person in unknown department ${p.departmentId}`);
      const employee: SimEmployee = {
        id: this.nextId++,
        employeeNumber: p.employeeNumber,
        firstName: p.givenName,
        lastName: p.familyName,
        preferredName: null,
        jobTitle: p.jobTitle,
        departmentId,
        divisionId: this.option('division', p.division).id,
        locationId: this.option('location', p.location).id,
        // Generated indexes are 0-based; BambooHR ids here are index + 1.
        supervisorId: p.managerIndex === null ? null : p.managerIndex + 1,
        workEmail: p.email,
        mobilePhone: p.mobile,
        workPhone: null,
        hireDate: p.hireDate,
        terminationDate: p.terminationDate,
        status: p.status === 'active' ? 'Active' : 'Inactive',
        employmentHistoryStatus:
          p.status === 'active' ? (p.index % 19 === 7 ? 'Part-Time' : 'Full-Time') : 'Terminated',
        customRank: p.rank,
        customGrade: p.grade,
        customCostCenter: p.costCenter,
        lastChanged: SEEDED_AT,
      };
      this.insert(employee);
    }
  }

  static generate(
    options: { people: number; seed?: number; domain?: string; departments?: number },
    now?: () => Date,
  ): BambooHrState {
    return new BambooHrState(
      generateOrg({
        people: options.people,
        seed: options.seed ?? 1,
        domain: options.domain ?? 'example.com',
        ...(options.departments ? { departments: options.departments } : {}),
      }),
      now,
    );
  }

  get activeCount(): number {
    let n = 0;
    for (const e of this.employees) if (e.status === 'Active') n += 1;
    return n;
  }

  /** The option of a list field with this name, created when missing (as an admin adding a department would). */
  option(list: keyof BambooHrState['lists'], name: string): SimListOption {
    const field = this.lists[list];
    const existing = field.options.find((o) => o.name === name);
    if (existing) return existing;
    const created: SimListOption = {
      id: this.nextOptionId++,
      name,
      archived: 'no',
      createdDate: SEEDED_AT,
      archivedDate: null,
    };
    field.options.push(created);
    return created;
  }

  /** List-backed fields take one of the list's current options (an admin adds options in settings). */
  existingOption(list: keyof BambooHrState['lists'], name: string | null): SimListOption {
    const option = this.lists[list].options.find((o) => o.name === name && o.archived === 'no');
    if (!option) throw new SimStateError(409, `"${name ?? ''}" is not an option of the ${list} list`);
    return option;
  }

  optionName(list: keyof BambooHrState['lists'], id: number): string | null {
    return this.lists[list].options.find((o) => o.id === id)?.name ?? null;
  }

  private defaultOption(list: keyof BambooHrState['lists']): number {
    const first = this.lists[list].options[0];
    if (!first) throw new SimStateError(409, `the ${list} list has no options`);
    return first.id;
  }

  /** Index of the first employee with an id greater than `id` (employees are sorted by id). */
  indexAfter(id: number): number {
    let lo = 0;
    let hi = this.employees.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.employees[mid]?.id ?? Infinity) <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** create-employee: firstName and lastName are required; a duplicate work e-mail is a conflict. */
  create(fields: Record<string, unknown>): SimEmployee {
    const firstName = stringField(fields, 'firstName');
    const lastName = stringField(fields, 'lastName');
    if (!firstName || !lastName) throw new SimStateError(400, 'firstName and lastName are required');
    const employee: SimEmployee = {
      id: this.nextId++,
      employeeNumber: '',
      firstName,
      lastName,
      preferredName: null,
      jobTitle: '',
      departmentId: this.defaultOption('department'),
      divisionId: this.defaultOption('division'),
      locationId: this.defaultOption('location'),
      supervisorId: null,
      workEmail: null,
      mobilePhone: null,
      workPhone: null,
      hireDate: this.now().toISOString().slice(0, 10),
      terminationDate: null,
      status: 'Active',
      employmentHistoryStatus: 'Full-Time',
      customRank: null,
      customGrade: null,
      customCostCenter: null,
      lastChanged: this.now().toISOString(),
    };
    this.apply(employee, fields);
    this.insert(employee);
    this.changed(employee, true);
    return employee;
  }

  /** update-employee: only the given fields change. */
  update(id: number, fields: Record<string, unknown>): SimEmployee {
    const employee = this.byId.get(id);
    if (!employee) throw new SimStateError(404, `Employee ${id} not found`);
    // Validate every field on a copy first: a refused update changes nothing.
    const draft = { ...employee };
    this.apply(draft, fields);
    if (draft.workEmail !== employee.workEmail) {
      if (employee.workEmail) this.byEmail.delete(employee.workEmail.toLowerCase());
      if (draft.workEmail) this.byEmail.set(draft.workEmail.toLowerCase(), employee.id);
    }
    Object.assign(employee, draft);
    this.changed(employee);
    return employee;
  }

  /** Deletion is not an API operation in BambooHR (an admin deletes in the UI); the "changed" feed reports it. */
  remove(id: number): void {
    const employee = this.byId.get(id);
    if (!employee) throw new SimStateError(404, `Employee ${id} not found`);
    this.employees.splice(this.indexAfter(id - 1), 1);
    this.byId.delete(id);
    if (employee.workEmail) this.byEmail.delete(employee.workEmail.toLowerCase());
    this.deleted.set(id, this.tick());
  }

  /** Entries of the "last changed" feed at or after `since`: Inserted when created since then, else Updated. */
  changedSince(since: number): { id: number; action: ChangeAction; lastChanged: string }[] {
    const out: { id: number; action: ChangeAction; lastChanged: string }[] = [];
    for (const e of this.employees) {
      if (Date.parse(e.lastChanged) < since) continue;
      const created = this.createdAt.get(e.id);
      out.push({
        id: e.id,
        action: created !== undefined && created >= since ? 'Inserted' : 'Updated',
        lastChanged: e.lastChanged,
      });
    }
    for (const [id, at] of this.deleted)
      if (Date.parse(at) >= since) out.push({ id, action: 'Deleted', lastChanged: at });
    return out;
  }

  /** Creation times of employees created through the API (seeded ones predate every watermark). */
  private readonly createdAt = new Map<number, number>();

  private insert(employee: SimEmployee): void {
    if (employee.workEmail) {
      const key = employee.workEmail.toLowerCase();
      if (this.byEmail.has(key)) throw new SimStateError(409, `Duplicate email: ${employee.workEmail}`);
      this.byEmail.set(key, employee.id);
    }
    this.employees.push(employee);
    this.byId.set(employee.id, employee);
  }

  private changed(employee: SimEmployee, created = false): void {
    employee.lastChanged = this.tick();
    if (created) this.createdAt.set(employee.id, Date.parse(employee.lastChanged));
  }

  /** Change times strictly increase, so "changed since" boundaries are unambiguous even within a millisecond. */
  private lastTick = 0;
  private tick(): string {
    const now = Math.max(this.now().getTime(), this.lastTick + 1);
    this.lastTick = now;
    return new Date(now).toISOString();
  }

  private apply(employee: SimEmployee, fields: Record<string, unknown>): void {
    for (const [name, raw] of Object.entries(fields)) {
      if (!(WRITABLE_FIELDS as readonly string[]).includes(name)) {
        throw new SimStateError(400, `Invalid field: "${name}"`);
      }
      const value = raw === null || raw === undefined ? null : String(raw);
      const field = name as WritableField;
      switch (field) {
        case 'department':
          employee.departmentId = this.existingOption(field, value).id;
          break;
        case 'division':
          employee.divisionId = this.existingOption(field, value).id;
          break;
        case 'location':
          employee.locationId = this.existingOption(field, value).id;
          break;
        case 'status':
          if (value !== 'Active' && value !== 'Inactive') {
            throw new SimStateError(409, `status must be Active or Inactive, not "${value}"`);
          }
          employee.status = value;
          break;
        case 'workEmail': {
          const holder = value ? this.byEmail.get(value.toLowerCase()) : undefined;
          if (holder !== undefined && holder !== employee.id) {
            throw new SimStateError(409, `Duplicate email: ${value}`);
          }
          employee.workEmail = value;
          break;
        }
        case 'hireDate':
        case 'terminationDate':
          if (value !== null && value !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
            throw new SimStateError(409, `${field} must be YYYY-MM-DD`);
          }
          if (field === 'hireDate') employee.hireDate = requireValue(field, value);
          else employee.terminationDate = value || null;
          break;
        case 'firstName':
        case 'lastName':
        case 'jobTitle':
        case 'employeeNumber':
        case 'employmentHistoryStatus':
          employee[field] = value ?? '';
          break;
        case 'preferredName':
        case 'mobilePhone':
        case 'workPhone':
        case 'customRank':
        case 'customGrade':
        case 'customCostCenter':
          employee[field] = value || null;
          break;
      }
    }
  }
}

function stringField(fields: Record<string, unknown>, name: string): string | null {
  const value = fields[name];
  return typeof value === 'string' && value.trim() ? value : null;
}

function requireValue(field: string, value: string | null): string {
  if (!value) throw new SimStateError(409, `${field} cannot be empty`);
  return value;
}
