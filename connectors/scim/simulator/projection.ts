import { resolveAttribute, type ResourceKind } from './attribute-schema.js';
import { isObject } from './resource-validation.js';

export interface Projection {
  attributes: string[];
  excludedAttributes: string[];
}

/** Reads the comma-separated `attributes` / `excludedAttributes` parameters (RFC 7644 §3.9). */
export function readProjection(attributes: unknown, excludedAttributes: unknown): Projection {
  const list = (value: unknown): string[] =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0)
      : [];
  return { attributes: list(attributes), excludedAttributes: list(excludedAttributes) };
}

/**
 * Applies RFC 7644 §3.9 to a rendered resource: with `attributes`, only those (and `id`, `schemas`, which are
 * "returned": "always") come back; `excludedAttributes` drops the named ones. Names use §3.10 notation
 * (`name.givenName`, `urn:…:User:department`); names of no attribute select nothing.
 */
export function project(
  kind: ResourceKind,
  resource: Record<string, unknown>,
  projection: Projection,
): Record<string, unknown> {
  if (projection.attributes.length === 0 && projection.excludedAttributes.length === 0) return resource;
  if (projection.attributes.length > 0) {
    const out: Record<string, unknown> = { schemas: resource.schemas, id: resource.id };
    for (const name of projection.attributes) copyPath(kind, resource, out, name);
    return out;
  }
  const out: Record<string, unknown> = structuredClone(resource);
  for (const name of projection.excludedAttributes) removePath(kind, out, name);
  return out;
}

function locate(
  kind: ResourceKind,
  name: string,
): { container: string | null; attribute: string; sub: string | null } | null {
  const extension = kind.extensions.find((candidate) => candidate.id.toLowerCase() === name.toLowerCase());
  if (extension) return { container: null, attribute: extension.id, sub: null };
  const resolved = resolveAttribute(kind, name);
  if (!resolved) return null;
  return {
    container: resolved.extension?.id ?? null,
    attribute: resolved.attribute.name,
    sub: resolved.sub?.name ?? null,
  };
}

function copyPath(
  kind: ResourceKind,
  from: Record<string, unknown>,
  to: Record<string, unknown>,
  name: string,
): void {
  const place = locate(kind, name);
  if (!place) return;
  const source = place.container ? from[place.container] : from;
  if (!isObject(source) || source[place.attribute] === undefined) return;
  let target = to;
  if (place.container) {
    const existing = to[place.container];
    target = isObject(existing) ? existing : {};
    to[place.container] = target;
  }
  const value = source[place.attribute];
  if (place.sub === null) {
    target[place.attribute] = value;
    return;
  }
  const sub = place.sub;
  if (Array.isArray(value)) {
    target[place.attribute] = value.map((item) => (isObject(item) ? { [sub]: item[sub] } : item));
  } else if (isObject(value)) {
    const existing = target[place.attribute];
    target[place.attribute] = { ...(isObject(existing) ? existing : {}), [sub]: value[sub] };
  }
}

function removePath(kind: ResourceKind, resource: Record<string, unknown>, name: string): void {
  const place = locate(kind, name);
  // RFC 7643 §2.2 "returned": "always" attributes come back whatever excludedAttributes says.
  if (!place || (place.container === null && place.attribute === 'id')) return;
  const holder = place.container ? resource[place.container] : resource;
  if (!isObject(holder)) return;
  if (place.sub === null) {
    Reflect.deleteProperty(holder, place.attribute);
    return;
  }
  const sub = place.sub;
  const value = holder[place.attribute];
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) if (isObject(item)) Reflect.deleteProperty(item, sub);
}
