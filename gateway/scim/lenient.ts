import { scimErrors } from './scim-error.js';

/**
 * Real SCIM clients bend RFC 7643 types: Microsoft Entra sends booleans as the strings "True" / "False" and PATCH
 * ops capitalised ("Replace"). These readers accept what clients send and reject only what cannot be meant.
 */
export function readBoolean(value: unknown, attribute: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lowered = value.trim().toLowerCase();
    if (lowered === 'true') return true;
    if (lowered === 'false') return false;
  }
  throw scimErrors.invalidValue(`${attribute} must be a boolean`);
}

export function readString(value: unknown, attribute: string, max = 1000): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') throw scimErrors.invalidValue(`${attribute} must be a string`);
  const trimmed = value.trim();
  if (trimmed.length > max) throw scimErrors.invalidValue(`${attribute} is longer than ${max} characters`);
  return trimmed === '' ? null : trimmed;
}

export type PatchOp = 'add' | 'replace' | 'remove';

export function readPatchOp(value: unknown): PatchOp {
  const lowered = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (lowered === 'add' || lowered === 'replace' || lowered === 'remove') return lowered;
  throw scimErrors.invalidValue(
    `PATCH op must be add, replace or remove (got ${JSON.stringify(value)?.slice(0, 40)})`,
  );
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** SCIM attribute names are case-insensitive (RFC 7643 §2.1): finds the key as the client spelled it. */
export function findKey(object: Record<string, unknown>, name: string): string | undefined {
  const lowered = name.toLowerCase();
  return Object.keys(object).find((key) => key.toLowerCase() === lowered);
}

export function getAttr(object: Record<string, unknown>, name: string): unknown {
  const key = findKey(object, name);
  return key === undefined ? undefined : object[key];
}
