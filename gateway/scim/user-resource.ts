import type { Person } from '../../core/entities/index.js';
import { getAttr, isObject, readBoolean, readString } from './lenient.js';
import { scimErrors } from './scim-error.js';
import { URN } from './urns.js';

/** Keys under `Person.attributes` that belong to the SCIM representation (the rest are left alone). */
export const SCIM_ATTRIBUTE_KEYS = [
  'userName',
  'nickName',
  'userType',
  'preferredLanguage',
  'locale',
  'timezone',
  'organization',
  'scimDeleted',
] as const;

export interface UserFields {
  userName: string;
  externalId: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string;
  email: string | null;
  phone: string | null;
  jobTitle: string | null;
  active: boolean;
  employeeNumber: string | null;
  costCenter: string | null;
  division: string | null;
  departmentName: string | null;
  managerId: string | null;
  extras: Record<string, string | null>;
  /** Group ids when the client sent `groups` (Okta does on POST/PUT); undefined when it did not. */
  groupIds: string[] | undefined;
}

/** The value of the primary element of a multi-valued attribute, else the `work` one, else the first. */
function primaryValue(list: unknown, attribute: string): string | null {
  if (!Array.isArray(list))
    return list === undefined || list === null ? null : readString(list, attribute, 320);
  const items = list.filter(isObject);
  const primary =
    items.find((i) => readPrimary(getAttr(i, 'primary'))) ??
    items.find((i) => String(getAttr(i, 'type') ?? '').toLowerCase() === 'work') ??
    items[0];
  return primary ? readString(getAttr(primary, 'value'), `${attribute}.value`, 320) : null;
}

function readPrimary(value: unknown): boolean {
  try {
    return value !== undefined && value !== null && readBoolean(value, 'primary');
  } catch {
    return false;
  }
}

/** Reads a User resource (RFC 7643 §4.1, with the enterprise extension §4.3) leniently. */
export function readUser(body: unknown): UserFields {
  if (!isObject(body)) throw scimErrors.invalidSyntax('A User must be a JSON object');
  const userName = readString(getAttr(body, 'userName'), 'userName', 320);
  if (!userName) throw scimErrors.invalidValue('userName is required');
  const name = getAttr(body, 'name');
  const nameObject = isObject(name) ? name : {};
  const givenName = readString(getAttr(nameObject, 'givenName'), 'name.givenName', 200);
  const familyName = readString(getAttr(nameObject, 'familyName'), 'name.familyName', 200);
  const formatted = readString(getAttr(nameObject, 'formatted'), 'name.formatted', 400);
  const displayName =
    readString(getAttr(body, 'displayName'), 'displayName', 400) ??
    formatted ??
    ([givenName, familyName].filter(Boolean).join(' ') || userName);
  const activeRaw = getAttr(body, 'active');
  const active = activeRaw === undefined || activeRaw === null ? true : readBoolean(activeRaw, 'active');
  const enterpriseRaw = getAttr(body, URN.enterprise);
  const enterprise = isObject(enterpriseRaw) ? enterpriseRaw : {};
  const managerRaw = getAttr(enterprise, 'manager');
  // Entra sends the manager as a bare id string on PATCH; the RFC says an object with `value`.
  const managerId = isObject(managerRaw)
    ? readString(getAttr(managerRaw, 'value'), 'manager.value', 255)
    : readString(managerRaw, 'manager', 255);
  const email = primaryValue(getAttr(body, 'emails'), 'emails');
  const groupsRaw = getAttr(body, 'groups');
  return {
    userName,
    externalId: readString(getAttr(body, 'externalId'), 'externalId', 255),
    givenName,
    familyName,
    displayName,
    email: email ? email.toLowerCase() : null,
    phone: primaryValue(getAttr(body, 'phoneNumbers'), 'phoneNumbers')?.slice(0, 64) ?? null,
    jobTitle: readString(getAttr(body, 'title'), 'title', 200),
    active,
    employeeNumber: readString(getAttr(enterprise, 'employeeNumber'), 'employeeNumber', 64),
    costCenter: readString(getAttr(enterprise, 'costCenter'), 'costCenter', 64),
    division: readString(getAttr(enterprise, 'division'), 'division', 200),
    departmentName: readString(getAttr(enterprise, 'department'), 'department', 300),
    managerId,
    extras: {
      nickName: readString(getAttr(body, 'nickName'), 'nickName', 200),
      userType: readString(getAttr(body, 'userType'), 'userType', 100),
      preferredLanguage: readString(getAttr(body, 'preferredLanguage'), 'preferredLanguage', 50),
      locale: readString(getAttr(body, 'locale'), 'locale', 50),
      timezone: readString(getAttr(body, 'timezone'), 'timezone', 100),
      organization: readString(getAttr(enterprise, 'organization'), 'organization', 200),
    },
    groupIds: Array.isArray(groupsRaw) ? memberValues(groupsRaw, 'groups') : undefined,
  };
}

