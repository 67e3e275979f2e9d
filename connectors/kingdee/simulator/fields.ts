import type { FieldValue } from './filter-parser.js';
import type { DepartmentRecord, EmployeeRecord, KingdeeFormId, Organization, RecordBase } from './records.js';

/**
 * Field keys ExecuteBillQuery accepts for the two forms, as the form metadata names them (API文档 › 员工 / 部门 ›
 * 字段说明): `FStaffNumber` is the employee's number (`FNumber` reads the same value), a base-data reference reads
 * as its internal id and `Ref.FNumber` / `Ref.FName` read the referenced record. Keys are case-insensitive, as the
 * SQL they become is.
 */

export interface Lookups {
  organization(id: number): Organization | undefined;
  department(id: number): DepartmentRecord | undefined;
}

type Reader<R> = (record: R, lookups: Lookups) => FieldValue;

function orgReaders<R extends RecordBase>(prefix: string, pick: (r: R) => number): Record<string, Reader<R>> {
  return {
    [prefix]: (r) => pick(r),
    [`${prefix}.fnumber`]: (r, l) => l.organization(pick(r))?.number ?? null,
    [`${prefix}.fname`]: (r, l) => l.organization(pick(r))?.name ?? null,
  };
}

function commonReaders<R extends RecordBase>(): Record<string, Reader<R>> {
  return {
    fname: (r) => r.name,
    fdescription: (r) => r.description,
    fdocumentstatus: (r) => r.documentStatus,
    fforbidstatus: (r) => r.forbidStatus,
    fcreatedate: (r) => r.createDate,
    fmodifydate: (r) => r.modifyDate,
    fapprovedate: (r) => r.approveDate,
    fforbiddate: (r) => r.forbidDate,
    ...orgReaders<R>('fcreateorgid', (r) => r.createOrgId),
    ...orgReaders<R>('fuseorgid', (r) => r.useOrgId),
  };
}

const EMPLOYEE_READERS: Record<string, Reader<EmployeeRecord>> = {
  ...commonReaders<EmployeeRecord>(),
  fid: (r) => r.id,
  fstaffnumber: (r) => r.number,
  fnumber: (r) => r.number,
  femail: (r) => r.email,
  fmobile: (r) => r.mobile,
  ftel: (r) => r.tel,
  fjoindate: (r) => r.joinDate,
  fpostentity_fentryid: (r) => r.post?.entryId ?? null,
  fworkorgid: (r) => r.post?.workOrgId ?? null,
  'fworkorgid.fnumber': (r, l) => (r.post ? (l.organization(r.post.workOrgId)?.number ?? null) : null),
  fpostdept: (r) => r.post?.deptId ?? null,
  'fpostdept.fnumber': (r, l) => (r.post?.deptId ? (l.department(r.post.deptId)?.number ?? null) : null),
  'fpostdept.fname': (r, l) => (r.post?.deptId ? (l.department(r.post.deptId)?.name ?? null) : null),
  'fpost.fnumber': (r) => r.post?.postNumber ?? null,
  fstaffstartdate: (r) => r.post?.startDate ?? null,
  fisfirstpost: (r) => r.post?.isFirstPost ?? null,
};

const DEPARTMENT_READERS: Record<string, Reader<DepartmentRecord>> = {
  ...commonReaders<DepartmentRecord>(),
  fdeptid: (r) => r.id,
  fnumber: (r) => r.number,
  fhelpcode: (r) => r.helpCode,
  fparentid: (r) => r.parentId,
  'fparentid.fnumber': (r, l) => (r.parentId ? (l.department(r.parentId)?.number ?? null) : null),
  'fparentid.fname': (r, l) => (r.parentId ? (l.department(r.parentId)?.name ?? null) : null),
  ffullname: (r, l) => {
    const names: string[] = [];
    let current: DepartmentRecord | undefined = r;
    for (let depth = 0; current && depth < 64; depth += 1) {
      names.unshift(current.name);
      current = current.parentId ? l.department(current.parentId) : undefined;
    }
    return names.join('_');
  },
};

export const PRIMARY_KEY: Record<KingdeeFormId, string> = { BD_Empinfo: 'fid', BD_Department: 'fdeptid' };
export const NUMBER_KEYS: Record<KingdeeFormId, string[]> = {
  BD_Empinfo: ['fstaffnumber', 'fnumber'],
  BD_Department: ['fnumber'],
};

/** A reader for one field key of one form, or undefined when the form has no such field. */
export function fieldReader(
  formId: KingdeeFormId,
  key: string,
): ((record: RecordBase, lookups: Lookups) => FieldValue) | undefined {
  const lower = key.trim().toLowerCase();
  const table = (formId === 'BD_Empinfo' ? EMPLOYEE_READERS : DEPARTMENT_READERS) as Record<
    string,
    Reader<RecordBase>
  >;
  const reader = table[lower];
  if (reader) return reader;
  // Customer-defined fields (F_XXX_…), present when a record carries them; a reference's `.FNumber` reads the
  // number it was saved with.
  if (lower.startsWith('f_')) {
    const name = lower.endsWith('.fnumber') ? lower.slice(0, -'.fnumber'.length) : lower;
    if (name.includes('.')) return undefined;
    return (record) => {
      const hit = Object.keys(record.extra).find((k) => k.toLowerCase() === name);
      return hit === undefined ? null : (record.extra[hit] ?? null);
    };
  }
  return undefined;
}
