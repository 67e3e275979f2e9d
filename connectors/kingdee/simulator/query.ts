import { fieldReader, NUMBER_KEYS, PRIMARY_KEY } from './fields.js';
import {
  evaluateFilter,
  filterFields,
  FilterSyntaxError,
  parseFilterString,
  type FieldValue,
  type FilterExpr,
} from './filter-parser.js';
import {
  FORM_IDS,
  type AnyRecord,
  type KingdeeFormId,
  type Organization,
  type RecordBase,
} from './records.js';
import { failureStatus, MSG_CODE, type ResponseStatus } from './responses.js';
import type { Session } from './sessions.js';
import { FORM_LABEL, OP_LABEL, type KingdeeState } from './state.js';

/** ExecuteBillQuery's documented cap: "Limit：最大行数，整型，不能超过2000" (API文档 › 单据查询 › 请求参数 1.7). */
export const MAX_LIMIT = 2000;

export type QueryOutcome = { rows: FieldValue[][] } | { status: ResponseStatus };

export function resolveFormId(formId: unknown): KingdeeFormId | ResponseStatus {
  if (typeof formId !== 'string' || formId.trim() === '') {
    return failureStatus(MSG_CODE.formIdMissing, '业务对象表单Id(FormId)不能为空！');
  }
  // Form ids are looked up case-insensitively by the metadata service (SDK samples use BD_Material and BD_MATERIAL).
  const match = FORM_IDS.find((id) => id.toLowerCase() === formId.trim().toLowerCase());
  return match ?? failureStatus(MSG_CODE.exception, `业务对象[${formId}]不存在`);
}

export function permissionDenied(
  state: KingdeeState,
  session: Session,
  formId: KingdeeFormId,
  op: keyof typeof OP_LABEL,
) {
  return failureStatus(
    MSG_CODE.noPermission,
    `用户“${session.userName}”没有业务对象“${FORM_LABEL[formId]}”的“${OP_LABEL[op]}”权限，请联系管理员授权！`,
  );
}

interface OrderTerm {
  key: string;
  descending: boolean;
}

function parseOrder(orderString: string): OrderTerm[] {
  return orderString
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const [key = '', direction = 'asc', ...rest] = part.split(/\s+/);
      if (rest.length > 0 || !/^(asc|desc)$/i.test(direction))
        throw new FilterSyntaxError(`bad OrderString term '${part}'`);
      return { key: key.toLowerCase(), descending: direction.toLowerCase() === 'desc' };
    });
}

/** Conjuncts of a filter, for picking an index. */
function conjuncts(expr: FilterExpr | null): FilterExpr[] {
  if (!expr) return [];
  return expr.kind === 'and' ? expr.items.flatMap(conjuncts) : [expr];
}

function* from(ids: readonly number[], start: number): Generator<number> {
  for (let i = start; i < ids.length; i += 1) yield ids[i] ?? 0;
}

/** Candidate ids in iteration order, using the number index or the id order when the filter and order allow. */
function plan(
  state: KingdeeState,
  formId: KingdeeFormId,
  filter: FilterExpr | null,
  order: OrderTerm[],
): { ids: Iterable<number>; ordered: boolean } {
  const table = state.table(formId);
  const pk = PRIMARY_KEY[formId];
  const numberKeys = NUMBER_KEYS[formId];
  for (const term of conjuncts(filter)) {
    const key = 'field' in term ? term.field.toLowerCase() : '';
    if (!numberKeys.includes(key)) continue;
    const values =
      term.kind === 'compare' && term.op === '='
        ? [term.value]
        : term.kind === 'in' && !term.negate
          ? term.values
          : null;
    if (!values) continue;
    const ids = [...new Set(values.flatMap((v) => table.findAllByNumber(String(v)).map((r) => r.id)))];
    return { ids: ids.sort((a, b) => a - b), ordered: false };
  }
  const [only] = order;
  const single = order.length === 1 && only && !only.descending ? only.key : undefined;
  if (order.length === 0 || single === pk) {
    const all = table.idOrder();
    let start = 0;
    for (const term of conjuncts(filter)) {
      if (
        term.kind === 'compare' &&
        term.field.toLowerCase() === pk &&
        (term.op === '>' || term.op === '>=')
      ) {
        const bound = Number(term.value);
        let lo = 0;
        let hi = all.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          const value = all[mid] ?? Infinity;
          if (term.op === '>' ? value <= bound : value < bound) lo = mid + 1;
          else hi = mid;
        }
        start = Math.max(start, lo);
      }
    }
    return { ids: from(all, start), ordered: true };
  }
  if (single !== undefined && numberKeys.includes(single)) {
    return { ids: table.numberOrdering(), ordered: true };
  }
  return { ids: table.idOrder(), ordered: false };
}

