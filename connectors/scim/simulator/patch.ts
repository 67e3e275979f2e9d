import type { Filter } from 'scim2-parse-filter';
import { PATCH_OP_SCHEMA } from '../urns.js';
import type { AttributeDefinition, ResourceKind } from './attribute-schema.js';
import { compileValueFilter } from './filter.js';
import { parsePatchPath, type PatchTarget } from './patch-path.js';
import { badRequest } from './protocol-error.js';
import {
  isObject,
  normalizeResource,
  normalizeValue,
  type ResourceAttributes,
} from './resource-validation.js';

type OpName = 'add' | 'remove' | 'replace';

interface Operation {
  op: OpName;
  path: string | null;
  value: unknown;
}

/** Reads a PatchOp request body (RFC 7644 §3.5.2); anything malformed is 400 `invalidSyntax`. */
export function readPatchRequest(body: unknown): Operation[] {
  if (!isObject(body)) throw badRequest('invalidSyntax', 'the PATCH body must be a JSON object');
  const schemas = Array.isArray(body.schemas) ? body.schemas : [];
  if (!schemas.includes(PATCH_OP_SCHEMA)) {
    throw badRequest('invalidSyntax', `a PATCH body must list "${PATCH_OP_SCHEMA}" in "schemas"`);
  }
  const operations = body.Operations;
  if (!Array.isArray(operations) || operations.length === 0) {
    throw badRequest('invalidSyntax', '"Operations" must be a non-empty array');
  }
  return operations.map((raw, index) => {
    if (!isObject(raw)) throw badRequest('invalidSyntax', `Operations[${index}] must be an object`);
    // The RFC spells the ops in lower case; Entra sends "Replace", which costs nothing to accept.
    const op = typeof raw.op === 'string' ? raw.op.toLowerCase() : '';
    if (op !== 'add' && op !== 'remove' && op !== 'replace') {
      throw badRequest('invalidSyntax', `Operations[${index}].op must be add, remove or replace`);
    }
    if (raw.path !== undefined && typeof raw.path !== 'string') {
      throw badRequest('invalidPath', `Operations[${index}].path must be a string`);
    }
    const path = typeof raw.path === 'string' && raw.path.trim().length > 0 ? raw.path : null;
    // RFC 7644 §3.5.2.2: a remove without "path" is 400 noTarget.
    if (op === 'remove' && path === null)
      throw badRequest('noTarget', `Operations[${index}]: remove needs a path`);
    if (op !== 'remove' && raw.value === undefined) {
      throw badRequest('invalidSyntax', `Operations[${index}]: ${op} needs a value`);
    }
    return { op, path, value: raw.value };
  });
}

/**
 * Applies PATCH operations to a copy of a resource's attributes, in order and all-or-nothing (RFC 7644 §3.5.2:
 * "each operation ... applied sequentially"; a failed one leaves the resource unchanged), and returns the new
 * attributes, checked as a whole.
 */
export function applyPatch(
  kind: ResourceKind,
  attributes: ResourceAttributes,
  operations: Operation[],
): ResourceAttributes {
  const working = structuredClone(attributes);
  for (const operation of operations) {
    if (operation.path === null) applyWithoutPath(kind, working, operation.op, operation.value);
    else
      applyAt(
        kind,
        working,
        operation.op,
        parsePatchPath(kind, operation.path),
        operation.value,
        operation.path,
      );
  }
  return normalizeResource(kind, working, { requireSchemas: false });
}

// RFC 7644 §3.5.2.1 / §3.5.2.3: without a path, "value" holds the attributes to add or replace.
function applyWithoutPath(kind: ResourceKind, working: ResourceAttributes, op: OpName, value: unknown): void {
  if (!isObject(value)) throw badRequest('invalidValue', `${op} without a path needs an object value`);
  for (const [key, inner] of Object.entries(value)) {
    if (key.toLowerCase() === 'schemas') continue;
    const extension = kind.extensions.find((candidate) => candidate.id.toLowerCase() === key.toLowerCase());
    if (extension && isObject(inner)) {
      for (const [name, nested] of Object.entries(inner)) {
        const path = `${extension.id}:${name}`;
        applyAt(kind, working, op, parsePatchPath(kind, path), nested, path);
      }
      continue;
    }
    applyAt(kind, working, op, parsePatchPath(kind, key), inner, key);
  }
}

