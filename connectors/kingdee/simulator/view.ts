import type { AnyRecord, DepartmentRecord, EmployeeRecord, KingdeeFormId } from './records.js';
import { failureStatus, MSG_CODE, operationBody, responseStatus } from './responses.js';
import type { Session } from './sessions.js';
import { permissionDenied, resolveFormId } from './query.js';
import type { KingdeeState } from './state.js';

/**
 * View (API文档 › 查看 View): `{"formid":…,"data":{"CreateOrgId":0,"Number":"","Id":""}}`, answered as
 * `{"Result":{"ResponseStatus":{…},"Result":{…data package…}}}`. The package uses the form's entity property names
 * (no `F` prefix), with multilingual text as `[{"Key":2052,"Value":…}]` and base-data references as objects.
 */

function localized(value: string, lcid: number): { Key: number; Value: string }[] {
  return [{ Key: lcid, Value: value }];
}

function orgRef(state: KingdeeState, id: number, lcid: number): unknown {
  const org = state.lookups.organization(id);
  return org ? { Id: org.id, Number: org.number, Name: localized(org.name, lcid) } : null;
}

function deptRef(state: KingdeeState, id: number | null, lcid: number): unknown {
  const dept = id ? state.departments.get(id) : undefined;
  return dept ? { Id: dept.id, Number: dept.number, Name: localized(dept.name, lcid) } : null;
}

function common(state: KingdeeState, r: AnyRecord, lcid: number) {
  return {
    Id: r.id,
    Number: r.number,
    Name: localized(r.name, lcid),
    Description: localized(r.description, lcid),
    DocumentStatus: r.documentStatus,
    ForbidStatus: r.forbidStatus,
    CreateOrgId: orgRef(state, r.createOrgId, lcid),
    UseOrgId: orgRef(state, r.useOrgId, lcid),
    CreateDate: r.createDate,
    ModifyDate: r.modifyDate,
    ApproveDate: r.approveDate,
    ForbidDate: r.forbidDate,
    ...r.extra,
  };
}

function employeePackage(state: KingdeeState, r: EmployeeRecord, lcid: number) {
  return {
    ...common(state, r, lcid),
    StaffNumber: r.number,
    Email: r.email,
    Mobile: r.mobile,
    Tel: r.tel,
    JoinDate: r.joinDate,
    PostEntity: r.post
      ? [
          {
            Id: r.post.entryId,
            WorkOrgId: orgRef(state, r.post.workOrgId, lcid),
            PostDept: deptRef(state, r.post.deptId, lcid),
            Post: r.post.postNumber ? { Number: r.post.postNumber } : null,
            StaffStartDate: r.post.startDate,
            IsFirstPost: r.post.isFirstPost,
          },
        ]
      : [],
  };
}

function departmentPackage(state: KingdeeState, r: DepartmentRecord, lcid: number) {
  return { ...common(state, r, lcid), HelpCode: r.helpCode, ParentID: deptRef(state, r.parentId, lcid) };
}

export function view(
  state: KingdeeState,
  session: Session,
  formIdRaw: unknown,
  data: Record<string, unknown>,
) {
  const form = resolveFormId(formIdRaw);
  if (typeof form !== 'string') return operationBody(form);
  if (!state.allows(session, form, 'View'))
    return operationBody(permissionDenied(state, session, form, 'View'));
  const record = findOne(state, session, form, data);
  if (typeof record === 'string') return operationBody(failureStatus(MSG_CODE.dataNotFound, record));
  const pkg =
    form === 'BD_Empinfo'
      ? employeePackage(state, record as EmployeeRecord, session.lcid)
      : departmentPackage(state, record as DepartmentRecord, session.lcid);
  return operationBody(responseStatus([{ Id: record.id, Number: record.number, DIndex: 0 }], []), {
    Result: pkg,
  });
}

function findOne(
  state: KingdeeState,
  session: Session,
  form: KingdeeFormId,
  data: Record<string, unknown>,
): AnyRecord | string {
  const table = state.table(form);
  const id = Number(data.Id ?? 0);
  if (Number.isInteger(id) && id > 0) return table.get(id) ?? `内码为[${id}]的数据不存在！`;
  if (typeof data.Number === 'string' && data.Number !== '') {
    const createOrgId = Number(data.CreateOrgId ?? 0);
    const found =
      createOrgId > 0
        ? table.findByNumber(createOrgId, data.Number)
        : (table.findByNumber(session.orgId, data.Number) ?? table.findAllByNumber(data.Number)[0]);
    return found ?? `编码为[${data.Number}]的数据不存在！`;
  }
  return '查看数据必须指定编码(Number)或内码(Id)！';
}
