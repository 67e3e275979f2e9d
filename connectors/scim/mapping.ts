import type { AccountInput, TargetAccount } from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import { CORE_SIMPLE, parseLeaf, unitOf, type Leaf } from './attribute-paths.js';
import type { ScimConfig } from './config.js';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from './urns.js';
import type { ScimUser } from './wire-schemas.js';

type Json = Record<string, unknown>;

/** What Junction wants a SCIM User to be, with every attribute name already checked. */
export interface DesiredUser {
  userName: string;
  externalId: string | null;
  displayName: string;
  active: boolean;
  /** The primary e-mail; null leaves the user's e-mails alone. */
  email: string | null;
  /** Leaves to write; a null value removes the attribute. */
  leaves: { leaf: Leaf; value: string | number | boolean | null }[];
}

/** A PATCH operation (RFC 7644 §3.5.2). */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

type MappingOptions = Pick<ScimConfig, 'userNameAttribute' | 'matchByExternalId'>;

/**
 * Checks an AccountInput and turns it into the desired user: the SCIM userName by `userNameAttribute`, our
 * correlation id as externalId (RFC 7643 §3.1: "an identifier for the resource as defined by the provisioning
 * client"), and each attribute parsed. Anything wrong is `invalid_config` before a request is sent.
 */
export function desiredUser(input: AccountInput, options: MappingOptions): DesiredUser {
  const leaves = Object.entries(input.attributes).map(([key, raw]) => {
    const leaf = parseLeaf(key);
    return { leaf, value: checkValue(key, leaf, raw) };
  });
  const userName = scimUserName(input, options, leaves);
  return {
    userName,
    externalId: options.matchByExternalId ? input.correlationId : null,
    displayName: input.displayName,
    active: input.active,
    email: input.email,
    leaves,
  };
}

function scimUserName(input: AccountInput, options: MappingOptions, leaves: DesiredUser['leaves']): string {
  const fail = (why: string): ConnectorError =>
    new ConnectorError('invalid_config', {
      message: `account ${input.correlationId} has no SCIM userName: ${why} (userNameAttribute is ${options.userNameAttribute})`,
    });
  if (options.userNameAttribute === 'email') {
    if (!input.email) throw fail('it has no e-mail');
    return input.email;
  }
  if (options.userNameAttribute === 'employeeNumber') {
    const entry = leaves.find(({ leaf }) => leaf.kind === 'extension' && leaf.attribute === 'employeeNumber');
    if (entry?.value === null || entry?.value === undefined || entry.value === '') {
      throw fail('the mapping gives it no employeeNumber');
    }
    return String(entry.value);
  }
  if (!input.userName) throw fail('its userName is empty');
  return input.userName;
}

function checkValue(key: string, leaf: Leaf, raw: unknown): string | number | boolean | null {
  if (raw === null || raw === undefined || raw === '') return null;
  // Our own leaves are strings in RFC 7643; numbers (employee numbers) are written as text.
  const isOurs = !(leaf.kind === 'extension' && leaf.schema !== ENTERPRISE_USER_SCHEMA);
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' && Number.isFinite(raw)) return isOurs ? String(raw) : raw;
  if (typeof raw === 'boolean' && !isOurs) return raw;
  throw new ConnectorError('invalid_config', {
    message: `attribute "${key}" must be ${isOurs ? 'a string' : 'a string, number or boolean'}, not ${JSON.stringify(raw)}`,
  });
}

/**
 * The whole resource Junction wants, built on the current one so that what Junction does not manage (other
 * e-mails, attributes the target or its admins set) is kept: a PUT sends it as is, a PATCH sends the
 * differences. `current` null builds a new user for POST.
 */
export function applyDesired(current: Json | null, desired: DesiredUser): Json {
  const { meta: _meta, groups: _groups, schemas: _schemas, ...base } = structuredClone(current ?? {});
  const out: Json = base;
  out.userName = desired.userName;
  if (desired.externalId !== null) out.externalId = desired.externalId;
  out.displayName = desired.displayName;
  out.active = desired.active;
  if (desired.email !== null) setPrimaryEmail(out, desired.email);
  for (const { leaf, value } of desired.leaves) writeLeaf(out, leaf, value);
  const extensions = Object.keys(out).filter(
    (key) => key.toLowerCase().startsWith('urn:') && isObject(out[key]),
  );
  return { schemas: [USER_SCHEMA, ...extensions], ...out };
}