function applyAt(
  kind: ResourceKind,
  working: ResourceAttributes,
  op: OpName,
  target: PatchTarget,
  value: unknown,
  path: string,
): void {
  if (!target.attribute) {
    if (target.extension) applyToExtension(kind, working, target.extension.id, op, value, path);
    return;
  }
  const holder = holderOf(working, target);
  const attribute = target.attribute;
  if (attribute.mutability === 'readOnly' || target.sub?.mutability === 'readOnly') {
    // RFC 7644 §3.5.2: modifying a read-only attribute is 400 mutability.
    throw badRequest('mutability', `${path} is read-only`);
  }
  if (target.filter) applyFiltered(kind, holder, op, attribute, target.sub, target.filter, value, path);
  else if (target.sub) applyToSub(holder, op, attribute, target.sub, value, path);
  else applyToAttribute(holder, op, attribute, value, path);
  dropEmptyExtension(working, target);
}

function holderOf(working: ResourceAttributes, target: PatchTarget): Record<string, unknown> {
  if (!target.extension) return working;
  const existing = working[target.extension.id];
  if (isObject(existing)) return existing;
  const created: Record<string, unknown> = {};
  working[target.extension.id] = created;
  return created;
}

function dropEmptyExtension(working: ResourceAttributes, target: PatchTarget): void {
  if (!target.extension) return;
  const holder = working[target.extension.id];
  if (isObject(holder) && Object.keys(holder).length === 0)
    Reflect.deleteProperty(working, target.extension.id);
}

function applyToExtension(
  kind: ResourceKind,
  working: ResourceAttributes,
  extensionId: string,
  op: OpName,
  value: unknown,
  path: string,
): void {
  if (op === 'remove') {
    Reflect.deleteProperty(working, extensionId);
    return;
  }
  if (!isObject(value)) throw badRequest('invalidValue', `${path} needs an object value`);
  for (const [name, nested] of Object.entries(value)) {
    const inner = `${extensionId}:${name}`;
    applyAt(kind, working, op, parsePatchPath(kind, inner), nested, inner);
  }
}

