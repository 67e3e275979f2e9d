import { fieldReader } from './fields.js';
import type { DepartmentRecord, EmployeeRecord, KingdeeFormId, Organization, RecordBase } from './records.js';
import { itemError, MSG_CODE, operationBody, responseStatus, type ItemError } from './responses.js';
import type { Session } from './sessions.js';
import { permissionDenied, resolveFormId } from './query.js';
import type { KingdeeState } from './state.js';

/**
 * Save (API文档 › 保存 Save): `{"formid":…,"data":{"NeedUpDateFields":[],"NeedReturnFields":[],"IsDeleteEntry":
 * "true",…,"Model":{…}}}`. A Model without an internal id (FID / FDEPTID, or 0) creates a record in status A 创建;
 * with one it modifies the record, which must still be editable (Z/A/D, not 禁用). NeedUpDateFields limits the change
 * to the listed keys. Base-data references are objects keyed by the referenced number (`{"FNumber":"100"}`, key
 * case-insensitive as the templates mix FNumber / FNUMBER). The number is unique per create organisation; a clash is
 * the validator's "违反字段唯一性要求：编码唯一。[x]在当前系统中已经被使用。" (MsgCode 11).
 */

type Model = Map<string, { key: string; value: unknown }>;
/** One Model entry: the key lower-cased, as sent, and its value. */
type Entry = [lower: string, original: string, value: unknown];

/** Keys the platform maintains itself; a Model may carry them (the templates do) but they are ignored. */
const SYSTEM_KEYS = new Set([
  'fdocumentstatus',
  'fforbidstatus',
  'fcreatorid',
  'fcreatedate',
  'fmodifierid',
  'fmodifydate',
  'fapproverid',
  'fapprovedate',
  'fforbidderid',
  'fforbiddate',
  'ffullname',
]);

function toModel(raw: unknown): Model | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
  return new Map(Object.entries(raw).map(([key, value]) => [key.toLowerCase(), { key, value }]));
}

function truthy(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') return fallback;
  return value === true || String(value).toLowerCase() === 'true';
}

