import type { AnyRecord, KingdeeFormId } from './records.js';
import {
  itemError,
  MSG_CODE,
  operationBody,
  responseStatus,
  type ItemError,
  type SuccessEntity,
} from './responses.js';
import type { Session } from './sessions.js';
import { permissionDenied, resolveFormId } from './query.js';
import type { KingdeeState, PermissionOp } from './state.js';

/**
 * The state operations. Submit / Audit / UnAudit / CancelAssign / Delete take
 * `{"formid":…,"data":{"CreateOrgId":0,"Numbers":[],"Ids":"",…}}` (API文档 › 提交 Submit / 审核 Audit / 反审核 UnAudit /
 * 撤销 CancelAssign / 删除 Delete, 请求参数 2.1–2.3: Numbers an array, Ids a comma-separated string); 禁用 / 反禁用 go
 * through ExcuteOperation with `opNumber` Forbid / Enable and the same data (API文档 › 操作接口 ExcuteOperation).
 * Each item succeeds or fails on its own: failures are listed in Errors with their DIndex, the others in
 * SuccessEntitys, and IsSuccess is true only when nothing failed.
 *
 * The base-data lifecycle: Save → A 创建 → Submit → B 审核中 → Audit → C 已审核; UnAudit C → D 重新审核 (editable,
 * submitted and audited again); CancelAssign returns B to A / D. Forbid needs an audited record and sets
 * FForbidStatus B; Enable sets it back to A. A forbidden record cannot be edited, un-audited or deleted; an audited
 * or submitted record cannot be deleted; a department that is a parent or an employee's post department cannot be.
 */

export type StateOperation = 'Submit' | 'Audit' | 'UnAudit' | 'CancelAssign' | 'Delete' | 'Forbid' | 'Enable';

const STATUS_LABEL: Record<string, string> = {
  Z: '暂存',
  A: '创建',
  B: '审核中',
  C: '已审核',
  D: '重新审核',
};

function targets(
  state: KingdeeState,
  session: Session,
  form: KingdeeFormId,
  data: Record<string, unknown>,
): { records: (AnyRecord | ItemError)[] } | { error: ItemError } {
  const table = state.table(form);
  const createOrgId = Number(data.CreateOrgId ?? 0);
  const ids = Array.isArray(data.Ids)
    ? data.Ids.map(String)
    : typeof data.Ids === 'string' || typeof data.Ids === 'number'
      ? String(data.Ids).split(',')
      : [];
  const idList = ids.map((s) => s.trim()).filter((s) => s !== '');
  const numbers = Array.isArray(data.Numbers) ? data.Numbers.map(String).filter((n) => n !== '') : [];
  if (idList.length === 0 && numbers.length === 0) {
    return {
      error: itemError(MSG_CODE.badParameter, '单据编码集合(Numbers)和单据内码集合(Ids)不能同时为空！'),
    };
  }
  if (idList.length > 0) {
    return {
      records: idList.map((raw, index) => {
        const record = table.get(Number(raw));
        return record ?? itemError(MSG_CODE.dataNotFound, `内码为[${raw}]的数据不存在！`, null, index);
      }),
    };
  }
  return {
    records: numbers.map((number, index) => {
      const record =
        createOrgId > 0
          ? table.findByNumber(createOrgId, number)
          : (table.findByNumber(session.orgId, number) ?? table.findAllByNumber(number)[0]);
      return record ?? itemError(MSG_CODE.dataNotFound, `编码为[${number}]的数据不存在！`, null, index);
    }),
  };
}

function isReferenced(state: KingdeeState, record: AnyRecord, form: KingdeeFormId): boolean {
  if (form !== 'BD_Department') return false;
  for (const dept of state.departments.values()) if (dept.parentId === record.id) return true;
  for (const emp of state.employees.values()) if (emp.post?.deptId === record.id) return true;
  return false;
}

/** Applies one operation to one record; returns the reason it is not allowed, or undefined once applied. */
function apply(
  state: KingdeeState,
  form: KingdeeFormId,
  op: StateOperation,
  record: AnyRecord,
): string | undefined {
  const status = record.documentStatus;
  const forbidden = record.forbidStatus === 'B';
  const current = `[${record.number}]当前状态为${STATUS_LABEL[status]}${forbidden ? '、已禁用' : ''}`;
  switch (op) {
    case 'Submit':
      if (forbidden || (status !== 'A' && status !== 'D')) return `${current}，不允许提交！`;
      record.statusBeforeSubmit = status;
      record.documentStatus = 'B';
      return undefined;
    case 'Audit':
      if (forbidden || status !== 'B') return `${current}，不允许审核（只有审核中的数据才能审核）！`;
      record.documentStatus = 'C';
      record.approveDate = state.timestamp();
      return undefined;
    case 'UnAudit':
      if (forbidden || status !== 'C') return `${current}，不允许反审核！`;
      record.documentStatus = 'D';
      record.approveDate = null;
      return undefined;
    case 'CancelAssign':
      if (status !== 'B') return `${current}，不允许撤销！`;
      record.documentStatus = record.statusBeforeSubmit;
      return undefined;
    case 'Forbid':
      if (forbidden) return `[${record.number}]已经是禁用状态！`;
      if (status !== 'C') return `${current}，未审核的数据不允许禁用！`;
      record.forbidStatus = 'B';
      record.forbidDate = state.timestamp();
      return undefined;
    case 'Enable':
      if (!forbidden) return `[${record.number}]未禁用，不需要反禁用！`;
      record.forbidStatus = 'A';
      record.forbidDate = null;
      return undefined;
    case 'Delete':
      if (forbidden || status === 'B' || status === 'C') return `${current}，不允许删除！`;
      if (isReferenced(state, record, form)) return `[${record.number}]已被其他数据引用，不允许删除！`;
      state.table(form).remove(record);
      return undefined;
  }
}

export function runOperation(
  state: KingdeeState,
  session: Session,
  formIdRaw: unknown,
  op: StateOperation,
  data: Record<string, unknown>,
) {
  const form = resolveFormId(formIdRaw);
  if (typeof form !== 'string') return operationBody(form);
  if (!state.allows(session, form, op as PermissionOp))
    return operationBody(permissionDenied(state, session, form, op));
  const resolved = targets(state, session, form, data);
  if ('error' in resolved) return operationBody(responseStatus([], [resolved.error]));
  const successes: SuccessEntity[] = [];
  const errors: ItemError[] = [];
  resolved.records.forEach((target, index) => {
    if ('msgCode' in target) {
      errors.push(target);
      return;
    }
    const { id, number } = target;
    const refusal = apply(state, form, op, target);
    if (refusal) errors.push(itemError(MSG_CODE.notOperable, refusal, null, index));
    else successes.push({ Id: id, Number: number, DIndex: index });
  });
  return operationBody(responseStatus(successes, errors));
}