function applyToAttribute(
  holder: Record<string, unknown>,
  op: OpName,
  attribute: AttributeDefinition,
  value: unknown,
  path: string,
): void {
  const name = attribute.name;
  if (op === 'remove') {
    // Entra removes members with `{"op":"remove","path":"members","value":[{"value":"…"}]}`; honour the value.
    if (attribute.multiValued && Array.isArray(value) && value.length > 0) {
      const gone = new Set(value.map((item) => JSON.stringify(keyOf(attribute, item))));
      const remaining = asArray(holder[name]).filter(
        (item) => !gone.has(JSON.stringify(keyOf(attribute, item))),
      );
      setOrDelete(holder, name, remaining);
      return;
    }
    Reflect.deleteProperty(holder, name);
    return;
  }
  if (attribute.multiValued) {
    const incoming = asArray(normalizeValue(attribute, Array.isArray(value) ? value : [value], path));
    if (op === 'replace') {
      setOrDelete(holder, name, incoming);
      return;
    }
    // RFC 7644 §3.5.2.1: adding values a multi-valued attribute already holds changes nothing.
    const current = asArray(holder[name]);
    const seen = new Set(current.map((item) => JSON.stringify(keyOf(attribute, item))));
    const added = incoming.filter((item) => {
      const key = JSON.stringify(keyOf(attribute, item));
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (added.some((item) => isObject(item) && item.primary === true)) clearPrimary(current);
    setOrDelete(holder, name, [...current, ...added]);
    return;
  }
  const normalized = normalizeValue(attribute, value, path);
  if (attribute.type === 'complex' && isObject(holder[name]) && isObject(normalized)) {
    // RFC 7644 §3.5.2.3: sub-attributes not named in the value are left unchanged (for add, §3.5.2.1, too).
    holder[name] = { ...(holder[name] as Record<string, unknown>), ...normalized };
    return;
  }
  if (normalized === undefined) Reflect.deleteProperty(holder, name);
  else holder[name] = normalized;
}

function applyToSub(
  holder: Record<string, unknown>,
  op: OpName,
  attribute: AttributeDefinition,
  sub: AttributeDefinition,
  value: unknown,
  path: string,
): void {
  if (attribute.multiValued) {
    throw badRequest('invalidPath', `${path}: select the values of ${attribute.name} with a filter`);
  }
  const current = isObject(holder[attribute.name]) ? (holder[attribute.name] as Record<string, unknown>) : {};
  if (op === 'remove') {
    Reflect.deleteProperty(current, sub.name);
  } else {
    const normalized = normalizeValue(sub, value, path);
    if (normalized === undefined) Reflect.deleteProperty(current, sub.name);
    else current[sub.name] = normalized;
  }
  if (Object.keys(current).length > 0) holder[attribute.name] = current;
  else Reflect.deleteProperty(holder, attribute.name);
}

function applyFiltered(
  kind: ResourceKind,
  holder: Record<string, unknown>,
  op: OpName,
  attribute: AttributeDefinition,
  sub: AttributeDefinition | null,
  filter: Filter,
  value: unknown,
  path: string,
): void {
  const matches = compileValueFilter(kind, attribute, filter);
  const current = asArray(holder[attribute.name]);
  const selected = current.filter((item) => isObject(item) && matches(item));
  if (op === 'remove') {
    // RFC 7644 §3.5.2.2: the matched values (or their sub-attribute) are removed; none matched changes nothing.
    if (sub) for (const item of selected) Reflect.deleteProperty(item as Record<string, unknown>, sub.name);
    const remaining = sub ? current : current.filter((item) => !selected.includes(item));
    setOrDelete(holder, attribute.name, remaining);
    return;
  }
  if (selected.length === 0) {
    const seed = op === 'add' ? equalityTerms(filter) : null;
    // RFC 7644 §3.5.2.3: replace with a value filter that matches nothing is 400 noTarget. An add (how Entra
    // writes `emails[type eq "work"].value`) creates the value the filter describes.
    if (!seed || !sub) throw badRequest('noTarget', `${path} matches no value`);
    const created = normalizeValue(attribute, [{ ...seed, [sub.name]: value }], path);
    setOrDelete(holder, attribute.name, [...current, ...asArray(created)]);
    return;
  }
  for (const item of selected as Record<string, unknown>[]) {
    if (sub) {
      const normalized = normalizeValue(sub, value, path);
      if (normalized === undefined) Reflect.deleteProperty(item, sub.name);
      else item[sub.name] = normalized;
    } else {
      const replacement = asArray(normalizeValue(attribute, [value], path))[0];
      if (!isObject(replacement)) throw badRequest('invalidValue', `${path} needs an object value`);
      for (const key of Object.keys(item)) Reflect.deleteProperty(item, key);
      Object.assign(item, replacement);
    }
  }
  setOrDelete(holder, attribute.name, current);
}

/** `type eq "work" and primary eq true` → `{ type: "work", primary: true }`; null for any other shape. */
function equalityTerms(filter: Filter): Record<string, unknown> | null {
  if (filter.op === 'eq') return { [filter.attrPath]: filter.compValue };
  if (filter.op !== 'and') return null;
  const out: Record<string, unknown> = {};
  for (const part of filter.filters) {
    const terms = equalityTerms(part);
    if (!terms) return null;
    Object.assign(out, terms);
  }
  return out;
}

/** What makes two values of a multi-valued attribute "the same": a member is its `value`; anything else, itself. */
function keyOf(attribute: AttributeDefinition, item: unknown): unknown {
  if (attribute.name === 'members' && isObject(item)) return item.value;
  return item;
}

function clearPrimary(items: unknown[]): void {
  for (const item of items) if (isObject(item) && item.primary === true) item.primary = false;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function setOrDelete(holder: Record<string, unknown>, name: string, items: unknown[]): void {
  if (items.length > 0) holder[name] = items;
  else Reflect.deleteProperty(holder, name);
}
