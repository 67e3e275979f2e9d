import type { SourceDepartment, SourcePerson } from '../kit/contract.js';
import type { CustomReportRow, ListedEmployee, ListField } from './api-schemas.js';
import type { BambooHrConfig } from './config.js';

/** Fields the connector asks list-employees for (EmployeeOptionalField). */
export const LIST_FIELDS = [
  'workEmail',
  'mobilePhone',
  'workPhone',
  'hireDate',
  'divisionName',
  'departmentName',
  'departmentId',
  'locationName',
  'employmentStatusName',
  'reportsToId',
] as const;

/** Fields list-employees does not offer, read per page with a custom report (field aliases of list-fields). */
export function reportFields(config: BambooHrConfig): string[] {
  const custom = Object.values(config.customFields).filter((v): v is string => Boolean(v));
  return [...new Set(['employeeNumber', 'terminationDate', ...custom, ...config.extraFields])];
}

/** BambooHR writes empty dates as "0000-00-00" and empty text as "". */
export function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s === '' || s === '0000-00-00' ? null : s;
}

export function isoDate(value: unknown): string | null {
  const s = text(value);
  if (!s) return null;
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(s);
  return match?.[1] ?? null;
}

const HAN = /^[\u3400-\u9fff\uf900-\ufaff]+$/;

/** Chinese, Japanese and Korean names read family name first, without a space. */
export function displayName(given: string | null, family: string | null): string {
  if (given && family && HAN.test(given) && HAN.test(family)) return `${family}${given}`;
  return [given, family].filter(Boolean).join(' ') || '(no name)';
}

export function toSourcePerson(
  employee: ListedEmployee,
  report: CustomReportRow | undefined,
  config: BambooHrConfig,
): SourcePerson {
  const terminationDate = isoDate(report?.terminationDate);
  const employmentStatus = text(employee.employmentStatusName);
  const given = text(employee.preferredName) ?? text(employee.firstName);
  const attributes: Record<string, unknown> = {
    firstName: text(employee.firstName),
    preferredName: text(employee.preferredName),
    employmentStatus,
    departmentName: text(employee.departmentName),
    workPhone: text(employee.workPhone),
  };
  for (const field of config.extraFields) attributes[field] = text(report?.[field]);
  if (employee._restrictedFields.length > 0) attributes.restrictedFields = employee._restrictedFields;
  const custom = (name: string | undefined): string | null => (name ? text(report?.[name]) : null);
  return {
    externalId: employee.employeeId,
    employeeNumber: text(report?.employeeNumber),
    givenName: given,
    familyName: text(employee.lastName),
    displayName: displayName(given, text(employee.lastName)),
    email: text(employee.workEmail),
    phone: text(employee.mobilePhone) ?? text(employee.workPhone),
    departmentExternalId: text(employee.departmentId),
    managerExternalId: text(employee.reportsToId),
    jobTitle: text(employee.jobTitleName),
    rank: custom(config.customFields.rank),
    grade: custom(config.customFields.grade),
    costCenter: custom(config.customFields.costCenter),
    division: text(employee.divisionName),
    location: text(employee.locationName),
    status: personStatus(employee.status, terminationDate, employmentStatus),
    hireDate: isoDate(employee.hireDate),
    terminationDate,
    attributes,
  };
}

/** Active is active; an inactive employee with a termination (date or status) has left; else not yet started. */
function personStatus(
  status: string | null,
  terminationDate: string | null,
  employmentStatus: string | null,
): SourcePerson['status'] {
  if (status === 'Active') return 'active';
  if (terminationDate || employmentStatus?.toLowerCase() === 'terminated') return 'leaver';
  return 'inactive';
}

/** BambooHR's departments are the options of the `department` list field: a flat list, without heads. */
export function toSourceDepartments(lists: ListField[]): SourceDepartment[] {
  const field = lists.find((l) => l.alias === 'department') ?? lists.find((l) => l.fieldId === '4');
  return (field?.options ?? [])
    .filter((o) => o.archived !== 'yes')
    .map((o) => ({
      externalId: o.id,
      name: o.name,
      parentExternalId: null,
      code: null,
      costCenter: null,
      managerExternalId: null,
    }));
}
