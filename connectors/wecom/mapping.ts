import { createHash } from 'node:crypto';
import type { AccountInput, DepartmentInput, SourceDepartment, TargetAccount } from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import type { DepartmentPayload, WeComDepartment } from './api/department-schemas.js';
import {
  extattrSchema,
  UserStatus,
  type ExtattrItem,
  type UserPayload,
  type WeComUser,
} from './api/user-schemas.js';
import { isValidUserid, useridFor } from './userid.js';

/** The connection settings that shape the mapping. */
export interface MappingOptions {
  /** The WeCom department Junction's tree hangs under (a DepartmentInput without parent goes here). */
  rootDepartmentId: number;
  /** Which of our keys becomes the WeCom userid. */
  useridFrom: 'correlationId' | 'userName';
  /** Where `AccountInput.email` goes: 邮箱 (`email`) or 企业邮箱 (`biz_mail`). */
  emailField: 'email' | 'biz_mail';
  /** `to_invite` on create: WeCom sends the member an invitation. */
  invite: boolean;
}

/** Custom attributes (`extattr`) travel as flat text attributes named `extattr.<name>`. */
export const EXTATTR_PREFIX = 'extattr.';

const STRING_FIELDS = [
  'alias',
  'mobile',
  'position',
  'gender',
  'telephone',
  'address',
  'external_position',
  'email',
  'biz_mail',
] as const;
type StringField = (typeof STRING_FIELDS)[number];
const NUMBER_LIST_FIELDS = ['order', 'is_leader_in_dept'] as const;
const WRITABLE = new Set<string>([
  ...STRING_FIELDS,
  ...NUMBER_LIST_FIELDS,
  'direct_leader',
  'main_department',
  'extattr',
]);

/** The userid Junction uses for an account input (stable across retries and runs). */
export function useridOf(
  input: Pick<AccountInput, 'correlationId' | 'userName'>,
  options: MappingOptions,
): string {
  return useridFor(options.useridFrom === 'userName' ? input.userName : input.correlationId);
}

/**
 * The user/create or user/update body for an account (通讯录管理-成员管理-创建成员 / 更新成员). On create, absent
 * values are left out; on update, a mapped attribute that became null is sent empty, which clears it.
 * Throws `invalid_config` for an attribute WeCom has no field for, and a non-retryable `vendor_error` naming the
 * field for a value WeCom would refuse — before anything is written.
 */
export function userPayload(
  input: AccountInput,
  options: MappingOptions,
  mode: 'create' | 'update',
  userid = useridOf(input, options),
): UserPayload {
  const payload: UserPayload = { userid, name: input.displayName, enable: input.active ? 1 : 0 };
  if (input.email) payload[options.emailField] = input.email;
  else if (mode === 'update' && input.email === null) payload[options.emailField] = '';
  const departments = input.departmentExternalIds;
  if (departments && departments.length > 0) payload.department = departments.map(departmentIdOf);
  else if (mode === 'create') payload.department = [options.rootDepartmentId];
  if (mode === 'create' && !options.invite) payload.to_invite = false;

  const attrs: ExtattrItem[] = [];
  for (const [key, value] of Object.entries(input.attributes)) {
    if (key.startsWith(EXTATTR_PREFIX)) {
      const name = key.slice(EXTATTR_PREFIX.length);
      if (value === null || value === undefined) {
        if (mode === 'update') attrs.push({ type: 0, name, text: { value: '' } });
      } else {
        attrs.push({ type: 0, name, text: { value: String(value) } });
      }
      continue;
    }
    if (!WRITABLE.has(key)) {
      throw new ConnectorError('invalid_config', {
        message: `the mapping writes "${key}", which WeCom members do not have; use one of ${[...WRITABLE].join(', ')} or ${EXTATTR_PREFIX}<custom attribute>`,
      });
    }
    if (key === options.emailField) continue;
    setAttribute(payload, key, value, mode);
  }
  if (attrs.length > 0) payload.extattr = { attrs: [...(payload.extattr?.attrs ?? []), ...attrs] };
  checkUserPayload(payload, mode);
  return payload;
}

