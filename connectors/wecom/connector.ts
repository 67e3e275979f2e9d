import type {
  AccountInput,
  CheckReport,
  DepartmentInput,
  Page,
  ReadRequest,
  SourceDepartment,
  TargetAccount,
} from '../kit/contract.js';
import { ConnectorError, isConnectorError } from '../kit/errors.js';
import type { WeComDepartment } from './api/department-schemas.js';
import { Errcode } from './api/errcodes.js';
import { UserStatus, type UserPayload, type WeComUser } from './api/user-schemas.js';
import type { WeComClient } from './client.js';
import { DEPARTMENT_ID_CANDIDATES, departmentIdCandidate } from './department-id.js';
import { mapLimited } from './map-limited.js';
import {
  accountOf,
  departmentIdOf,
  departmentNameOf,
  departmentPayload,
  sourceDepartmentOf,
  userPayload,
  useridOf,
  type MappingOptions,
} from './mapping.js';
import { decodeAccountCursor, decodeDepartmentCursor, encodeCursor } from './page-cursor.js';

export interface WeComConnectorOptions extends MappingOptions {
  corpId: string;
  /** findAccount falls back to 邮箱获取userid when the derived userid finds nobody. */
  matchByEmail: boolean;
  /**
   * How listAccounts reads members: `list_id` (获取成员ID列表, then 读取成员 for each — works for every corp) or
   * `department` (获取部门成员详情 per department: far fewer calls, but closed to IPs added after 2022-08-15).
   */
  memberListing: 'list_id' | 'department';
}

const DEFAULT_PAGE_SIZE = 100;
/** user/get calls in flight while a page of userids is read. */
const PAGE_CONCURRENCY = 8;
const ROOT = 1;
/** What user/create answers when the member it was asked to create may already exist. */
const ALREADY_THERE = new Set<number>([Errcode.useridExists, Errcode.emailExists, Errcode.mobileExists]);

/**
 * WeCom (企业微信) as a target: members (create, update, disable with `enable: 0`, delete) and the department
 * tree (create, rename, move by `parentid`, delete), with reads of both for reconciliation.
 */