/** ExecuteBillQuery: rows of the requested field keys, filtered, ordered and windowed by StartRow / Limit. */
export function executeBillQuery(
  state: KingdeeState,
  session: Session,
  data: Record<string, unknown>,
): QueryOutcome {
  if (typeof data.FormId === 'string' && data.FormId.trim().toLowerCase() === 'org_organizations') {
    return queryOrganizations(state, data);
  }
  const form = resolveFormId(data.FormId);
  if (typeof form !== 'string') return { status: form };
  if (!state.allows(session, form, 'View')) return { status: permissionDenied(state, session, form, 'View') };

  const fieldKeys = typeof data.FieldKeys === 'string' ? data.FieldKeys.split(',').map((k) => k.trim()) : [];
  if (fieldKeys.length === 0 || fieldKeys.some((k) => k === '')) {
    return { status: failureStatus(MSG_CODE.badParameter, '查询字段FieldKeys不能为空！') };
  }
  const limit = Number(data.Limit ?? 0);
  const startRow = Number(data.StartRow ?? 0);
  const topRowCount = Number(data.TopRowCount ?? 0);
  if (![limit, startRow, topRowCount].every((n) => Number.isInteger(n) && n >= 0)) {
    return { status: failureStatus(MSG_CODE.badParameter, 'StartRow、Limit、TopRowCount 必须是非负整数！') };
  }
  if (limit > MAX_LIMIT) {
    return { status: failureStatus(MSG_CODE.badParameter, `Limit 不能超过${MAX_LIMIT}！`) };
  }

  let filter: FilterExpr | null;
  let order: OrderTerm[];
  try {
    if (
      data.FilterString !== undefined &&
      data.FilterString !== null &&
      typeof data.FilterString !== 'string'
    ) {
      throw new FilterSyntaxError('FilterString must be a string');
    }
    filter = parseFilterString((data.FilterString as string | undefined) ?? '');
    order = parseOrder(typeof data.OrderString === 'string' ? data.OrderString : '');
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { status: failureStatus(MSG_CODE.exception, `过滤条件或排序字段语法错误：${detail}`) };
  }

  const readers = new Map<string, (r: RecordBase) => FieldValue>();
  for (const key of [...fieldKeys, ...filterFields(filter), ...order.map((o) => o.key)]) {
    const lower = key.toLowerCase();
    if (readers.has(lower)) continue;
    const reader = fieldReader(form, key);
    if (!reader)
      return { status: failureStatus(MSG_CODE.fieldOrValueMissing, `字段“${key}”在业务对象中不存在！`, key) };
    readers.set(lower, (record) => reader(record, state.lookups));
  }
  const read =
    (record: RecordBase) =>
    (key: string): FieldValue =>
      readers.get(key.toLowerCase())?.(record) ?? null;

  const table = state.table(form);
  const { ids, ordered } = plan(state, form, filter, order);
  const wanted = topRowCount > 0 ? topRowCount : Infinity;
  const windowEnd = limit > 0 ? Math.min(wanted, startRow + limit) : wanted;
  let matches: AnyRecord[] = [];
  for (const id of ids) {
    const record = table.get(id);
    if (!record || (filter && !evaluateFilter(filter, read(record)))) continue;
    matches.push(record);
    // In index order the window is known as soon as enough rows matched.
    if (ordered && matches.length >= windowEnd) break;
  }
  if (!ordered && order.length > 0) {
    matches.sort((a, b) => {
      for (const term of order) {
        const left = read(a)(term.key);
        const right = read(b)(term.key);
        if (left === right) continue;
        const cmp = left === null ? -1 : right === null ? 1 : left < right ? -1 : 1;
        return term.descending ? -cmp : cmp;
      }
      return a.id - b.id;
    });
  }
  matches = matches
    .slice(0, wanted === Infinity ? undefined : wanted)
    .slice(startRow, limit > 0 ? startRow + limit : undefined);
  return { rows: matches.map((record) => fieldKeys.map((key) => read(record)(key))) };
}

/**
 * 组织机构 (ORG_Organizations), read-only: FOrgID, FNumber, FName, and the status fields (every organisation here is
 * audited and enabled). Everyone may read it in the simulator; real sites grant 组织机构 查看 separately.
 */
function queryOrganizations(state: KingdeeState, data: Record<string, unknown>): QueryOutcome {
  const readers: Record<string, (org: Organization) => FieldValue> = {
    forgid: (org) => org.id,
    fnumber: (org) => org.number,
    fname: (org) => org.name,
    fdocumentstatus: () => 'C',
    fforbidstatus: () => 'A',
  };
  const fieldKeys = typeof data.FieldKeys === 'string' ? data.FieldKeys.split(',').map((k) => k.trim()) : [];
  let filter: FilterExpr | null;
  try {
    filter = parseFilterString(typeof data.FilterString === 'string' ? data.FilterString : '');
  } catch (error) {
    return {
      status: failureStatus(
        MSG_CODE.exception,
        `过滤条件语法错误：${error instanceof Error ? error.message : ''}`,
      ),
    };
  }
  for (const key of [...fieldKeys, ...filterFields(filter)]) {
    if (!readers[key.toLowerCase()]) {
      return { status: failureStatus(MSG_CODE.fieldOrValueMissing, `字段“${key}”在业务对象中不存在！`, key) };
    }
  }
  const read = (org: Organization) => (key: string) => readers[key.toLowerCase()]?.(org) ?? null;
  const limit = Number(data.Limit ?? 0);
  const rows = state.organizations
    .filter((org) => !filter || evaluateFilter(filter, read(org)))
    .slice(0, limit > 0 ? limit : undefined)
    .map((org) => fieldKeys.map((key) => read(org)(key)));
  return { rows };
}
