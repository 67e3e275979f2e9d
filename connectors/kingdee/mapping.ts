import type {
  AccountInput,
  DepartmentInput,
  EmployeeRecordInput,
  SourceDepartment,
  TargetAccount,
} from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import type { Cell } from './wire.js';

/**
 * Junction's records ↔ Kingdee's 员工 (BD_Empinfo) and 部门 (BD_Department) models (API文档 › 员工 / 部门 › 保存 ›
 * Model; field keys from the forms' 字段说明).
 *
 * - An employee is keyed by its number `FStaffNumber` (the employee number HR assigns); its department is the first
 *   post's `FPostEntity[].FPostDept`, referenced by department number; name `FName`, e-mail `FEmail`, phone
 *   `FMobile`. Kingdee has no job-title or cost-centre field on 员工 (岗位 FPost is base data of its own, and cost
 *   allocation follows the department), so those are not written unless mapped onto a field through attributes.
 * - A department is keyed by its number `FNumber` (Junction's department code, or its id when it has none); its
 *   parent is `FParentID`, by number.
 * - External ids are those numbers: every Kingdee reference (an expense claim's claimant, a voucher's department)
 *   is by number, and numbers survive Kingdee's re-allocation of internal ids between organisations.
 * - Attributes whose names are Kingdee field keys (`F…`, e.g. a customer field `F_ABC_Level` or `FPost`) are written
 *   as given: text, numbers and booleans as values, `{ "FNumber": "…" }` as base-data references.
 */

export type KingdeeValue = string | number | boolean | null | { FNumber: string };

/** Keys Junction maps itself; attributes cannot override them. */
const MANAGED_KEYS = new Set(
  [
    'FID',
    'FDEPTID',
    'FStaffNumber',
    'FNumber',
    'FName',
    'FEmail',
    'FMobile',
    'FPostEntity',
    'FPostDept',
    'FWorkOrgId',
    'FParentID',
    'FCreateOrgId',
    'FUseOrgId',
    'FDocumentStatus',
    'FForbidStatus',
  ].map((k) => k.toLowerCase()),
);

const FIELD_KEY = /^F[A-Za-z0-9_]+$/;

export function isReference(value: KingdeeValue): value is { FNumber: string } {
  return typeof value === 'object' && value !== null;
}

/** The Kingdee fields among an input's attributes; attributes that are not field keys (roles, groups) are not ours. */
export function customFields(attributes: Record<string, unknown>): Record<string, KingdeeValue> {
  const fields: Record<string, KingdeeValue> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (!FIELD_KEY.test(key) || MANAGED_KEYS.has(key.toLowerCase())) continue;
    if (value === null || value === undefined) fields[key] = null;
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      fields[key] = value;
    else if (
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.keys(value).length === 1 &&
      typeof (value as { FNumber?: unknown }).FNumber === 'string'
    ) {
      fields[key] = { FNumber: (value as { FNumber: string }).FNumber };
    } else {
      throw new ConnectorError('invalid_config', {
        message: `attribute ${key} must be text, a number, a boolean or a base-data reference { "FNumber": "…" }`,
      });
    }
  }
  return fields;
}

function text(cell: Cell | undefined): string {
  return cell === null || cell === undefined ? '' : String(cell).trim();
}

function nullable(cell: Cell | undefined): string | null {
  const value = text(cell);
  return value === '' ? null : value;
}

function truthy(cell: Cell | undefined): boolean {
  return cell === true || cell === 1 || cell === '1' || String(cell).toLowerCase() === 'true';
}

function requireNumber(value: string, what: string): string {
  const number = value.trim();
  if (number === '')
    throw new ConnectorError('invalid_config', { message: `${what} is empty: Kingdee needs a number` });
  if (number.length > 80) {
    throw new ConnectorError('invalid_config', {
      message: `${what} "${number}" is longer than Kingdee's 80 characters`,
    });
  }
  return number;
}

// ─── Employees ────────────────────────────────────────────────────────────────────────────────────────────────

export interface EmployeeDesired {
  number: string;
  name: string;
  email: string;
  /** undefined: leave Kingdee's value alone. */
  mobile: string | undefined;
  /** Department number; null: no department; undefined: leave it alone. */
  departmentNumber: string | null | undefined;
  active: boolean;
  extra: Record<string, KingdeeValue>;
}

export function employeeFromRecordInput(input: EmployeeRecordInput): EmployeeDesired {
  return {
    number: requireNumber(input.employeeNumber, 'the employee number'),
    name: input.name.trim(),
    email: input.email?.trim() ?? '',
    mobile: input.phone?.trim() ?? '',
    departmentNumber: input.departmentExternalId,
    active: input.active,
    extra: customFields(input.attributes),
  };
}