function setAttribute(payload: UserPayload, key: string, value: unknown, mode: 'create' | 'update'): void {
  if (value === null || value === undefined) {
    if (mode === 'update' && (STRING_FIELDS as readonly string[]).includes(key))
      payload[key as StringField] = '';
    return;
  }
  if ((STRING_FIELDS as readonly string[]).includes(key)) {
    payload[key as StringField] = String(value);
  } else if (key === 'main_department') {
    payload.main_department = integerOf(value, key);
  } else if (key === 'order' || key === 'is_leader_in_dept') {
    payload[key] = listOf(value, key).map((item) =>
      typeof item === 'boolean' ? Number(item) : integerOf(item, key),
    );
  } else if (key === 'direct_leader') {
    payload.direct_leader = listOf(value, key).map(String);
  } else if (key === 'extattr') {
    payload.extattr = { attrs: extattrListOf(value) };
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const chars = (value: string): number => [...value].length;

/** The documented limits of 创建成员, checked before the call so a bad record fails with a clear reason. */
function checkUserPayload(payload: UserPayload, mode: 'create' | 'update'): void {
  const problems: string[] = [];
  if (!isValidUserid(payload.userid))
    problems.push(`userid "${payload.userid}" is not 1–64 letters, digits or _-@.`);
  const name = payload.name ?? '';
  if (chars(name) < 1 || chars(name) > 64) problems.push('name must be 1–64 characters');
  for (const field of ['email', 'biz_mail'] as const) {
    const value = payload[field];
    if (value && (Buffer.byteLength(value) < 6 || Buffer.byteLength(value) > 64 || !EMAIL.test(value))) {
      problems.push(`${field} "${value}" is not a valid address of 6–64 bytes`);
    }
  }
  if (mode === 'create' && !payload.mobile && !payload.email) {
    problems.push('WeCom needs a mobile or an email (邮箱) for every member');
  }
  const count = payload.department?.length ?? 0;
  if (count > 100) problems.push('a member may be in at most 100 departments');
  for (const field of NUMBER_LIST_FIELDS) {
    const list = payload[field];
    if (list && list.length !== count) problems.push(`${field} needs one value per department (${count})`);
  }
  if (payload.gender !== undefined && !['', '0', '1', '2'].includes(payload.gender)) {
    problems.push('gender must be "1" (male) or "2" (female)');
  }
  if (payload.position && chars(payload.position) > 128)
    problems.push('position is longer than 128 characters');
  if (payload.address && chars(payload.address) > 128) problems.push('address is longer than 128 characters');
  if (payload.telephone && !/^[0-9+\-,]{1,32}$/.test(payload.telephone)) {
    problems.push('telephone may hold only digits, "+", "-" and ",", at most 32');
  }
  if ((payload.direct_leader?.length ?? 0) > 5) problems.push('at most 5 direct leaders');
  for (const attr of payload.extattr?.attrs ?? []) {
    if (attr.type === 0 && chars(attr.text?.value ?? '') > 64) {
      problems.push(`custom attribute ${attr.name} is longer than 64 characters`);
    }
  }
  if (problems.length > 0) {
    throw new ConnectorError('vendor_error', {
      message: `WeCom would refuse member ${payload.userid}: ${problems.join('; ')}`,
      retryable: false,
    });
  }
}

/** An account as WeCom holds it, in the vocabulary AccountInput uses (see `userPayload`). */
export function accountOf(user: WeComUser, options: MappingOptions): TargetAccount {
  const attributes: Record<string, unknown> = {};
  if (user.name) attributes.name = user.name;
  for (const field of STRING_FIELDS) {
    const value = user[field];
    if (field !== options.emailField && value !== undefined && value !== '') attributes[field] = value;
  }
  if (user.main_department !== undefined) attributes.main_department = user.main_department;
  if (user.order) attributes.order = user.order;
  if (user.is_leader_in_dept) attributes.is_leader_in_dept = user.is_leader_in_dept;
  if (user.direct_leader && user.direct_leader.length > 0) attributes.direct_leader = user.direct_leader;
  for (const attr of user.extattr?.attrs ?? []) {
    if (attr.type === 0) attributes[`${EXTATTR_PREFIX}${attr.name}`] = attr.text?.value ?? attr.value ?? '';
  }
  attributes.status = user.status;
  const email = user[options.emailField];
  return {
    externalId: user.userid,
    userName: user.userid,
    email: email ? email : null,
    active: user.status === UserStatus.active || user.status === UserStatus.notActivated,
    attributes,
    departmentExternalIds: user.department.map(String),
  };
}

/** 创建部门 `name`: "字符不能包括\:*?"<>｜"; such characters are replaced by their full-width forms. */
const NAME_REPLACEMENTS: Record<string, string> = {
  '\\': '＼',
  ':': '：',
  '*': '＊',
  '?': '？',
  '"': '＂',
  '<': '＜',
  '>': '＞',
  '|': '／',
  '｜': '／',
};

/** 创建部门 / 更新部门: "长度限制为1~32个字符". */
const MAX_DEPARTMENT_NAME = 32;
const NAME_HASH_LENGTH = 4;

/**
 * The name WeCom gets for a department. WeCom refuses names over 32 characters, while HR systems allow longer
 * ones ("Customer Success Infrastructure 2" has 33); refusing would keep the department, and everything under it,
 * out of WeCom or out of place on every run. A longer name keeps its first 27 characters, then "…" and 4 hex
 * characters of a hash of the whole name: the same name always shortens alike (no flapping renames), and two
 * siblings that differ only after the cut still get different names (WeCom refuses equal sibling names).
 */
export function departmentNameOf(name: string): string {
  const cleaned = name.trim().replace(/[\\:*?"<>|｜]/g, (char) => NAME_REPLACEMENTS[char] ?? '_');
  const characters = [...cleaned];
  if (characters.length === 0) {
    throw new ConnectorError('vendor_error', {
      message: `WeCom department names are 1–32 characters; "${name}" has none once trimmed`,
      retryable: false,
    });
  }
  if (characters.length <= MAX_DEPARTMENT_NAME) return cleaned;
  const hash = createHash('sha256').update(cleaned, 'utf8').digest('hex').slice(0, NAME_HASH_LENGTH);
  const kept = characters
    .slice(0, MAX_DEPARTMENT_NAME - NAME_HASH_LENGTH - 1)
    .join('')
    .trimEnd();
  return `${kept}…${hash}`;
}

/** The department/create or department/update body (创建部门 / 更新部门). */
export function departmentPayload(
  input: DepartmentInput,
  id: number,
  options: MappingOptions,
): DepartmentPayload {
  return {
    id,
    name: departmentNameOf(input.name),
    parentid:
      input.parentExternalId === null ? options.rootDepartmentId : departmentIdOf(input.parentExternalId),
    ...(input.order === undefined ? {} : { order: input.order }),
  };
}

/** A WeCom department as Junction reads it; children of the configured root have no parent in our terms. */
export function sourceDepartmentOf(department: WeComDepartment, options: MappingOptions): SourceDepartment {
  return {
    externalId: String(department.id),
    name: department.name ?? String(department.id),
    parentExternalId: department.parentid === options.rootDepartmentId ? null : String(department.parentid),
    code: null,
    costCenter: null,
    managerExternalId: department.department_leader?.[0] ?? null,
  };
}

/** WeCom department ids are 32-bit integers; our external ids carry them as strings. */
export function departmentIdOf(externalId: string): number {
  const id = Number(externalId);
  if (!/^\d+$/.test(externalId) || !Number.isSafeInteger(id) || id < 1 || id > 2 ** 32 - 1) {
    throw new ConnectorError('invalid_config', {
      message: `"${externalId}" is not a WeCom department id (a positive integer)`,
    });
  }
  return id;
}

function integerOf(value: unknown, field: string): number {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 0) {
    throw new ConnectorError('vendor_error', {
      message: `WeCom ${field} takes whole numbers; got ${JSON.stringify(value)}`,
      retryable: false,
    });
  }
  return number;
}

function listOf(value: unknown, field: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new ConnectorError('vendor_error', {
    message: `WeCom ${field} takes a list; got ${JSON.stringify(value)}`,
    retryable: false,
  });
}

function extattrListOf(value: unknown): ExtattrItem[] {
  const parsed = extattrSchema.safeParse(value);
  if (!parsed.success) {
    throw new ConnectorError('vendor_error', {
      message: 'WeCom extattr takes { attrs: [{ type, name, text | web }] }',
      retryable: false,
    });
  }
  return parsed.data.attrs;
}
