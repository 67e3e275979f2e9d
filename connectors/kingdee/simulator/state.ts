import type { Lookups } from './fields.js';
import {
  FormTable,
  type AnyRecord,
  type DepartmentRecord,
  type EmployeeRecord,
  type KingdeeFormId,
  type Organization,
} from './records.js';
import { SessionStore, type Session } from './sessions.js';

/** Operations a user can be granted per form, named as Kingdee's permission items are. */
export type PermissionOp =
  'View' | 'Save' | 'Submit' | 'Audit' | 'UnAudit' | 'CancelAssign' | 'Forbid' | 'Enable' | 'Delete';

export const OP_LABEL: Record<PermissionOp, string> = {
  View: '查看',
  Save: '保存',
  Submit: '提交',
  Audit: '审核',
  UnAudit: '反审核',
  CancelAssign: '撤销',
  Forbid: '禁用',
  Enable: '反禁用',
  Delete: '删除',
};

export const FORM_LABEL: Record<KingdeeFormId, string> = { BD_Empinfo: '员工', BD_Department: '部门' };

export interface SimulatorUser {
  userName: string;
  password: string;
  /** 'all', or grants such as 'BD_Empinfo:View'. */
  permissions: 'all' | `${KingdeeFormId}:${PermissionOp}`[];
  /** The organisation a login lands in (its default 当前组织); the first organisation when absent. */
  orgNumber?: string;
}

/** A 第三方系统登录授权 entry: an app id and secret bound to one integration user. */
export interface SimulatorApp {
  appId: string;
  appSecret: string;
  userName: string;
}

export interface KingdeeStateOptions {
  acctId: string;
  dataCenterName?: string;
  organizations?: Organization[];
  users: SimulatorUser[];
  apps?: SimulatorApp[];
  /** Session lifetime from login, read at each login (the fault knob `tokenTtlSeconds` changes it at run time). */
  sessionTtlSeconds?: () => number;
  /** How far a LoginBySign timestamp may be from the server clock. */
  signatureWindowSeconds?: number;
  now?: () => number;
}

/** Everything the simulated data centre holds: organisations, users, sessions and the two forms' tables. */
export class KingdeeState {
  readonly acctId: string;
  readonly dataCenterName: string;
  readonly organizations: Organization[];
  /** Where logins land and records go when a request names no organisation. */
  readonly defaultOrganization: Organization;
  readonly users: SimulatorUser[];
  readonly apps: SimulatorApp[];
  readonly employees = new FormTable<EmployeeRecord>();
  readonly departments = new FormTable<DepartmentRecord>();
  readonly sessions: SessionStore;
  readonly now: () => number;
  readonly signatureWindowSeconds: number;
  private nextId = 100_001;
  private nextEntryId = 500_001;

  readonly lookups: Lookups = {
    organization: (id) => this.organizations.find((o) => o.id === id),
    department: (id) => this.departments.get(id),
  };

  constructor(options: KingdeeStateOptions) {
    this.acctId = options.acctId;
    this.dataCenterName = options.dataCenterName ?? 'Junction 模拟账套';
    const organizations = options.organizations ?? [{ id: 1, number: '100', name: '总部' }];
    const [first] = organizations;
    if (!first) throw new Error('a Kingdee data centre needs at least one organisation');
    this.organizations = organizations;
    this.defaultOrganization = first;
    this.users = options.users;
    this.apps = options.apps ?? [];
    this.now = options.now ?? Date.now;
    this.signatureWindowSeconds = options.signatureWindowSeconds ?? 300;
    const ttl = options.sessionTtlSeconds ?? (() => 20 * 60);
    this.sessions = new SessionStore(() => ttl() * 1000, this.now);
  }

  table(formId: KingdeeFormId): FormTable<AnyRecord> {
    return (formId === 'BD_Empinfo' ? this.employees : this.departments) as FormTable<AnyRecord>;
  }

  organizationByNumber(number: string): Organization | undefined {
    const lower = number.toLowerCase();
    return this.organizations.find((o) => o.number.toLowerCase() === lower);
  }

  user(userName: string): SimulatorUser | undefined {
    const lower = userName.toLowerCase();
    return this.users.find((u) => u.userName.toLowerCase() === lower);
  }

  allows(session: Session, formId: KingdeeFormId, op: PermissionOp): boolean {
    const user = this.user(session.userName);
    if (!user) return false;
    return user.permissions === 'all' || user.permissions.includes(`${formId}:${op}`);
  }

  allocateId(): number {
    const id = this.nextId;
    this.nextId += 1;
    return id;
  }

  allocateEntryId(): number {
    const id = this.nextEntryId;
    this.nextEntryId += 1;
    return id;
  }

  /** Kingdee's datetime format: local ISO without zone, e.g. 2024-05-01T10:20:30.123. */
  timestamp(): string {
    return new Date(this.now()).toISOString().slice(0, 23);
  }
}
