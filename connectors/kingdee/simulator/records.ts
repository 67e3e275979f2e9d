/**
 * The simulator's records for the two forms Junction writes, modelled on Kingdee's base-data lifecycle:
 * `FDocumentStatus` Z 暂存 / A 创建 / B 审核中 / C 已审核 / D 重新审核, and `FForbidStatus` A 正常 / B 禁用
 * (API文档 › 字段说明, FDocumentStatus "暂存:Z 创建:A 审核中:B 已审核:C 重新审核:D").
 */

export type KingdeeFormId = 'BD_Empinfo' | 'BD_Department';
export const FORM_IDS: readonly KingdeeFormId[] = ['BD_Empinfo', 'BD_Department'];

export type DocumentStatus = 'Z' | 'A' | 'B' | 'C' | 'D';
export type ForbidStatus = 'A' | 'B';

export interface Organization {
  id: number;
  number: string;
  name: string;
}

export interface RecordBase {
  id: number;
  number: string;
  name: string;
  createOrgId: number;
  useOrgId: number;
  documentStatus: DocumentStatus;
  /** Where CancelAssign (撤销) returns a submitted record to: A for a new one, D for one being re-audited. */
  statusBeforeSubmit: DocumentStatus;
  forbidStatus: ForbidStatus;
  description: string;
  createDate: string;
  modifyDate: string;
  approveDate: string | null;
  forbidDate: string | null;
  /** Customer-defined fields (`F_…`), stored as given. */
  extra: Record<string, string | number | boolean | null>;
}

/** 任岗信息 (FPostEntity): the simulator keeps the first post only, which is the one expense claims use. */
export interface PostEntry {
  entryId: number;
  workOrgId: number;
  deptId: number | null;
  postNumber: string | null;
  startDate: string | null;
  isFirstPost: boolean;
}

export interface EmployeeRecord extends RecordBase {
  email: string;
  mobile: string;
  tel: string;
  joinDate: string | null;
  post: PostEntry | null;
}

export interface DepartmentRecord extends RecordBase {
  parentId: number | null;
  helpCode: string;
}

export type AnyRecord = EmployeeRecord | DepartmentRecord;

/**
 * One form's table: records by internal id (ids only grow, so insertion order is id order), a unique index on
 * (create org, number) and an index on the number alone, both compared case-insensitively as SQL Server's default
 * collation does, and a lazily rebuilt number ordering for `OrderString` on the number field.
 */
export class FormTable<R extends RecordBase> {
  private readonly byId = new Map<number, R>();
  private readonly byKey = new Map<string, number>();
  /** Number → id, or ids when several organisations use the number (rare: kept as an array only then). */
  private readonly byNumber = new Map<string, number | number[]>();
  private ids: number[] = [];
  private idsDirty = false;
  private numberOrder: number[] | null = null;

  static key(createOrgId: number, number: string): string {
    return `${createOrgId}:${number.toLowerCase()}`;
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: number): R | undefined {
    return this.byId.get(id);
  }

  findByNumber(createOrgId: number, number: string): R | undefined {
    const id = this.byKey.get(FormTable.key(createOrgId, number));
    return id === undefined ? undefined : this.byId.get(id);
  }

  /** Every record with this number, whatever its organisation (numbers are unique per create org only). */
  findAllByNumber(number: string): R[] {
    const found: R[] = [];
    const hit = this.byNumber.get(number.toLowerCase());
    for (const id of hit === undefined ? [] : typeof hit === 'number' ? [hit] : hit) {
      const record = this.byId.get(id);
      if (record) found.push(record);
    }
    return found.sort((a, b) => a.id - b.id);
  }

  insert(record: R): void {
    this.byId.set(record.id, record);
    this.index(record);
    const last = this.ids[this.ids.length - 1];
    if (last !== undefined && last > record.id) this.idsDirty = true;
    this.ids.push(record.id);
    this.numberOrder = null;
  }

  renumber(record: R, number: string): void {
    this.unindex(record);
    record.number = number;
    this.index(record);
    this.numberOrder = null;
  }

  remove(record: R): void {
    this.byId.delete(record.id);
    this.unindex(record);
    this.ids = this.ids.filter((id) => id !== record.id);
    this.numberOrder = null;
  }

  /** Ids ascending. */
  idOrder(): readonly number[] {
    if (this.idsDirty) {
      this.ids.sort((a, b) => a - b);
      this.idsDirty = false;
    }
    return this.ids;
  }

  /** Ids ordered by number (case-insensitive), ties by id. */
  numberOrdering(): readonly number[] {
    this.numberOrder ??= [...this.idOrder()]
      .map((id) => ({ id, number: this.byId.get(id)?.number.toLowerCase() ?? '' }))
      .sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : a.id - b.id))
      .map((entry) => entry.id);
    return this.numberOrder;
  }

  values(): IterableIterator<R> {
    return this.byId.values();
  }

  private index(record: R): void {
    this.byKey.set(FormTable.key(record.createOrgId, record.number), record.id);
    const lower = record.number.toLowerCase();
    const hit = this.byNumber.get(lower);
    if (hit === undefined) this.byNumber.set(lower, record.id);
    else if (typeof hit === 'number') this.byNumber.set(lower, [hit, record.id]);
    else hit.push(record.id);
  }

  private unindex(record: R): void {
    this.byKey.delete(FormTable.key(record.createOrgId, record.number));
    const lower = record.number.toLowerCase();
    const hit = this.byNumber.get(lower);
    if (typeof hit === 'number' || (Array.isArray(hit) && hit.length <= 1)) this.byNumber.delete(lower);
    else if (hit)
      this.byNumber.set(
        lower,
        hit.filter((id) => id !== record.id),
      );
  }
}
