import type { DepartmentRecord, EmployeeRecord } from './records.js';
import type { KingdeeState } from './state.js';

/** Master data to load into a simulated data centre, as HR would have fed it: audited, numbers as keys. */
export interface SeedDepartment {
  number: string;
  name: string;
  parentNumber: string | null;
}

export interface SeedEmployee {
  number: string;
  name: string;
  email: string | null;
  mobile: string | null;
  departmentNumber: string | null;
  active: boolean;
}

export interface SeedData {
  departments: SeedDepartment[];
  employees: SeedEmployee[];
  /** Organisation the records are created in and used by (its number); the default organisation when absent. */
  orgNumber?: string;
}

/**
 * Loads seed data straight into the tables, audited (FDocumentStatus C) and forbidden where inactive, without the
 * per-call overhead of Save/Submit/Audit, so 100,000 employees load in about a second. Parents must precede
 * their children. Records are built as literals of one shape, which keeps 100,000 of them compact.
 */
export function loadSeed(state: KingdeeState, data: SeedData): void {
  const org = data.orgNumber ? state.organizationByNumber(data.orgNumber) : state.defaultOrganization;
  if (!org) throw new Error(`seed: no organisation ${data.orgNumber ?? ''}`);
  const now = state.timestamp();
  for (const dept of data.departments) {
    const parent = dept.parentNumber ? state.departments.findByNumber(org.id, dept.parentNumber) : undefined;
    if (dept.parentNumber && !parent)
      throw new Error(`seed: parent ${dept.parentNumber} of ${dept.number} not loaded`);
    const record: DepartmentRecord = {
      id: state.allocateId(),
      number: dept.number,
      name: dept.name,
      createOrgId: org.id,
      useOrgId: org.id,
      documentStatus: 'C',
      statusBeforeSubmit: 'A',
      forbidStatus: 'A',
      description: '',
      createDate: now,
      modifyDate: now,
      approveDate: now,
      forbidDate: null,
      extra: {},
      parentId: parent?.id ?? null,
      helpCode: '',
    };
    state.departments.insert(record);
  }
  for (const emp of data.employees) {
    const dept = emp.departmentNumber
      ? state.departments.findByNumber(org.id, emp.departmentNumber)
      : undefined;
    const record: EmployeeRecord = {
      id: state.allocateId(),
      number: emp.number,
      name: emp.name,
      createOrgId: org.id,
      useOrgId: org.id,
      documentStatus: 'C',
      statusBeforeSubmit: 'A',
      forbidStatus: emp.active ? 'A' : 'B',
      description: '',
      createDate: now,
      modifyDate: now,
      approveDate: now,
      forbidDate: emp.active ? null : now,
      extra: {},
      email: emp.email ?? '',
      mobile: emp.mobile ?? '',
      tel: '',
      joinDate: null,
      post: dept
        ? {
            entryId: state.allocateEntryId(),
            workOrgId: org.id,
            deptId: dept.id,
            postNumber: null,
            startDate: null,
            isFirstPost: true,
          }
        : null,
    };
    state.employees.insert(record);
  }
}