// RFC 7643 §2.4: the primary value is the one to replace; a user without one gets a primary work e-mail.
function setPrimaryEmail(user: Json, email: string): void {
  const emails = Array.isArray(user.emails) ? (user.emails as unknown[]).filter(isObject) : [];
  const target =
    emails.find((item) => item.primary === true || item.primary === 'True' || item.primary === 'true') ??
    emails.find((item) => String(item.type ?? '').toLowerCase() === 'work');
  if (target) target.value = email;
  else emails.unshift({ value: email, type: 'work', primary: true });
  user.emails = emails;
}

function writeLeaf(user: Json, leaf: Leaf, value: string | number | boolean | null): void {
  switch (leaf.kind) {
    case 'core':
      setOrDelete(user, leaf.attribute, value);
      return;
    case 'name': {
      const name = isObject(user.name) ? user.name : {};
      setOrDelete(name, leaf.sub, value);
      setOrDelete(user, 'name', Object.keys(name).length > 0 ? name : null);
      return;
    }
    case 'typed': {
      const items = Array.isArray(user[leaf.attribute])
        ? (user[leaf.attribute] as unknown[]).filter(isObject)
        : [];
      const sameType = (item: Json): boolean =>
        String(item.type ?? '').toLowerCase() === leaf.type.toLowerCase();
      const existing = items.find(sameType);
      if (existing) {
        setOrDelete(existing, leaf.sub, value);
        const rest = Object.keys(existing).filter((key) => key !== 'type' && key !== 'primary');
        if (rest.length === 0) items.splice(items.indexOf(existing), 1);
      } else if (value !== null) {
        items.push({ type: leaf.type, [leaf.sub]: value });
      }
      setOrDelete(user, leaf.attribute, items.length > 0 ? items : null);
      return;
    }
    case 'extension': {
      const extension = isObject(user[leaf.schema]) ? (user[leaf.schema] as Json) : {};
      if (leaf.schema === ENTERPRISE_USER_SCHEMA && leaf.attribute === 'manager') {
        // RFC 7643 §4.3: manager is complex; its "value" is the manager's SCIM id.
        setOrDelete(extension, 'manager', value === null ? null : { value: String(value) });
      } else if (leaf.sub !== null) {
        const holder = isObject(extension[leaf.attribute]) ? (extension[leaf.attribute] as Json) : {};
        setOrDelete(holder, leaf.sub, value);
        setOrDelete(extension, leaf.attribute, Object.keys(holder).length > 0 ? holder : null);
      } else {
        setOrDelete(extension, leaf.attribute, value);
      }
      setOrDelete(user, leaf.schema, Object.keys(extension).length > 0 ? extension : null);
      return;
    }
  }
}

/**
 * RFC 7644 §3.5.2 operations that turn `current` into `wanted`, only for what Junction manages. Singular
 * attributes are replaced one by one (`name.givenName`, `urn:…:User:department`); a multi-valued attribute is
 * replaced whole, because value filters in paths (`emails[type eq "work"].value`) are where servers disagree
 * most, while replacing `emails` works everywhere. No difference, no operation.
 */
export function patchOperations(current: Json, wanted: Json, desired: DesiredUser): PatchOperation[] {
  const units = new Set<string>(['userName', 'displayName', 'active']);
  if (desired.externalId !== null) units.add('externalId');
  if (desired.email !== null) units.add('emails');
  for (const { leaf } of desired.leaves) units.add(unitOf(leaf));
  const operations: PatchOperation[] = [];
  for (const unit of units) {
    const before = readUnit(current, unit);
    const after = readUnit(wanted, unit);
    if (sameValue(unit, before, after)) continue;
    operations.push(
      after === undefined ? { op: 'remove', path: unit } : { op: 'replace', path: unit, value: after },
    );
  }
  return operations;
}