/** The number inside a base-data reference object, '' for an emptied reference, undefined when malformed. */
function refNumber(value: unknown): string | undefined {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object' || Array.isArray(value)) return undefined;
  const entry = Object.entries(value).find(([k]) => k.toLowerCase() === 'fnumber');
  if (!entry) return undefined;
  return entry[1] === null || entry[1] === undefined ? '' : String(entry[1]);
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

interface SaveContext {
  state: KingdeeState;
  session: Session;
  form: KingdeeFormId;
  errors: ItemError[];
  verifyBaseData: boolean;
}

function resolveOrg(ctx: SaveContext, field: string, value: unknown): Organization | undefined {
  const number = refNumber(value);
  if (number === undefined || number === '') {
    ctx.errors.push(
      itemError(MSG_CODE.badParameter, `字段“${field}”的值必须是基础资料对象，如{"FNumber":"100"}`, field),
    );
    return undefined;
  }
  const org = ctx.state.organizationByNumber(number);
  if (!org)
    ctx.errors.push(
      itemError(MSG_CODE.fieldOrValueMissing, `字段“${field}”：编码为[${number}]的组织不存在！`, field),
    );
  return org;
}

/** A department reference within the use organisation; null for an emptied reference. */
function resolveDept(
  ctx: SaveContext,
  field: string,
  value: unknown,
  useOrgId: number,
): DepartmentRecord | null | undefined {
  const number = refNumber(value);
  if (number === undefined) {
    ctx.errors.push(
      itemError(MSG_CODE.badParameter, `字段“${field}”的值必须是基础资料对象，如{"FNumber":"D01"}`, field),
    );
    return undefined;
  }
  if (number === '') return null;
  const dept =
    ctx.state.departments.findByNumber(useOrgId, number) ??
    ctx.state.departments.findAllByNumber(number).find((d) => d.useOrgId === useOrgId);
  const usable = dept && (!ctx.verifyBaseData || (dept.documentStatus === 'C' && dept.forbidStatus === 'A'));
  if (!usable) {
    ctx.errors.push(
      itemError(
        MSG_CODE.fieldOrValueMissing,
        `字段“${field}”：编码为[${number}]的部门不存在${ctx.verifyBaseData ? '、未审核或已禁用' : ''}！`,
        field,
      ),
    );
    return undefined;
  }
  return dept;
}

function applyCommon(
  ctx: SaveContext,
  record: RecordBase,
  key: string,
  original: string,
  value: unknown,
): boolean {
  switch (key) {
    case 'fname':
      record.name = text(value);
      return true;
    case 'fdescription':
      record.description = text(value);
      return true;
    case 'fcreateorgid': {
      const org = resolveOrg(ctx, original, value);
      if (org && record.id !== 0 && org.id !== record.createOrgId) {
        ctx.errors.push(itemError(MSG_CODE.validationFailed, '创建组织不允许修改！', original));
      } else if (org) record.createOrgId = org.id;
      return true;
    }
    case 'fuseorgid': {
      const org = resolveOrg(ctx, original, value);
      if (org) record.useOrgId = org.id;
      return true;
    }
    default:
      if (SYSTEM_KEYS.has(key)) return true;
      return false;
  }
}

function applyEmployee(ctx: SaveContext, record: EmployeeRecord, entries: Entry[], replaceEntries: boolean) {
  for (const [key, original, value] of entries) {
    if (applyCommon(ctx, record, key, original, value)) continue;
    switch (key) {
      case 'fid':
        break;
      case 'fstaffnumber':
      case 'fnumber':
        record.number = text(value).trim();
        break;
      case 'femail':
        record.email = text(value);
        break;
      case 'fmobile':
        record.mobile = text(value);
        break;
      case 'ftel':
        record.tel = text(value);
        break;
      case 'fjoindate':
        record.joinDate = value ? text(value) : null;
        break;
      case 'fpostentity': {
        if (!Array.isArray(value)) {
          ctx.errors.push(
            itemError(MSG_CODE.badParameter, '单据体“任岗信息”(FPostEntity)必须是数组！', original),
          );
          break;
        }
        const first = toModel(value[0]);
        if (!first) {
          if (replaceEntries) record.post = null;
          break;
        }
        const field = (k: string) => first.get(k)?.value;
        const workOrg = first.has('fworkorgid')
          ? resolveOrg(ctx, 'FWorkOrgId', field('fworkorgid'))
          : undefined;
        const keptDeptId = record.post?.deptId ?? null;
        const dept = first.has('fpostdept')
          ? resolveDept(ctx, 'FPostDept', field('fpostdept'), record.useOrgId)
          : keptDeptId === null
            ? null
            : (ctx.state.departments.get(keptDeptId) ?? null);
        if (dept === undefined) break;
        const postNumber = first.has('fpost')
          ? refNumber(field('fpost')) || null
          : (record.post?.postNumber ?? null);
        record.post = {
          entryId: record.post?.entryId ?? ctx.state.allocateEntryId(),
          workOrgId: workOrg?.id ?? record.post?.workOrgId ?? record.useOrgId,
          deptId: dept?.id ?? null,
          postNumber,
          startDate: first.has('fstaffstartdate')
            ? text(field('fstaffstartdate')) || null
            : (record.post?.startDate ?? null),
          isFirstPost: first.has('fisfirstpost') ? truthy(field('fisfirstpost'), true) : true,
        };
        break;
      }
      default:
        storeExtra(ctx, record, original, value);
    }
  }
}

function applyDepartment(ctx: SaveContext, record: DepartmentRecord, entries: Entry[]) {
  for (const [key, original, value] of entries) {
    if (applyCommon(ctx, record, key, original, value)) continue;
    switch (key) {
      case 'fdeptid':
        break;
      case 'fnumber':
        record.number = text(value).trim();
        break;
      case 'fhelpcode':
        record.helpCode = text(value);
        break;
      case 'fparentid': {
        const parent = resolveDept(ctx, original, value, record.useOrgId);
        if (parent === undefined) break;
        // A department may not sit under itself or under one of its own descendants.
        for (let cursor: DepartmentRecord | undefined = parent ?? undefined; cursor;) {
          if (cursor.id === record.id) {
            ctx.errors.push(
              itemError(MSG_CODE.validationFailed, '上级部门不能是本部门或本部门的下级部门！', original),
            );
            return;
          }
          cursor = cursor.parentId ? ctx.state.departments.get(cursor.parentId) : undefined;
        }
        record.parentId = parent?.id ?? null;
        break;
      }
      default:
        storeExtra(ctx, record, original, value);
    }
  }
}

/** Fields the simulator does not model (the real forms have dozens) are kept as given when they look like keys. */
function storeExtra(ctx: SaveContext, record: RecordBase, key: string, value: unknown) {
  if (!/^F[A-Za-z0-9_]*$/.test(key)) {
    ctx.errors.push(itemError(MSG_CODE.fieldOrValueMissing, `字段“${key}”在业务对象中不存在！`, key));
    return;
  }
  const ref = typeof value === 'object' && value !== null ? refNumber(value) : undefined;
  record.extra[key] =
    ref !== undefined
      ? ref
      : typeof value === 'object' && value !== null
        ? JSON.stringify(value)
        : (value as string | number | boolean | null);
}

function newRecord(ctx: SaveContext): EmployeeRecord | DepartmentRecord {
  const now = ctx.state.timestamp();
  const base: RecordBase = {
    id: 0,
    number: '',
    name: '',
    createOrgId: ctx.session.orgId,
    useOrgId: ctx.session.orgId,
    documentStatus: 'A',
    statusBeforeSubmit: 'A',
    forbidStatus: 'A',
    description: '',
    createDate: now,
    modifyDate: now,
    approveDate: null,
    forbidDate: null,
    extra: {},
  };
  return ctx.form === 'BD_Empinfo'
    ? { ...base, email: '', mobile: '', tel: '', joinDate: null, post: null }
    : { ...base, parentId: null, helpCode: '' };
}

export function save(
  state: KingdeeState,
  session: Session,
  formIdRaw: unknown,
  data: Record<string, unknown>,
) {
  const form = resolveFormId(formIdRaw);
  if (typeof form !== 'string') return operationBody(form);
  if (!state.allows(session, form, 'Save'))
    return operationBody(permissionDenied(state, session, form, 'Save'));
  const model = toModel(data.Model);
  if (!model)
    return operationBody(
      responseStatus([], [itemError(MSG_CODE.badParameter, '表单数据包(Model)不能为空！')]),
    );

  const ctx: SaveContext = {
    state,
    session,
    form,
    errors: [],
    verifyBaseData: truthy(data.IsVerifyBaseDataField, false),
  };
  const table = state.table(form);
  const pkKey = form === 'BD_Empinfo' ? 'fid' : 'fdeptid';
  const numberField = form === 'BD_Empinfo' ? 'FStaffNumber' : 'FNumber';
  const id = Number(model.get(pkKey)?.value ?? 0);
  const existing = id > 0 ? table.get(id) : undefined;
  if (id > 0 && !existing) {
    return operationBody(
      responseStatus([], [itemError(MSG_CODE.dataNotFound, `内码为[${id}]的数据不存在或已被删除！`)]),
    );
  }
  if (existing && existing.forbidStatus === 'B') {
    return operationBody(
      responseStatus([], [itemError(MSG_CODE.notOperable, `[${existing.number}]已禁用，不允许修改！`)]),
    );
  }
  if (existing && (existing.documentStatus === 'B' || existing.documentStatus === 'C')) {
    const label = existing.documentStatus === 'B' ? '审核中' : '已审核';
    return operationBody(
      responseStatus(
        [],
        [itemError(MSG_CODE.notOperable, `[${existing.number}]单据状态为${label}，不允许修改！`)],
      ),
    );
  }

  // Work on a copy so a failed validation leaves the stored record untouched.
  const draft = existing ? structuredClone(existing) : newRecord(ctx);
  const needUpdate = Array.isArray(data.NeedUpDateFields)
    ? new Set((data.NeedUpDateFields as unknown[]).map((k) => String(k).toLowerCase()))
    : new Set<string>();
  const entries: Entry[] = [...model]
    .filter(([k]) => !existing || needUpdate.size === 0 || needUpdate.has(k))
    .map(([k, { key, value }]) => [k, key, value]);
  // Organisations first: references inside the package resolve within the use organisation.
  const isOrg = (k: string) => k === 'fcreateorgid' || k === 'fuseorgid';
  const ordered = [...entries.filter(([k]) => isOrg(k)), ...entries.filter(([k]) => !isOrg(k))];
  if (form === 'BD_Empinfo') {
    applyEmployee(ctx, draft as EmployeeRecord, ordered, truthy(data.IsDeleteEntry, true));
  } else {
    applyDepartment(ctx, draft as DepartmentRecord, ordered);
  }
  if (draft.name.trim() === '')
    ctx.errors.push(itemError(MSG_CODE.validationFailed, '字段“名称”是必录项！', 'FName'));
  if (draft.number === '')
    ctx.errors.push(itemError(MSG_CODE.validationFailed, '字段“编码”是必录项！', numberField));
  const clash = draft.number === '' ? undefined : table.findByNumber(draft.createOrgId, draft.number);
  if (clash && clash.id !== draft.id) {
    ctx.errors.push(
      itemError(
        MSG_CODE.validationFailed,
        `违反字段唯一性要求：编码唯一。[${draft.number}]在当前系统中已经被使用。`,
        numberField,
      ),
    );
  }
  if (ctx.errors.length > 0) return operationBody(responseStatus([], ctx.errors));

  draft.modifyDate = state.timestamp();
  // Saving a draft (暂存) makes it a created record.
  if (draft.documentStatus === 'Z') draft.documentStatus = 'A';
  if (existing) {
    const number = draft.number;
    draft.number = existing.number;
    Object.assign(existing, draft);
    if (number !== existing.number) table.renumber(existing, number);
  } else {
    draft.id = state.allocateId();
    table.insert(draft);
  }
  const saved = existing ?? draft;
  const returned: Record<string, unknown> = {};
  for (const key of Array.isArray(data.NeedReturnFields) ? (data.NeedReturnFields as unknown[]) : []) {
    const reader = fieldReader(form, String(key));
    if (reader) returned[String(key)] = reader(saved, state.lookups);
  }
  return operationBody(responseStatus([{ Id: saved.id, Number: saved.number, DIndex: 0 }], []), {
    Id: saved.id,
    Number: saved.number,
    NeedReturnData: [returned],
  });
}