/**
 * An account input as a Kingdee employee: the number is `attributes.FStaffNumber` when mapped, else the user name
 * (map the user name to the employee number for a finance connection); the phone is `attributes.FMobile`.
 */
export function employeeFromAccountInput(input: AccountInput): EmployeeDesired {
  const staffNumber = input.attributes.FStaffNumber;
  const mobile = input.attributes.FMobile;
  return {
    number: requireNumber(
      typeof staffNumber === 'string' && staffNumber ? staffNumber : input.userName,
      'the user name',
    ),
    name: input.displayName.trim(),
    email: input.email?.trim() ?? '',
    mobile: typeof mobile === 'string' ? mobile.trim() : mobile === null ? '' : undefined,
    departmentNumber: input.departmentExternalIds ? (input.departmentExternalIds[0] ?? null) : undefined,
    active: input.active,
    extra: customFields(input.attributes),
  };
}

/** An employee as ExecuteBillQuery reads it (one row per post; the first post is the one kept). */
export interface EmployeeRow {
  id: number;
  number: string;
  name: string;
  email: string;
  mobile: string;
  departmentNumber: string | null;
  /** The first post's entry id, to modify that entry in place. */
  postEntryId: number | null;
  documentStatus: string;
  forbidStatus: string;
  /** Custom field values, by the query key read (`F_X`, or `F_X.FNumber` for a reference). */
  extra: Record<string, Cell>;
}

export const EMPLOYEE_FIELD_KEYS = [
  'FID',
  'FStaffNumber',
  'FName',
  'FEmail',
  'FMobile',
  'FPostDept.FNumber',
  'FPostEntity_FEntryId',
  'FIsFirstPost',
  'FDocumentStatus',
  'FForbidStatus',
] as const;

/** The query key that reads a custom field back: references by their number. */
export function extraQueryKey(key: string, value: KingdeeValue): string {
  return isReference(value) ? `${key}.FNumber` : key;
}

/** Rows → employees, one per FID (rows arrive ordered by FID), keeping the first post's row. */
export function employeeRows(rows: Cell[][], extraKeys: readonly string[] = []): EmployeeRow[] {
  const employees: EmployeeRow[] = [];
  let current: { row: EmployeeRow; first: boolean } | undefined;
  for (const cells of rows) {
    const id = Number(cells[0]);
    const first = truthy(cells[7]);
    const row: EmployeeRow = {
      id,
      number: text(cells[1]),
      name: text(cells[2]),
      email: text(cells[3]),
      mobile: text(cells[4]),
      departmentNumber: nullable(cells[5]),
      postEntryId: cells[6] === null || cells[6] === undefined || cells[6] === 0 ? null : Number(cells[6]),
      documentStatus: text(cells[8]),
      forbidStatus: text(cells[9]),
      extra: Object.fromEntries(
        extraKeys.map((key, i) => [key, cells[EMPLOYEE_FIELD_KEYS.length + i] ?? null]),
      ),
    };
    if (current && current.row.id === id) {
      if (first && !current.first) {
        current.row = row;
        current.first = true;
        employees[employees.length - 1] = row;
      }
      continue;
    }
    current = { row, first };
    employees.push(row);
  }
  return employees;
}

function sameText(a: string | null, b: string | null, caseInsensitive = false): boolean {
  const left = a ?? '';
  const right = b ?? '';
  return caseInsensitive ? left.toLowerCase() === right.toLowerCase() : left === right;
}

/** The Model keys whose value differs between Kingdee and what Junction wants (empty: nothing to save). */
export function employeeChanges(row: EmployeeRow, desired: EmployeeDesired): string[] {
  const changed: string[] = [];
  if (row.number !== desired.number) changed.push('FStaffNumber');
  if (!sameText(row.name, desired.name)) changed.push('FName');
  if (!sameText(row.email, desired.email)) changed.push('FEmail');
  if (desired.mobile !== undefined && !sameText(row.mobile, desired.mobile)) changed.push('FMobile');
  if (
    desired.departmentNumber !== undefined &&
    !sameText(row.departmentNumber, desired.departmentNumber, true)
  ) {
    changed.push('FPostEntity');
  }
  for (const [key, value] of Object.entries(desired.extra)) {
    const current = row.extra[extraQueryKey(key, value)];
    const wanted = isReference(value) ? value.FNumber : value;
    if (text(current ?? null) !== text(wanted)) changed.push(key);
  }
  return changed;
}

/**
 * The Save Model for an employee: everything on create; on update the internal id and only `fields` (which
 * then go in NeedUpDateFields). The first post is modified in place by its entry id.
 */
