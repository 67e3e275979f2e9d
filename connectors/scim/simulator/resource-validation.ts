import {
  COMMON_ATTRIBUTES,
  findByName,
  type AttributeDefinition,
  type ResourceKind,
} from './attribute-schema.js';
import { badRequest } from './protocol-error.js';

/** The attributes a client may hold on a resource, keyed by their canonical names (extensions by schema URN). */
export type ResourceAttributes = Record<string, unknown>;

/**
 * Checks a resource body a client sent (POST, PUT, or the result of a PATCH) against the schemas and returns it with
 * attribute names in their canonical case. Read-only attributes are dropped (RFC 7644 §3.5.1: "SHALL be ignored"),
 * null means unassigned (RFC 7643 §2.5), unknown attributes and wrong types are refused with `invalidValue`.
 */
export function normalizeResource(
  kind: ResourceKind,
  body: unknown,
  options: { requireSchemas: boolean },
): ResourceAttributes {
  if (!isObject(body))
    throw badRequest('invalidSyntax', `the request body must be a JSON object (a ${kind.name})`);
  if (options.requireSchemas) checkSchemas(kind, body.schemas);
  const out: ResourceAttributes = {};
  for (const [key, value] of Object.entries(body)) {
    const lower = key.toLowerCase();
    if (lower === 'schemas') continue;
    const extension = kind.extensions.find((candidate) => candidate.id.toLowerCase() === lower);
    if (extension) {
      if (value === null) continue;
      if (!isObject(value)) throw badRequest('invalidValue', `${extension.id} must be an object`);
      const inner = normalizeComplex(extension.attributes, value, extension.id);
      if (Object.keys(inner).length > 0) out[extension.id] = inner;
      continue;
    }
    const definition = findByName([...COMMON_ATTRIBUTES, ...kind.core.attributes], key);
    if (!definition) {
      throw badRequest('invalidValue', `"${key}" is not an attribute of ${kind.name} (RFC 7643 §4)`);
    }
    if (definition.mutability === 'readOnly') continue;
    const normalized = normalizeValue(definition, value, definition.name);
    if (normalized !== undefined) out[definition.name] = normalized;
  }
  for (const definition of kind.core.attributes) {
    if (definition.required && !isAssigned(out[definition.name])) {
      throw badRequest('invalidValue', `${definition.name} is required for a ${kind.name} (RFC 7643 §4)`);
    }
  }
  return out;
}

function checkSchemas(kind: ResourceKind, schemas: unknown): void {
  // RFC 7643 §3: "schemas" is REQUIRED and names the core schema (and the extensions used).
  const list = Array.isArray(schemas)
    ? schemas.filter((item): item is string => typeof item === 'string')
    : [];
  if (!list.some((urn) => urn.toLowerCase() === kind.core.id.toLowerCase())) {
    throw badRequest('invalidSyntax', `"schemas" must list ${kind.core.id}`);
  }
}

function normalizeComplex(
  definitions: AttributeDefinition[],
  value: Record<string, unknown>,
  where: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const definition = findByName(definitions, key);
    if (!definition) throw badRequest('invalidValue', `"${key}" is not a sub-attribute of ${where}`);
    if (definition.mutability === 'readOnly') continue;
    const normalized = normalizeValue(definition, inner, `${where}.${definition.name}`);
    if (normalized !== undefined) out[definition.name] = normalized;
  }
  return out;
}

/** Returns undefined for an unassigned value (null, empty array, empty complex value). */
export function normalizeValue(definition: AttributeDefinition, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (definition.multiValued) {
    if (!Array.isArray(value)) throw badRequest('invalidValue', `${where} must be an array (multi-valued)`);
    const items = value
      .map((item) => normalizeSingle(definition, item, `${where}[]`))
      .filter((item) => item !== undefined);
    // RFC 7643 §2.4: the "primary" attribute value "true" MUST appear no more than once.
    if (items.filter((item) => isObject(item) && item.primary === true).length > 1) {
      throw badRequest('invalidValue', `${where}: at most one value may be primary`);
    }
    return items.length > 0 ? items : undefined;
  }
  return normalizeSingle(definition, value, where);
}

function normalizeSingle(definition: AttributeDefinition, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (definition.type) {
    case 'complex': {
      if (!isObject(value)) throw badRequest('invalidValue', `${where} must be an object`);
      const inner = normalizeComplex(definition.subAttributes ?? [], value, where);
      return Object.keys(inner).length > 0 ? inner : undefined;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw badRequest('invalidValue', `${where} must be a boolean`);
      return value;
    case 'integer':
      if (!Number.isInteger(value)) throw badRequest('invalidValue', `${where} must be an integer`);
      return value;
    case 'decimal':
      if (typeof value !== 'number') throw badRequest('invalidValue', `${where} must be a number`);
      return value;
    case 'dateTime':
      // RFC 7643 §2.3.5: an xsd:dateTime.
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
        throw badRequest('invalidValue', `${where} must be a dateTime`);
      }
      return value;
    case 'string':
    case 'reference':
      if (typeof value !== 'string') throw badRequest('invalidValue', `${where} must be a string`);
      return value;
  }
}

export function isAssigned(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return true;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