export class WeComConnector {
  constructor(
    private readonly client: WeComClient,
    private readonly options: WeComConnectorOptions,
  ) {
    // Capability methods get handed around on their own (page readers, the conformance suite): bind them once.
    const self = this as unknown as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(WeComConnector.prototype)) {
      const method = self[name];
      if (name !== 'constructor' && typeof method === 'function') self[name] = method.bind(this);
    }
  }

  /**
   * Test connection: the credentials (gettoken), the root department (read), the member list (list_id, which
   * only the Contacts Sync secret may call) and, with a no-op update of the root department, the right to edit.
   */
  async check(): Promise<CheckReport> {
    await this.client.authenticate();
    const rootId = this.options.rootDepartmentId;
    const root = await this.client.getDepartment(rootId);
    if (!root) {
      throw new ConnectorError('invalid_config', {
        message: `rootDepartmentId ${rootId} is not a department of corp ${this.options.corpId}; pick an existing department id (1 is the whole company)`,
      });
    }
    await this.client.listUserIds(undefined, 1);
    try {
      await this.client.updateDepartment({ id: rootId });
    } catch (error) {
      const code = isConnectorError(error) ? error.connectorCode : undefined;
      if (code === 'permission_denied' || code === 'auth_failed') throw error;
      // Any other answer to the empty update (a parameter complaint) still shows the call was allowed.
    }
    return {
      ok: true,
      message: `authenticated to WeCom corp ${this.options.corpId}; department ${rootId} "${root.name ?? rootId}" is readable and editable, and the member list can be read`,
      details: { corpId: this.options.corpId, rootDepartment: { id: rootId, name: root.name ?? null } },
    };
  }

  async listAccounts(request: ReadRequest): Promise<Page<TargetAccount>> {
    return this.options.memberListing === 'department'
      ? this.listAccountsByDepartment(request)
      : this.listAccountsById(request);
  }

  /** 获取成员ID列表 page by page, each userid read with 读取成员; members outside the root department are left out. */
  private async listAccountsById(request: ReadRequest): Promise<Page<TargetAccount>> {
    const cursor = request.cursor ? decodeAccountCursor(request.cursor) : undefined;
    const limit = Math.min(10_000, Math.max(1, request.pageSize ?? DEFAULT_PAGE_SIZE));
    const page = await this.client.listUserIds(cursor?.v, limit);
    const inScope = await this.scopeFilter();
    const userids: string[] = [];
    const seen = new Set<string>();
    let leading = true;
    for (const row of page.dept_user) {
      // The member the previous page ended with may have more department rows at the top of this one.
      if (leading && row.userid === cursor?.last) continue;
      leading = false;
      if (seen.has(row.userid)) continue;
      seen.add(row.userid);
      userids.push(row.userid);
    }
    const users = await mapLimited(userids, PAGE_CONCURRENCY, (userid) => this.client.getUser(userid));
    const items = users
      .filter((user): user is WeComUser => user !== null && inScope(user))
      .map((user) => accountOf(user, this.options));
    const last = page.dept_user.at(-1)?.userid ?? cursor?.last;
    return {
      items,
      nextCursor: page.next_cursor ? encodeCursor({ v: page.next_cursor, ...(last ? { last } : {}) }) : null,
    };
  }

  /**
   * 获取部门成员详情 for the departments of the root's subtree in ascending id order, until a page is full. A
   * member in several departments is listed with the first of them (lowest id) in the subtree only, so exactly
   * once; the cursor is the last department read.
   */
  private async listAccountsByDepartment(request: ReadRequest): Promise<Page<TargetAccount>> {
    const after = request.cursor ? decodeDepartmentCursor(request.cursor).after : 0;
    const pageSize = Math.max(1, request.pageSize ?? DEFAULT_PAGE_SIZE);
    const ids = (await this.client.departmentSubtree(this.options.rootDepartmentId))
      .map((department) => department.id)
      .sort((a, b) => a - b);
    const inScope = new Set(ids);
    const items: TargetAccount[] = [];
    let last: number | undefined;
    for (const id of ids) {
      if (id <= after) continue;
      for (const user of await this.client.listDepartmentMembers(id)) {
        const home = Math.min(...user.department.filter((department) => inScope.has(department)));
        if (home === id) items.push(accountOf(user, this.options));
      }
      last = id;
      if (items.length >= pageSize) break;
    }
    const more = last !== undefined && ids.some((id) => id > last);
    return { items, nextCursor: more && last !== undefined ? encodeCursor({ after: last }) : null };
  }

  /** By the userid Junction derives from the account's key; then, when configured, by email (邮箱获取userid). */
  async findAccount(
    input: Pick<AccountInput, 'correlationId' | 'userName' | 'email'>,
  ): Promise<TargetAccount | null> {
    const user = await this.client.getUser(useridOf(input, this.options));
    if (user) return accountOf(user, this.options);
    if (!this.options.matchByEmail || !input.email) return null;
    const userid = await this.client.useridByEmail(
      input.email,
      this.options.emailField === 'biz_mail' ? 1 : 2,
    );
    const byEmail = userid ? await this.client.getUser(userid) : null;
    return byEmail ? accountOf(byEmail, this.options) : null;
  }

  /**
   * 创建成员. Idempotent: when WeCom already has the userid (60102) — or reports the member's email or mobile
   * taken (60106, 60104), which it does first when the same member is created again — the member with this
   * userid is looked up and returned. An email or mobile held by another member stays a conflict.
   */
  async createAccount(input: AccountInput): Promise<TargetAccount> {
    const payload = userPayload(input, this.options, 'create');
    try {
      await this.client.createUser(payload);
    } catch (error) {
      const errcode = isConnectorError(error) ? Number(error.vendorCode) : NaN;
      if (ALREADY_THERE.has(errcode)) {
        const existing = await this.client.getUser(payload.userid);
        if (existing) return accountOf(existing, this.options);
      }
      throw error;
    }
    return accountOf(createdUser(payload), this.options);
  }

  /** 更新成员 with every mapped field (an `active: false` input disables), then the member as WeCom has it. */
  async updateAccount(externalId: string, input: AccountInput): Promise<TargetAccount> {
    await this.client.updateUser(userPayload(input, this.options, 'update', externalId));
    const user = await this.client.getUser(externalId);
    if (!user) throw notFound(externalId);
    return accountOf(user, this.options);
  }

  /** 更新成员 with `enable: 0` ("启用/禁用成员。1表示启用成员，0表示禁用成员"). */
  async disableAccount(externalId: string): Promise<void> {
    await this.client.updateUser({ userid: externalId, enable: 0 });
  }

  /** 删除成员; a member already gone counts as deleted. */
  async deleteAccount(externalId: string): Promise<void> {
    await this.client.deleteUser(externalId);
  }

  /** 获取子部门ID列表 of the root department, then 获取单个部门详情 for each id of the page, ascending. */
  async readDepartments(request: ReadRequest): Promise<Page<SourceDepartment>> {
    const after = request.cursor ? decodeDepartmentCursor(request.cursor).after : 0;
    const pageSize = Math.max(1, request.pageSize ?? DEFAULT_PAGE_SIZE);
    const rootId = this.options.rootDepartmentId;
    const ids = (await this.client.departmentSubtree(rootId))
      .map((department) => department.id)
      .filter((id) => id !== rootId && id > after)
      .sort((a, b) => a - b);
    const pageIds = ids.slice(0, pageSize);
    const departments = await mapLimited(pageIds, PAGE_CONCURRENCY, (id) => this.client.getDepartment(id));
    const last = pageIds.at(-1);
    return {
      items: departments
        .filter((department): department is WeComDepartment => department !== null)
        .map((department) => sourceDepartmentOf(department, this.options)),
      nextCursor: ids.length > pageSize && last !== undefined ? encodeCursor({ after: last }) : null,
    };
  }

  /**
   * Creates or updates a department (a new `parentid` moves it). With the id the engine recorded for it, that
   * department is updated; without one (a first create, or a retry whose answer was lost), the department takes
   * the first of its candidate ids (department-id.ts) that is free or already holds it. "Already holds it" means
   * the same name under the same parent — WeCom refuses equal names among siblings, so no other department can
   * look like that — and a candidate holding any other department is someone else's: it is skipped, never
   * renamed or moved. Nothing is written when WeCom already has the department as asked.
   */
  async upsertDepartment(input: DepartmentInput): Promise<{ externalId: string }> {
    if (input.externalId) {
      const id = departmentIdOf(input.externalId);
      const existing = await this.client.getDepartment(id);
      if (existing) {
        const payload = departmentPayload(input, id, this.options);
        if (differs(existing, payload)) await this.client.updateDepartment(payload);
        return { externalId: String(id) };
      }
      // Deleted in WeCom since it was recorded: placed again like a new department.
    }
    return this.placeDepartment(input);
  }

  /** The candidate walk of `upsertDepartment` for a department without a recorded id. */
  private async placeDepartment(input: DepartmentInput): Promise<{ externalId: string }> {
    /** Set once the name is known to be taken under the parent: later candidates are only searched for ours. */
    let nameTaken: ConnectorError | undefined;
    const skipped: number[] = [];
    for (let attempt = 0; attempt < DEPARTMENT_ID_CANDIDATES; attempt++) {
      const id = departmentIdCandidate(input.correlationId, attempt);
      const payload = departmentPayload(input, id, this.options);
      let existing = await this.client.getDepartment(id);
      if (!existing && !nameTaken) {
        try {
          await this.client.createDepartment(payload);
          return { externalId: String(id) };
        } catch (error) {
          if (!isConnectorError(error) || Number(error.vendorCode) !== Errcode.departmentExists) throw error;
          // 60008 is "部门ID或者部门名称已存在": the id (taken meanwhile) or the name; reading the id tells which.
          existing = await this.client.getDepartment(id);
          if (!existing) nameTaken = error;
        }
      }
      if (existing && holds(existing, payload)) {
        if (differs(existing, payload)) await this.client.updateDepartment(payload);
        return { externalId: String(id) };
      }
      if (existing) skipped.push(id);
    }
    const name = departmentNameOf(input.name);
    const parentid =
      input.parentExternalId === null
        ? this.options.rootDepartmentId
        : departmentIdOf(input.parentExternalId);
    if (nameTaken) throw sameNameExists(name, parentid, nameTaken);
    throw new ConnectorError('conflict', {
      message: `every WeCom department id Junction derives for department ${input.correlationId} ("${name}") is held by another department (${skipped.join(', ')}); delete or renumber those, or report this`,
      vendorCode: Errcode.departmentExists,
      retryable: false,
    });
  }

  /** 删除部门; one already gone counts as deleted. WeCom refuses while members or sub-departments remain. */
  async deleteDepartment(externalId: string): Promise<void> {
    await this.client.deleteDepartment(departmentIdOf(externalId));
  }

  async close(): Promise<void> {
    // Nothing to release: HTTP keep-alive sockets are shared by the process.
  }

  /** Members of the root department's subtree only (all members when the root is the company). */
  private async scopeFilter(): Promise<(user: WeComUser) => boolean> {
    const rootId = this.options.rootDepartmentId;
    if (rootId === ROOT) return () => true;
    const ids = new Set((await this.client.departmentSubtree(rootId)).map((department) => department.id));
    return (user) => user.department.some((id) => ids.has(id));
  }
}

