import { Errcode } from '../api/errcodes.js';
import type { ExtattrItem } from '../api/user-schemas.js';
import { useridKey } from '../userid.js';
import type { DepartmentTree } from './department-tree.js';
import { ok, refuse, type Outcome, type SimUser } from './sim-types.js';
import type { UserBody } from './user-rules.js';

export interface MemberStoreOptions {
  /** Custom attribute names defined in the admin console; WeCom ignores values for any other name. */
  extattrNames: ReadonlySet<string>;
  /** Is 企业邮箱 enabled for the corp? `biz_mail` is only honoured when it is. */
  bizMail: boolean;
}

export interface ListIdRow {
  userid: string;
  department: number;
}

/**
 * The members of one simulated corp with the indexes WeCom's uniqueness rules need (userid ignoring case,
 * mobile, email) and the creation order `user/list_id` pages through.
 */
export class MemberStore {
  private readonly byKey = new Map<string, SimUser>();
  /** Members in creation order, for cursor paging; kept sorted by `seq`. */
  private readonly ordered: SimUser[] = [];
  private readonly byEmail = new Map<string, string>();
  private readonly byBizMail = new Map<string, string>();
  private readonly byMobile = new Map<string, string>();
  private readonly members = new Map<number, Set<string>>();
  private seq = 0;

  constructor(
    private readonly tree: () => DepartmentTree,
    private readonly options: MemberStoreOptions,
  ) {}

  get size(): number {
    return this.byKey.size;
  }

  get(userid: string): SimUser | undefined {
    return this.byKey.get(useridKey(userid));
  }

  all(): readonly SimUser[] {
    return this.ordered;
  }

  memberCount(departmentId: number): number {
    return this.members.get(departmentId)?.size ?? 0;
  }

  membersOf(departmentId: number): SimUser[] {
    const out: SimUser[] = [];
    for (const key of this.members.get(departmentId) ?? []) {
      const user = this.byKey.get(key);
      if (user) out.push(user);
    }
    return out;
  }

  findByEmail(email: string, bizMail: boolean): SimUser | undefined {
    const key = (bizMail ? this.byBizMail : this.byEmail).get(email.toLowerCase());
    return key === undefined ? undefined : this.byKey.get(key);
  }

  findByMobile(mobile: string): SimUser | undefined {
    const key = this.byMobile.get(normaliseMobile(mobile));
    return key === undefined ? undefined : this.byKey.get(key);
  }

  /**
   * 创建成员. Uniqueness is checked in the order WeCom reports it: a duplicate mobile or email is reported
   * before a duplicate userid, even when the existing member is the same one (a retried create).
   */
  create(body: UserBody & { userid: string; name: string; department: number[] }): Outcome<SimUser> {
    const departments = this.checkDepartmentsExist(body.department);
    if (departments) return departments;
    const leaders = this.checkLeaders(body.direct_leader);
    if (leaders) return leaders;
    if (body.mobile && this.byMobile.has(normaliseMobile(body.mobile))) return refuse(Errcode.mobileExists);
    if (body.email && this.byEmail.has(body.email.toLowerCase())) return refuse(Errcode.emailExists);
    const bizMail = this.options.bizMail ? body.biz_mail : undefined;
    if (bizMail && this.byBizMail.has(bizMail.toLowerCase())) {
      return refuse(Errcode.emailExists, 'biz_mail existed');
    }
    const key = useridKey(body.userid);
    if (this.byKey.has(key)) return refuse(Errcode.useridExists);
    const count = body.department.length;
    this.seq += 1;
    const user: SimUser = {
      userid: body.userid,
      name: body.name,
      gender: body.gender ?? '0',
      department: [...body.department],
      order: body.order ? [...body.order] : new Array<number>(count).fill(0),
      is_leader_in_dept: body.is_leader_in_dept
        ? [...body.is_leader_in_dept]
        : new Array<number>(count).fill(0),
      direct_leader: body.direct_leader ? [...body.direct_leader] : [],
      enabled: body.enable !== 0,
      activated: false,
      main_department: body.main_department ?? body.department[0] ?? 1,
      extattr: this.keepKnownAttrs([], body.extattr?.attrs),
      seq: this.seq,
      ...pickStrings(body),
      ...(bizMail ? { biz_mail: bizMail } : {}),
      ...(body.external_profile ? { external_profile: body.external_profile } : {}),
    };
    this.byKey.set(key, user);
    this.ordered.push(user);
    this.index(user);
    return ok(user);
  }

