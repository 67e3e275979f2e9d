import { filter as compileFilter, parse as parseFilter, type Filter } from 'scim2-parse-filter';
import { getAttr, isObject, readPatchOp, type PatchOp } from './lenient.js';
import { scimErrors } from './scim-error.js';
import { URN } from './urns.js';

/** A PATCH path (RFC 7644 §3.5.2): `[schemaURN:]attr[.sub]` or `[schemaURN:]attr[filter][.sub]`. */
export interface PatchPath {
  /** The extension object the attribute lives in (`urn:…:enterprise:2.0:User`), or null for core attributes. */
  container: string | null;
  attr: string;
  filter?: Filter;
  sub?: string;
}

const CORE_URNS = [URN.user, URN.group];
const EXTENSION_URNS = [URN.enterprise];

export function parsePatchPath(path: string): PatchPath {
  let rest = path.trim();
  let container: string | null = null;
  const lowered = rest.toLowerCase();
  for (const urn of CORE_URNS) {
    if (lowered.startsWith(`${urn.toLowerCase()}:`)) rest = rest.slice(urn.length + 1);
  }
  for (const urn of EXTENSION_URNS) {
    if (lowered === urn.toLowerCase()) return { container: null, attr: urn };
    if (lowered.startsWith(`${urn.toLowerCase()}:`)) {
      container = urn;
      rest = rest.slice(urn.length + 1);
    }
  }
  const bracket = rest.indexOf('[');
  if (bracket >= 0) {
    const close = rest.lastIndexOf(']');
    if (close < bracket) throw scimErrors.invalidPath(`Unbalanced brackets in path ${path}`);
    const attr = rest.slice(0, bracket);
    const after = rest.slice(close + 1);
    let filter: Filter;
    try {
      filter = parseFilter(rest.slice(bracket + 1, close));
    } catch {
      throw scimErrors.invalidPath(`Cannot parse the filter in path ${path}`);
    }
    const sub = after.startsWith('.') ? after.slice(1) : undefined;
    if (!/^[A-Za-z$][\w$-]*$/.test(attr) || (after !== '' && !sub))
      throw scimErrors.invalidPath(`Bad path ${path}`);
    return { container, attr, filter, ...(sub ? { sub } : {}) };
  }
  const dot = rest.indexOf('.');
  const attr = dot >= 0 ? rest.slice(0, dot) : rest;
  const sub = dot >= 0 ? rest.slice(dot + 1) : undefined;
  if (!/^[A-Za-z$][\w$-]*$/.test(attr) || (sub !== undefined && !/^[A-Za-z$][\w$-]*$/.test(sub))) {
    throw scimErrors.invalidPath(`Bad path ${path}`);
  }
  return { container, attr, ...(sub ? { sub } : {}) };
}

export interface PatchOperation {
  op: PatchOp;
  path?: string;
  value?: unknown;
}

/** Reads the PatchOp message (RFC 7644 §3.5.2) leniently: `Operations` in any case, ops in any case. */
export function readPatchRequest(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw scimErrors.invalidSyntax('PATCH body must be a PatchOp object');
  const operations = getAttr(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) {
    throw scimErrors.invalidSyntax('PATCH body needs a non-empty Operations array');
  }
  if (operations.length > 1000) throw scimErrors.invalidValue('At most 1000 operations per PATCH');
  return operations.map((raw) => {
    if (!isObject(raw)) throw scimErrors.invalidSyntax('Each operation must be an object');
    const op = readPatchOp(getAttr(raw, 'op'));
    const path = getAttr(raw, 'path');
    if (path !== undefined && path !== null && typeof path !== 'string')
      throw scimErrors.invalidPath('path must be a string');
    const value = getAttr(raw, 'value');
    return {
      op,
      ...(typeof path === 'string' && path.trim() !== '' ? { path } : {}),
      ...(value === undefined ? {} : { value }),
    };
  });
}

/**
 * Applies operations to a resource's JSON (as GET renders it). Lenient where clients are known to differ from the
 * RFC: Entra's path-less `replace` with dotted keys (`{"name.givenName": "…"}`), `add` / `replace` to a filtered
 * path that matches nothing (creates the element, as Entra expects for `emails[type eq "work"].value`), and
 * removal of what is already gone (a no-op, so retries are harmless).
 */
export function applyPatch(resource: Record<string, unknown>, operations: PatchOperation[]): void {
  for (const operation of operations) {
    if (operation.path === undefined) {
      if (operation.op === 'remove') throw scimErrors.noTarget('remove needs a path');
      if (!isObject(operation.value))
        throw scimErrors.invalidValue(`${operation.op} without a path needs an object value`);
      for (const [key, value] of Object.entries(operation.value)) {
        if (EXTENSION_URNS.some((urn) => urn.toLowerCase() === key.toLowerCase()) && isObject(value)) {
          for (const [inner, innerValue] of Object.entries(value)) {
            applyOne(resource, operation.op, parsePatchPath(`${key}:${inner}`), innerValue);
          }
        } else {
          applyOne(resource, operation.op, parsePatchPath(key), value);
        }
      }
      continue;
    }
    applyOne(resource, operation.op, parsePatchPath(operation.path), operation.value);
  }
}