export function employeeModel(
  desired: EmployeeDesired,
  options: { id?: number; postEntryId?: number | null; orgNumber?: string; fields?: readonly string[] },
): Record<string, unknown> {
  const want = (key: string) => !options.fields || options.fields.includes(key);
  const model: Record<string, unknown> = {};
  if (options.id) model.FID = options.id;
  if (!options.id && options.orgNumber) {
    model.FCreateOrgId = { FNumber: options.orgNumber };
    model.FUseOrgId = { FNumber: options.orgNumber };
  }
  if (want('FStaffNumber')) model.FStaffNumber = desired.number;
  if (want('FName')) model.FName = desired.name;
  if (want('FEmail')) model.FEmail = desired.email;
  if (desired.mobile !== undefined && want('FMobile')) model.FMobile = desired.mobile;
  if (
    desired.departmentNumber !== undefined &&
    want('FPostEntity') &&
    (options.id || desired.departmentNumber)
  ) {
    model.FPostEntity = [
      {
        ...(options.postEntryId ? { FENTRYID: options.postEntryId } : {}),
        ...(options.orgNumber ? { FWorkOrgId: { FNumber: options.orgNumber } } : {}),
        FPostDept: { FNumber: desired.departmentNumber ?? '' },
        FIsFirstPost: true,
      },
    ];
  }
  for (const [key, value] of Object.entries(desired.extra)) if (want(key)) model[key] = value;
  return model;
}

/** NeedUpDateFields for changed keys: entry fields are listed with their entity, as the Save page asks. */
export function employeeUpdateFields(changed: readonly string[]): string[] {
  return changed.flatMap((key) =>
    key === 'FPostEntity' ? ['FPostEntity', 'FPostDept', 'FWorkOrgId', 'FIsFirstPost'] : [key],
  );
}

export function targetAccount(row: EmployeeRow): TargetAccount {
  return {
    externalId: row.number,
    userName: row.number,
    email: row.email === '' ? null : row.email,
    active: row.forbidStatus !== 'B',
    attributes: {
      FStaffNumber: row.number,
      FName: row.name,
      FEmail: row.email,
      FMobile: row.mobile,
      FPostDept: row.departmentNumber,
      FDocumentStatus: row.documentStatus,
      FForbidStatus: row.forbidStatus,
    },
    departmentExternalIds: row.departmentNumber ? [row.departmentNumber] : [],
  };
}

// ─── Departments ──────────────────────────────────────────────────────────────────────────────────────────────

export interface DepartmentDesired {
  number: string;
  name: string;
  parentNumber: string | null;
}

export function departmentFromInput(input: DepartmentInput): DepartmentDesired {
  const code = input.code?.trim();
  return {
    number: requireNumber(code ? code : input.correlationId, 'the department code'),
    name: input.name.trim(),
    parentNumber: input.parentExternalId,
  };
}

export interface DepartmentRow {
  id: number;
  number: string;
  name: string;
  parentNumber: string | null;
  documentStatus: string;
  forbidStatus: string;
}

export const DEPARTMENT_FIELD_KEYS = [
  'FDEPTID',
  'FNumber',
  'FName',
  'FParentID.FNumber',
  'FDocumentStatus',
  'FForbidStatus',
] as const;

export function departmentRow(cells: Cell[]): DepartmentRow {
  return {
    id: Number(cells[0]),
    number: text(cells[1]),
    name: text(cells[2]),
    parentNumber: nullable(cells[3]),
    documentStatus: text(cells[4]),
    forbidStatus: text(cells[5]),
  };
}

export function departmentChanges(row: DepartmentRow, desired: DepartmentDesired): string[] {
  const changed: string[] = [];
  if (row.number !== desired.number) changed.push('FNumber');
  if (!sameText(row.name, desired.name)) changed.push('FName');
  if (!sameText(row.parentNumber, desired.parentNumber, true)) changed.push('FParentID');
  return changed;
}

export function departmentModel(
  desired: DepartmentDesired,
  options: { id?: number; orgNumber?: string; fields?: readonly string[] },
): Record<string, unknown> {
  const want = (key: string) => !options.fields || options.fields.includes(key);
  const model: Record<string, unknown> = {};
  if (options.id) model.FDEPTID = options.id;
  if (!options.id && options.orgNumber) {
    model.FCreateOrgId = { FNumber: options.orgNumber };
    model.FUseOrgId = { FNumber: options.orgNumber };
  }
  if (want('FNumber')) model.FNumber = desired.number;
  if (want('FName')) model.FName = desired.name;
  if (want('FParentID') && (options.id || desired.parentNumber)) {
    model.FParentID = { FNumber: desired.parentNumber ?? '' };
  }
  return model;
}

export function sourceDepartment(row: DepartmentRow): SourceDepartment {
  return {
    externalId: row.number,
    name: row.name,
    parentExternalId: row.parentNumber,
    code: row.number,
    costCenter: null,
    managerExternalId: null,
  };
}