function readUnit(user: Json, unit: string): unknown {
  if (unit.toLowerCase().startsWith('urn:')) {
    const colon = unit.lastIndexOf(':');
    const extension = user[unit.slice(0, colon)];
    return isObject(extension) ? extension[unit.slice(colon + 1)] : undefined;
  }
  const [attribute = '', sub] = unit.split('.');
  const value = user[attribute];
  if (sub === undefined) return value ?? undefined;
  return isObject(value) ? (value[sub] ?? undefined) : undefined;
}

/** userName and e-mail addresses are case-insensitive (RFC 7643 §4.1: "caseExact": false). */
function sameValue(unit: string, a: unknown, b: unknown): boolean {
  const fold = (value: unknown): unknown => {
    if (unit === 'userName' && typeof value === 'string') return value.toLowerCase();
    if (unit === 'emails' && Array.isArray(value)) {
      return value.map((item) =>
        isObject(item) && typeof item.value === 'string'
          ? { ...item, value: item.value.toLowerCase() }
          : item,
      );
    }
    return value;
  };
  return stableJson(fold(a)) === stableJson(fold(b));
}

function stableJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, (_key, inner: unknown) =>
    isObject(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/**
 * A SCIM User as the contract's TargetAccount: its SCIM `id` is the external id; attributes are read back under
 * the names a mapping writes (see attribute-paths.ts), plus `externalId` (our correlation id) and `displayName`.
 */
export function toTargetAccount(user: ScimUser): TargetAccount {
  const attributes: Json = {};
  if (user.externalId) attributes.externalId = user.externalId;
  if (user.displayName) attributes.displayName = user.displayName;
  const raw = user as Json;
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'name' && isObject(value)) {
      for (const [sub, inner] of Object.entries(value)) {
        if (typeof inner === 'string') attributes[`name.${sub}`] = inner;
      }
    } else if (
      ['emails', 'phoneNumbers', 'ims', 'photos', 'addresses'].includes(key) &&
      Array.isArray(value)
    ) {
      for (const item of value.filter(isObject)) {
        if (typeof item.type !== 'string') continue;
        for (const [sub, inner] of Object.entries(item)) {
          if (sub === 'type' || sub === 'primary' || typeof inner !== 'string') continue;
          attributes[`${key}[type eq "${item.type}"].${sub}`] = inner;
        }
      }
    } else if (key.toLowerCase().startsWith('urn:') && isObject(value)) {
      readExtension(attributes, key, value);
    } else if (typeof value === 'string' && CORE_SIMPLE.includes(key)) {
      attributes[key] = value;
    }
  }
  return {
    externalId: user.id,
    userName: user.userName ?? null,
    email: primaryEmail(user),
    // RFC 7643 §4.1.1: "active" absent means the provider does not say; a listed account is taken as active.
    active: user.active ?? true,
    attributes,
    ...(user.groups?.length
      ? { groups: user.groups.flatMap((group) => (group.value ? [group.value] : [])) }
      : {}),
  };
}

function readExtension(attributes: Json, schema: string, extension: Json): void {
  const enterprise = schema.toLowerCase() === ENTERPRISE_USER_SCHEMA.toLowerCase();
  for (const [name, value] of Object.entries(extension)) {
    if (enterprise && name === 'manager') {
      if (isObject(value) && typeof value.value === 'string') attributes.manager = value.value;
      continue;
    }
    const key = enterprise ? name : `${schema}:${name}`;
    if (['string', 'number', 'boolean'].includes(typeof value)) attributes[key] = value;
    else if (isObject(value)) {
      for (const [sub, inner] of Object.entries(value)) {
        if (['string', 'number', 'boolean'].includes(typeof inner)) attributes[`${key}.${sub}`] = inner;
      }
    }
  }
}

/** RFC 7643 §2.4: the primary e-mail, else the work one, else the first. */
export function primaryEmail(user: ScimUser): string | null {
  const emails = user.emails ?? [];
  const pick =
    emails.find((item) => item.primary === true) ??
    emails.find((item) => item.type?.toLowerCase() === 'work') ??
    emails[0];
  return pick?.value ?? null;
}

function setOrDelete(holder: Json, key: string, value: unknown): void {
  if (value === null || value === undefined) Reflect.deleteProperty(holder, key);
  else holder[key] = value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
