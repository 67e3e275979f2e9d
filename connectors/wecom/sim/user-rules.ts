import { z } from 'zod';
import { Errcode } from '../api/errcodes.js';
import { extattrItemSchema } from '../api/user-schemas.js';
import { isValidUserid } from '../userid.js';
import type { Refusal } from './sim-types.js';

/**
 * The member body of user/create and user/update as WeCom types it (创建成员 / 更新成员). Unknown fields are
 * dropped, as WeCom ignores them; a known field of the wrong JSON type is refused the way WeCom reports a
 * malformed field ("Warning: wrong json format.").
 */
export const userBodySchema = z.object({
  userid: z.string().optional(),
  name: z.string().optional(),
  alias: z.string().optional(),
  mobile: z.string().optional(),
  department: z.array(z.number().int()).optional(),
  order: z.array(z.number().int()).optional(),
  position: z.string().optional(),
  gender: z.string().optional(),
  email: z.string().optional(),
  biz_mail: z.string().optional(),
  is_leader_in_dept: z.array(z.number().int()).optional(),
  direct_leader: z.array(z.string()).optional(),
  enable: z.number().int().optional(),
  avatar_mediaid: z.string().optional(),
  telephone: z.string().optional(),
  address: z.string().optional(),
  main_department: z.number().int().optional(),
  extattr: z.object({ attrs: z.array(extattrItemSchema) }).optional(),
  to_invite: z.boolean().optional(),
  external_position: z.string().optional(),
  external_profile: z.record(z.string(), z.unknown()).optional(),
});
export type UserBody = z.infer<typeof userBodySchema>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MOBILE = /^\+?[0-9][0-9 -]{3,30}[0-9]$/;
const TELEPHONE = /^[0-9+\-,]{1,32}$/;
const UINT32_LIMIT = 2 ** 32;

const chars = (value: string): number => [...value].length;
const bytes = (value: string): number => Buffer.byteLength(value, 'utf8');
const bad = (errmsg: string): Refusal => ({ errcode: Errcode.invalidParameter, errmsg: `invalid ${errmsg}` });

/** Field-level checks, before the store looks at existence and uniqueness. */
export function checkUserBody(body: UserBody, mode: 'create' | 'update'): Refusal | undefined {
  if (body.userid === undefined || body.userid === '') return { errcode: Errcode.missingUserid };
  if (mode === 'create' && !isValidUserid(body.userid)) return { errcode: Errcode.invalidUserid };
  if (mode === 'create' || body.name !== undefined) {
    const name = body.name ?? '';
    if (chars(name) < 1 || chars(name) > 64) return { errcode: Errcode.invalidName };
  }
  if (body.alias !== undefined && body.alias !== '' && chars(body.alias) > 64) return bad('alias');
  if (body.mobile !== undefined && body.mobile !== '' && !MOBILE.test(body.mobile)) {
    return { errcode: Errcode.invalidMobile };
  }
  if (body.email !== undefined && body.email !== '') {
    if (bytes(body.email) < 6 || bytes(body.email) > 64 || !EMAIL.test(body.email)) {
      return { errcode: Errcode.invalidEmail };
    }
  }
  if (body.biz_mail !== undefined && body.biz_mail !== '') {
    if (bytes(body.biz_mail) < 6 || bytes(body.biz_mail) > 64 || !EMAIL.test(body.biz_mail)) {
      return { errcode: Errcode.invalidEmail, errmsg: 'invalid biz_mail' };
    }
  }
  if (mode === 'create' && !body.mobile && !body.email) return { errcode: Errcode.mobileAndEmailEmpty };
  const departmentCheck = checkDepartments(body, mode);
  if (departmentCheck) return departmentCheck;
  if (body.position !== undefined && chars(body.position) > 128) return bad('position');
  if (body.gender !== undefined && !['0', '1', '2'].includes(body.gender)) return bad('gender');
  if (body.enable !== undefined && body.enable !== 0 && body.enable !== 1) return bad('enable');
  if (body.telephone !== undefined && body.telephone !== '' && !TELEPHONE.test(body.telephone)) {
    return bad('telephone');
  }
  if (body.address !== undefined && chars(body.address) > 128) return bad('address');
  if (body.external_position !== undefined && chars(body.external_position) > 12) {
    return bad('external_position');
  }
  if (body.direct_leader !== undefined && body.direct_leader.length > 5) return bad('direct_leader size');
  return checkExtattr(body);
}

function checkDepartments(body: UserBody, mode: 'create' | 'update'): Refusal | undefined {
  const departments = body.department;
  if (departments === undefined || departments.length === 0) {
    if (mode === 'create') return { errcode: Errcode.missingDepartment };
    if (body.order !== undefined || body.is_leader_in_dept !== undefined)
      return bad('order without department');
    return undefined;
  }
  if (departments.length > 100) return { errcode: Errcode.tooManyDepartments };
  if (new Set(departments).size !== departments.length) return bad('department, repeated id');
  if (body.order !== undefined) {
    if (body.order.length !== departments.length) return bad('order size');
    if (body.order.some((value) => value < 0 || value >= UINT32_LIMIT)) return bad('order value');
  }
  if (body.is_leader_in_dept !== undefined) {
    if (body.is_leader_in_dept.length !== departments.length) return { errcode: Errcode.leaderCountMismatch };
    if (body.is_leader_in_dept.some((value) => value !== 0 && value !== 1)) return bad('is_leader_in_dept');
  }
  if (body.main_department !== undefined && !departments.includes(body.main_department)) {
    return bad('main_department');
  }
  return undefined;
}

/** 创建成员 `extattr`: a text attribute has `text.value` (≤ 64 chars); a web one has `web.url` and `web.title`. */
function checkExtattr(body: UserBody): Refusal | undefined {
  for (const attr of body.extattr?.attrs ?? []) {
    if (attr.type === 0) {
      const value = attr.text?.value ?? attr.value;
      if (value === undefined || chars(value) > 64) return bad(`extattr ${attr.name}`);
    } else if (attr.type === 1) {
      const web = attr.web;
      if (!web || (web.url === '') !== (web.title === '')) return bad(`extattr ${attr.name}`);
      if (web.url !== '' && !/^https?:\/\//.test(web.url)) return bad(`extattr ${attr.name} url`);
      if (chars(web.title) > 12) return bad(`extattr ${attr.name} title`);
    }
  }
  return undefined;
}
