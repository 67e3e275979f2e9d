import { z } from 'zod';
import { envelopeSchema } from './envelope.js';

/** One custom attribute (通讯录管理-成员管理-创建成员, `extattr.attrs`): 0 text, 1 web page, 2 mini program. */
export const extattrItemSchema = z.object({
  type: z.number().int().min(0).max(2),
  name: z.string(),
  /** Older answers put a text attribute's value here as well as in `text.value`. */
  value: z.string().optional(),
  text: z.object({ value: z.string() }).optional(),
  web: z.object({ url: z.string(), title: z.string() }).optional(),
  miniprogram: z
    .object({ appid: z.string(), pagepath: z.string().optional(), title: z.string().optional() })
    .optional(),
});
export type ExtattrItem = z.infer<typeof extattrItemSchema>;

export const extattrSchema = z.object({ attrs: z.array(extattrItemSchema).default([]) });

/** WeCom documents gender as a string ("1"); accept a number too rather than fail a whole read over it. */
const genderSchema = z.union([z.string(), z.number()]).transform(String);

/**
 * A member as `user/get` returns it (通讯录管理-成员管理-读取成员). Fields a secret may not see are simply
 * absent, so everything past userid / department / status is optional. `enable` is not returned: `status`
 * (1 active, 2 disabled, 4 not yet activated, 5 left the company) says whether the account is disabled.
 */
export const userSchema = z.object({
  userid: z.string().min(1),
  name: z.string().optional(),
  department: z.array(z.number().int()).default([]),
  order: z.array(z.number().int()).optional(),
  position: z.string().optional(),
  mobile: z.string().optional(),
  gender: genderSchema.optional(),
  email: z.string().optional(),
  biz_mail: z.string().optional(),
  is_leader_in_dept: z.array(z.number().int()).optional(),
  direct_leader: z.array(z.string()).optional(),
  avatar: z.string().optional(),
  thumb_avatar: z.string().optional(),
  telephone: z.string().optional(),
  alias: z.string().optional(),
  address: z.string().optional(),
  open_userid: z.string().optional(),
  main_department: z.number().int().optional(),
  extattr: extattrSchema.optional(),
  status: z.number().int(),
  qr_code: z.string().optional(),
  external_position: z.string().optional(),
  external_profile: z.record(z.string(), z.unknown()).optional(),
});
export type WeComUser = z.infer<typeof userSchema>;

/** `status` values (读取成员). */
export const UserStatus = { active: 1, disabled: 2, notActivated: 4, left: 5 } as const;

export const getUserResponseSchema = envelopeSchema.extend(userSchema.shape);

/** GET /cgi-bin/user/list?department_id= (通讯录管理-成员管理-获取部门成员详情): the department's own members. */
export const listUsersResponseSchema = envelopeSchema.extend({ userlist: z.array(userSchema).default([]) });

/** POST /cgi-bin/user/list_id (通讯录管理-成员管理-获取成员ID列表): one row per (member, department). */
export const listIdResponseSchema = envelopeSchema.extend({
  next_cursor: z.string().optional(),
  dept_user: z.array(z.object({ userid: z.string().min(1), department: z.number().int() })).default([]),
});
export type ListIdResponse = z.infer<typeof listIdResponseSchema>;

/** user/getuserid and user/get_userid_by_email (手机号获取userid / 邮箱获取userid). */
export const useridLookupResponseSchema = envelopeSchema.extend({ userid: z.string().min(1) });

/**
 * The body of user/create and user/update as this connector sends it: the documented fields only
 * (创建成员 / 更新成员). On update every field but `userid` is optional and an absent field is left unchanged.
 */
export interface UserPayload {
  userid: string;
  name?: string;
  alias?: string;
  mobile?: string;
  department?: number[];
  order?: number[];
  position?: string;
  gender?: string;
  email?: string;
  biz_mail?: string;
  is_leader_in_dept?: number[];
  direct_leader?: string[];
  enable?: 0 | 1;
  telephone?: string;
  address?: string;
  main_department?: number;
  extattr?: { attrs: ExtattrItem[] };
  to_invite?: boolean;
  external_position?: string;
}
