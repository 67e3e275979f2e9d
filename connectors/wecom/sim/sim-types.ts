import type { ExtattrItem } from '../api/user-schemas.js';

/** A member as the simulator stores it; `user/get` renders it into WeCom's answer shape. */
export interface SimUser {
  userid: string;
  name: string;
  alias?: string;
  mobile?: string;
  position?: string;
  /** "0" undefined, "1" male, "2" female (读取成员 `gender`). */
  gender: string;
  email?: string;
  biz_mail?: string;
  department: number[];
  order: number[];
  is_leader_in_dept: number[];
  direct_leader: string[];
  enabled: boolean;
  /** Has the member activated WeCom? Decides `status` 1 vs 4, and makes `mobile` theirs to change. */
  activated: boolean;
  telephone?: string;
  address?: string;
  main_department: number;
  extattr: ExtattrItem[];
  external_position?: string;
  external_profile?: Record<string, unknown>;
  avatar_mediaid?: string;
  /** Creation sequence: the order `user/list_id` pages in. */
  seq: number;
}

export interface SimDepartment {
  id: number;
  name: string;
  name_en?: string;
  parentid: number;
  order: number;
}

/** A refusal in WeCom's terms: the errcode and, when it helps, a more specific errmsg. */
export interface Refusal {
  errcode: number;
  errmsg?: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const refuse = <T = never>(errcode: number, errmsg?: string): Outcome<T> => ({
  ok: false,
  refusal: errmsg === undefined ? { errcode } : { errcode, errmsg },
});
