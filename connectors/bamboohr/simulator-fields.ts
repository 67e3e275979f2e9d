import type { BambooHrState, SimEmployee } from './simulator-state.js';

/** A field of the simulated account, as list-fields describes it and get-employee / custom reports read it. */
export interface SimField {
  id: string;
  name: string;
  type: string;
  alias: string;
  read(employee: SimEmployee, state: BambooHrState): string | null;
}

/** Standard fields the connector reads, and three custom fields (aliases `custom…`, as BambooHR names them). */
export const SIM_FIELDS: readonly SimField[] = [
  { id: '1', alias: 'firstName', name: 'First Name', type: 'text', read: (e) => e.firstName },
  { id: '2', alias: 'lastName', name: 'Last Name', type: 'text', read: (e) => e.lastName },
  { id: '1358', alias: 'preferredName', name: 'Preferred Name', type: 'text', read: (e) => e.preferredName },
  {
    id: 'displayName',
    alias: 'displayName',
    name: 'Display name',
    type: 'text',
    read: (e) => `${e.preferredName ?? e.firstName} ${e.lastName}`,
  },
  { id: '17', alias: 'employeeNumber', name: 'Employee #', type: 'text', read: (e) => e.employeeNumber },
  { id: '4001', alias: 'jobTitle', name: 'Job Title', type: 'list', read: (e) => e.jobTitle },
  {
    id: '4',
    alias: 'department',
    name: 'Department',
    type: 'list',
    read: (e, s) => s.optionName('department', e.departmentId),
  },
  {
    id: '1355',
    alias: 'division',
    name: 'Division',
    type: 'list',
    read: (e, s) => s.optionName('division', e.divisionId),
  },
  {
    id: '3',
    alias: 'location',
    name: 'Location',
    type: 'list',
    read: (e, s) => s.optionName('location', e.locationId),
  },
  { id: '15', alias: 'workEmail', name: 'Work Email', type: 'email', read: (e) => e.workEmail },
  { id: '13', alias: 'mobilePhone', name: 'Mobile Phone', type: 'phone', read: (e) => e.mobilePhone },
  { id: '18', alias: 'workPhone', name: 'Work Phone', type: 'phone', read: (e) => e.workPhone },
  { id: '9', alias: 'hireDate', name: 'Hire Date', type: 'date', read: (e) => e.hireDate },
  {
    id: '1361',
    alias: 'terminationDate',
    name: 'Termination Date',
    type: 'date',
    read: (e) => e.terminationDate,
  },
  { id: '1360', alias: 'status', name: 'Status', type: 'status', read: (e) => e.status },
  {
    id: '1366',
    alias: 'employmentHistoryStatus',
    name: 'Employment Status',
    type: 'list',
    read: (e) => e.employmentHistoryStatus,
  },
  {
    id: '1364',
    alias: 'supervisorEId',
    name: 'Supervisor Employee ID',
    type: 'int',
    read: (e) => (e.supervisorId === null ? null : String(e.supervisorId)),
  },
  {
    id: '91',
    alias: 'supervisor',
    name: 'Reporting to',
    type: 'employee',
    read: (e, s) => {
      const boss = e.supervisorId === null ? undefined : s.byId.get(e.supervisorId);
      return boss ? `${boss.lastName}, ${boss.firstName}` : null;
    },
  },
  { id: '4101', alias: 'customRank', name: 'Rank', type: 'text', read: (e) => e.customRank },
  { id: '4102', alias: 'customGrade', name: 'Grade', type: 'text', read: (e) => e.customGrade },
  {
    id: '4103',
    alias: 'customCostCenter',
    name: 'Cost Center',
    type: 'text',
    read: (e) => e.customCostCenter,
  },
  {
    id: 'lastChanged',
    alias: 'lastChanged',
    name: 'Last changed',
    type: 'timestamp',
    read: (e) => e.lastChanged,
  },
];

export const SIM_FIELDS_BY_NAME: ReadonlyMap<string, SimField> = new Map(
  SIM_FIELDS.flatMap((f) => [
    [f.alias, f],
    [f.id, f],
  ]),
);