/** The department a candidate id holds is this one: same name under the same parent (unique among siblings). */
function holds(existing: WeComDepartment, payload: { name?: string; parentid?: number }): boolean {
  return existing.name === payload.name && existing.parentid === payload.parentid;
}

function differs(
  existing: WeComDepartment,
  payload: { name?: string; parentid?: number; order?: number },
): boolean {
  return (
    (payload.name !== undefined && existing.name !== payload.name) ||
    (payload.parentid !== undefined && existing.parentid !== payload.parentid) ||
    (payload.order !== undefined && existing.order !== payload.order)
  );
}

/** The member as WeCom holds it right after 创建成员, without reading it back. */
function createdUser(payload: UserPayload): WeComUser {
  const department = payload.department ?? [ROOT];
  const zeros = department.map(() => 0);
  return {
    ...payload,
    department,
    order: payload.order ?? zeros,
    is_leader_in_dept: payload.is_leader_in_dept ?? zeros,
    main_department: payload.main_department ?? department[0] ?? ROOT,
    status: payload.enable === 0 ? UserStatus.disabled : UserStatus.notActivated,
    ...(payload.extattr
      ? {
          extattr: {
            attrs: payload.extattr.attrs.map((attr) =>
              attr.type === 0 ? { ...attr, value: attr.text?.value ?? '' } : attr,
            ),
          },
        }
      : {}),
  };
}

function notFound(userid: string): ConnectorError {
  return new ConnectorError('not_found', { message: `WeCom has no member ${userid}` });
}

function sameNameExists(name: string, parentid: number, cause: ConnectorError): ConnectorError {
  return new ConnectorError('conflict', {
    message: `WeCom already has a department named "${name}" under department ${parentid} that Junction did not create; rename or remove it, or map the source department to another name`,
    vendorCode: Errcode.departmentExists,
    ...(cause.vendorMessage === undefined ? {} : { vendorMessage: cause.vendorMessage }),
    cause,
  });
}