  /** 更新成员: absent fields stay as they are. */
  update(body: UserBody & { userid: string }): Outcome<SimUser> {
    const user = this.get(body.userid);
    if (!user) return refuse(Errcode.useridNotFound);
    if (body.department) {
      const departments = this.checkDepartmentsExist(body.department);
      if (departments) return departments;
    }
    const leaders = this.checkLeaders(body.direct_leader);
    if (leaders) return leaders;
    const key = useridKey(user.userid);
    // "若成员已激活企业微信，则需成员自行修改（此情况下该参数被忽略，但不会报错）"
    const mobile = user.activated ? undefined : body.mobile;
    if (mobile && this.owner(this.byMobile, normaliseMobile(mobile), key))
      return refuse(Errcode.mobileExists);
    if (body.email && this.owner(this.byEmail, body.email.toLowerCase(), key))
      return refuse(Errcode.emailExists);
    const bizMail = this.options.bizMail ? body.biz_mail : undefined;
    if (bizMail && this.owner(this.byBizMail, bizMail.toLowerCase(), key)) {
      return refuse(Errcode.emailExists, 'biz_mail existed');
    }
    const nextMobile = mobile ?? user.mobile;
    const nextEmail = body.email ?? user.email;
    if (!nextMobile && !nextEmail) return refuse(Errcode.mobileAndEmailEmpty);

    this.unindex(user);
    if (body.department) {
      const count = body.department.length;
      user.department = [...body.department];
      user.order = body.order ? [...body.order] : new Array<number>(count).fill(0);
      user.is_leader_in_dept = body.is_leader_in_dept
        ? [...body.is_leader_in_dept]
        : new Array<number>(count).fill(0);
      if (!user.department.includes(user.main_department)) user.main_department = user.department[0] ?? 1;
    }
    if (body.main_department !== undefined) user.main_department = body.main_department;
    if (body.name !== undefined) user.name = body.name;
    if (body.gender !== undefined) user.gender = body.gender;
    if (body.direct_leader !== undefined) user.direct_leader = [...body.direct_leader];
    if (body.enable !== undefined) user.enabled = body.enable === 1;
    if (body.extattr) user.extattr = this.keepKnownAttrs(user.extattr, body.extattr.attrs);
    if (body.external_profile) user.external_profile = body.external_profile;
    Object.assign(user, pickStrings({ ...body, mobile }));
    if (bizMail !== undefined) user.biz_mail = bizMail;
    // An empty string clears the field.
    if (user.mobile === '') delete user.mobile;
    if (user.email === '') delete user.email;
    if (user.biz_mail === '') delete user.biz_mail;
    this.index(user);
    return ok(user);
  }

  delete(userid: string): Outcome<void> {
    const user = this.get(userid);
    if (!user) return refuse(Errcode.useridNotFound);
    this.remove(user);
    return ok(undefined);
  }

  /** 批量删除成员: at most 200; "若存在无效UserID，直接返回错误" — nothing is deleted then. */
  batchDelete(userids: string[]): Outcome<void> {
    if (userids.length === 0 || userids.length > 200) return refuse(Errcode.invalidUseridListLength);
    const users = new Set<SimUser>();
    for (const userid of userids) {
      const user = this.get(userid);
      if (!user) return refuse(Errcode.invalidUseridList);
      users.add(user);
    }
    for (const user of users) this.remove(user);
    return ok(undefined);
  }

  /** Simulates a member accepting the invitation (status 4 → 1). */
  activate(userid: string): boolean {
    const user = this.get(userid);
    if (!user) return false;
    user.activated = true;
    return true;
  }

  /**
   * One page of 获取成员ID列表: rows of (userid, department), a member in several departments giving several
   * rows, in creation order. The cursor names the next row, so members added or removed meanwhile do not shift
   * the rows still to come.
   */
  listIdPage(cursor: string | undefined, limit: number): Outcome<{ rows: ListIdRow[]; nextCursor?: string }> {
    let position = { seq: 0, index: 0 };
    if (cursor !== undefined && cursor !== '') {
      const decoded = decodeCursor(cursor);
      if (!decoded) return refuse(Errcode.invalidCursor);
      position = decoded;
    }
    let at = this.firstAtOrAfter(position.seq);
    let index = this.ordered[at]?.seq === position.seq ? position.index : 0;
    const rows: ListIdRow[] = [];
    for (let user = this.ordered[at]; user && rows.length < limit; user = this.ordered[at]) {
      for (const department of user.department.slice(index, index + limit - rows.length)) {
        rows.push({ userid: user.userid, department });
        index += 1;
      }
      if (index >= user.department.length) {
        at += 1;
        index = 0;
      }
    }
    const next = this.ordered[at];
    return ok(next ? { rows, nextCursor: encodeCursor(next.seq, index) } : { rows });
  }

