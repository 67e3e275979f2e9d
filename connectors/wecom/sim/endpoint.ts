import type { DepartmentTree } from './department-tree.js';
import type { MemberStore } from './member-store.js';
import type { Refusal } from './sim-types.js';

/** What an endpoint sees of the corp. */
export interface CorpState {
  tree: DepartmentTree;
  members: MemberStore;
}

export interface EndpointRequest {
  query: Record<string, string | undefined>;
  body: Record<string, unknown>;
  /** Set when a body field had the wrong JSON type and was dropped (see lenient-body.ts). */
  wrongFormat?: boolean;
}

/** A success: the endpoint's fields (errcode 0 is added) and the errmsg WeCom sends for it. */
export interface Success {
  fields: Record<string, unknown>;
  errmsg: string;
}

export type Answer = Success | Refusal;

export const answer = (fields: Record<string, unknown> = {}, errmsg = 'ok'): Success => ({ fields, errmsg });

export function isRefusal(value: Answer): value is Refusal {
  return 'errcode' in value;
}

/**
 * One WeCom API the simulator serves. `write` marks the APIs only the Contacts Sync secret with API editing may
 * call ("仅通讯录同步助手或第三方通讯录应用可调用"); `contactsOnly` the reads that also need that secret.
 */
export interface Endpoint {
  method: 'GET' | 'POST';
  /** Below /cgi-bin. */
  path: string;
  write?: boolean;
  contactsOnly?: boolean;
  /**
   * The full-list APIs closed to IPs added to 通讯录同步 after 2022-08-15 (获取部门成员 / 获取部门成员详情 /
   * 获取部门列表: "新增IP将不能再调用此接口"), answered 48002 when the simulator plays such a corp.
   */
  legacyList?: boolean;
  handle(corp: CorpState, request: EndpointRequest): Answer;
}