/** `[{ value: "id" }, …]` (or bare ids, which some clients send) → ids. */
export function memberValues(list: unknown[], attribute: string): string[] {
  const out: string[] = [];
  for (const item of list) {
    const value = isObject(item) ? getAttr(item, 'value') : item;
    const id = readString(value, `${attribute}.value`, 255);
    if (id && !out.includes(id)) out.push(id);
  }
  return out;
}

export interface UserRenderContext {
  baseUrl: string;
  departmentName: string | null;
  manager: { id: string; displayName: string } | null;
  groups: { id: string; displayName: string }[];
}

/** A Person as a SCIM User (RFC 7643 §4.1), with `meta.version` as the weak ETag (§3.14 of RFC 7644). */
export function renderUser(person: Person, ctx: UserRenderContext): Record<string, unknown> {
  const attrs = person.attributes ?? {};
  const str = (key: string): string | undefined =>
    typeof attrs[key] === 'string' ? (attrs[key] as string) : undefined;
  const location = `${ctx.baseUrl}/Users/${person.id}`;
  const enterprise: Record<string, unknown> = {};
  if (person.employeeNumber) enterprise.employeeNumber = person.employeeNumber;
  if (person.costCenter) enterprise.costCenter = person.costCenter;
  if (person.division) enterprise.division = person.division;
  if (ctx.departmentName) enterprise.department = ctx.departmentName;
  if (str('organization')) enterprise.organization = str('organization');
  if (ctx.manager) {
    enterprise.manager = {
      value: ctx.manager.id,
      displayName: ctx.manager.displayName,
      $ref: `${ctx.baseUrl}/Users/${ctx.manager.id}`,
    };
  }
  const user: Record<string, unknown> = {
    schemas: Object.keys(enterprise).length > 0 ? [URN.user, URN.enterprise] : [URN.user],
    id: person.id,
    ...(person.externalId ? { externalId: person.externalId } : {}),
    userName: str('userName') ?? person.email ?? person.id,
    name: {
      formatted: person.displayName,
      ...(person.givenName ? { givenName: person.givenName } : {}),
      ...(person.familyName ? { familyName: person.familyName } : {}),
    },
    displayName: person.displayName,
    active: person.status === 'active',
    ...(person.email ? { emails: [{ value: person.email, type: 'work', primary: true }] } : {}),
    ...(person.phone ? { phoneNumbers: [{ value: person.phone, type: 'work', primary: true }] } : {}),
    ...(person.jobTitle ? { title: person.jobTitle } : {}),
    groups: ctx.groups.map((g) => ({
      value: g.id,
      display: g.displayName,
      $ref: `${ctx.baseUrl}/Groups/${g.id}`,
    })),
    meta: {
      resourceType: 'User',
      created: person.createdAt.toISOString(),
      lastModified: person.updatedAt.toISOString(),
      location,
      version: userEtag(person.version),
    },
  };
  for (const key of ['nickName', 'userType', 'preferredLanguage', 'locale', 'timezone']) {
    if (str(key)) user[key] = str(key);
  }
  if (Object.keys(enterprise).length > 0) user[URN.enterprise] = enterprise;
  return user;
}

export function userEtag(version: number): string {
  return `W/"${version}"`;
}