  private remove(user: SimUser): void {
    this.unindex(user);
    this.byKey.delete(useridKey(user.userid));
    const at = this.firstAtOrAfter(user.seq);
    if (this.ordered[at] === user) this.ordered.splice(at, 1);
  }

  private firstAtOrAfter(seq: number): number {
    let low = 0;
    let high = this.ordered.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.ordered[middle]?.seq ?? Infinity) < seq) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private index(user: SimUser): void {
    const key = useridKey(user.userid);
    if (user.mobile) this.byMobile.set(normaliseMobile(user.mobile), key);
    if (user.email) this.byEmail.set(user.email.toLowerCase(), key);
    if (user.biz_mail) this.byBizMail.set(user.biz_mail.toLowerCase(), key);
    for (const id of user.department) {
      let set = this.members.get(id);
      if (!set) this.members.set(id, (set = new Set()));
      set.add(key);
    }
  }

  private unindex(user: SimUser): void {
    const key = useridKey(user.userid);
    if (user.mobile) this.byMobile.delete(normaliseMobile(user.mobile));
    if (user.email) this.byEmail.delete(user.email.toLowerCase());
    if (user.biz_mail) this.byBizMail.delete(user.biz_mail.toLowerCase());
    for (const id of user.department) this.members.get(id)?.delete(key);
  }

  private owner(index: Map<string, string>, value: string, self: string): boolean {
    const key = index.get(value);
    return key !== undefined && key !== self;
  }

  private checkDepartmentsExist(departments: number[]): Outcome<never> | undefined {
    const tree = this.tree();
    const missing = departments.find((id) => !tree.has(id));
    return missing === undefined
      ? undefined
      : refuse(Errcode.departmentNotFound, `department not found: ${missing}`);
  }

  private checkLeaders(leaders: string[] | undefined): Outcome<never> | undefined {
    const missing = leaders?.find((userid) => !this.get(userid));
    return missing === undefined
      ? undefined
      : refuse(Errcode.useridNotFound, `direct_leader userid not found: ${missing}`);
  }

  /** "自定义字段需要先在WEB管理端添加…否则忽略未知属性的赋值": values for undefined names are dropped. */
  private keepKnownAttrs(current: ExtattrItem[], incoming: ExtattrItem[] | undefined): ExtattrItem[] {
    const merged = new Map(current.map((attr) => [attr.name, attr]));
    for (const attr of incoming ?? []) {
      if (!this.options.extattrNames.has(attr.name)) continue;
      const cleared = attr.type === 1 && attr.web?.url === '' && attr.web.title === '';
      if (cleared) merged.delete(attr.name);
      else merged.set(attr.name, normaliseAttr(attr));
    }
    return [...merged.values()];
  }
}

const STRING_FIELDS = [
  'alias',
  'mobile',
  'position',
  'email',
  'telephone',
  'address',
  'external_position',
  'avatar_mediaid',
] as const;

function pickStrings(body: UserBody): Partial<Pick<SimUser, (typeof STRING_FIELDS)[number]>> {
  const out: Partial<Pick<SimUser, (typeof STRING_FIELDS)[number]>> = {};
  for (const field of STRING_FIELDS) {
    const value = body[field];
    if (value !== undefined) out[field] = value;
  }
  return out;
}

function normaliseAttr(attr: ExtattrItem): ExtattrItem {
  if (attr.type === 0) {
    const value = attr.text?.value ?? attr.value ?? '';
    return { type: 0, name: attr.name, value, text: { value } };
  }
  return attr;
}

function normaliseMobile(mobile: string): string {
  return mobile.replace(/[\s-]/g, '');
}

const CURSOR_PREFIX = 'wwc1';

function encodeCursor(seq: number, index: number): string {
  return CURSOR_PREFIX + Buffer.from(`${seq}.${index}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { seq: number; index: number } | undefined {
  if (!cursor.startsWith(CURSOR_PREFIX)) return undefined;
  const match = /^(\d+)\.(\d+)$/.exec(
    Buffer.from(cursor.slice(CURSOR_PREFIX.length), 'base64url').toString(),
  );
  return match ? { seq: Number(match[1]), index: Number(match[2]) } : undefined;
}