function containerOf(
  resource: Record<string, unknown>,
  path: PatchPath,
  create: boolean,
): Record<string, unknown> | undefined {
  if (!path.container) return resource;
  const key =
    Object.keys(resource).find((k) => k.toLowerCase() === path.container?.toLowerCase()) ?? path.container;
  const existing = resource[key];
  if (isObject(existing)) return existing;
  if (!create) return undefined;
  const made: Record<string, unknown> = {};
  resource[key] = made;
  return made;
}

function keyIn(object: Record<string, unknown>, name: string): string {
  return Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
}

function applyOne(resource: Record<string, unknown>, op: PatchOp, path: PatchPath, value: unknown): void {
  const target = containerOf(resource, path, op !== 'remove');
  if (!target) return;
  const key = keyIn(target, path.attr);
  const current = target[key];

  if (path.filter) {
    const matches = compileFilter(path.filter) as (r: unknown) => boolean;
    const list = Array.isArray(current) ? (current as unknown[]) : [];
    if (op === 'remove') {
      if (path.sub) {
        for (const item of list)
          if (isObject(item) && matches(item)) Reflect.deleteProperty(item, keyIn(item, path.sub));
      } else if (Array.isArray(current)) {
        target[key] = list.filter((item) => !matches(item));
      }
      return;
    }
    const hits = list.filter((item) => isObject(item) && matches(item)) as Record<string, unknown>[];
    if (hits.length === 0) {
      // Nothing matches: make the element the filter describes (Entra's add / replace of emails[type eq "work"]).
      const element: Record<string, unknown> = { ...equalities(path.filter) };
      if (path.sub) element[path.sub] = value;
      else if (isObject(value)) Object.assign(element, value);
      target[key] = [...list, element];
      return;
    }
    for (const hit of hits) {
      if (path.sub) hit[keyIn(hit, path.sub)] = value;
      else if (isObject(value)) {
        if (op === 'replace') {
          for (const k of Object.keys(hit)) Reflect.deleteProperty(hit, k);
          Object.assign(hit, equalities(path.filter));
        }
        Object.assign(hit, value);
      }
    }
    return;
  }

  if (path.sub) {
    if (op === 'remove') {
      if (isObject(current)) Reflect.deleteProperty(current, keyIn(current, path.sub));
      return;
    }
    if (Array.isArray(current)) {
      // `emails.value` on a multi-valued attribute: the primary (or first) element.
      const element = (current.find((e) => isObject(e) && e.primary === true) ?? current[0]) as unknown;
      if (isObject(element)) element[keyIn(element, path.sub)] = value;
      else target[key] = [{ [path.sub]: value, primary: true }];
      return;
    }
    const object = isObject(current) ? current : {};
    object[keyIn(object, path.sub)] = value;
    target[key] = object;
    return;
  }

  if (op === 'remove') {
    if (Array.isArray(current) && value !== undefined) {
      // Entra removes members with `{"path":"members","value":[{"value":"id"}]}`.
      const gone = new Set(
        (Array.isArray(value) ? value : [value]).map(valueOf).filter((v): v is string => v !== undefined),
      );
      target[key] = current.filter((item) => !gone.has(valueOf(item) ?? ''));
    } else {
      Reflect.deleteProperty(target, key);
    }
    return;
  }
  if (op === 'add' && (Array.isArray(current) || Array.isArray(value))) {
    const additions = Array.isArray(value) ? value : [value];
    const list = Array.isArray(current) ? [...(current as unknown[])] : [];
    for (const item of additions) {
      const id = valueOf(item);
      if (id !== undefined && list.some((existing) => valueOf(existing) === id)) continue;
      list.push(item);
    }
    target[key] = list;
    return;
  }
  if (op === 'add' && isObject(current) && isObject(value)) {
    Object.assign(current, value);
    return;
  }
  target[key] = value;
}

function valueOf(item: unknown): string | undefined {
  if (isObject(item)) {
    const v = getAttr(item, 'value');
    return v === undefined || v === null ? undefined : String(v);
  }
  return item === undefined || item === null ? undefined : String(item);
}

/** `type eq "work"` (and-ed) → `{ type: "work" }`, the attributes a new element must carry. */
function equalities(filter: Filter): Record<string, unknown> {
  if (filter.op === 'eq' && 'attrPath' in filter && 'compValue' in filter)
    return { [filter.attrPath]: filter.compValue };
  if (filter.op === 'and' && 'filters' in filter)
    return Object.assign({}, ...filter.filters.map(equalities)) as Record<string, unknown>;
  return {};
}
