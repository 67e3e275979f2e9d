import type { Filter } from 'scim2-parse-filter';
import {
  findByName,
  resolveAttribute,
  type AttributeDefinition,
  type ResourceKind,
  type SchemaDefinition,
} from './attribute-schema.js';
import { parseFilter } from './filter.js';
import { badRequest } from './protocol-error.js';

/** Where a PATCH operation points (RFC 7644 §3.5.2 "path"). */
export interface PatchTarget {
  /** The extension holding the attribute; null for core and common attributes. */
  extension: SchemaDefinition | null;
  /** null when the path names a whole extension (`urn:…:enterprise:2.0:User`). */
  attribute: AttributeDefinition | null;
  /** `name.givenName`, or the `.value` after a value filter. */
  sub: AttributeDefinition | null;
  /** `members[value eq "…"]`: selects values of a multi-valued attribute. */
  filter: Filter | null;
}

/**
 * Parses `PATH = attrPath / valuePath [subAttr]` (RFC 7644 §3.5.2, ABNF in §3.10 and figure 1 of §3.4.2.2).
 * An unknown attribute is 400 `invalidPath`, a bad filter 400 `invalidFilter`.
 */
export function parsePatchPath(kind: ResourceKind, path: string): PatchTarget {
  const trimmed = path.trim();
  const wholeExtension = kind.extensions.find(
    (candidate) => candidate.id.toLowerCase() === trimmed.toLowerCase(),
  );
  if (wholeExtension) return { extension: wholeExtension, attribute: null, sub: null, filter: null };

  const open = trimmed.indexOf('[');
  if (open < 0) {
    const resolved = resolveAttribute(kind, trimmed);
    if (!resolved) throw badRequest('invalidPath', `"${path}" is not an attribute of ${kind.name}`);
    return { extension: resolved.extension, attribute: resolved.attribute, sub: resolved.sub, filter: null };
  }
  const close = trimmed.lastIndexOf(']');
  if (close < open) throw badRequest('invalidPath', `"${path}": unbalanced "[" in the path`);
  const resolved = resolveAttribute(kind, trimmed.slice(0, open));
  if (!resolved || resolved.sub)
    throw badRequest('invalidPath', `"${path}" is not an attribute of ${kind.name}`);
  if (!resolved.attribute.multiValued || resolved.attribute.type !== 'complex') {
    throw badRequest('invalidPath', `"${path}": only a complex multi-valued attribute takes a value filter`);
  }
  const filter = parseFilter(trimmed.slice(open + 1, close));
  const after = trimmed.slice(close + 1);
  let sub: AttributeDefinition | null = null;
  if (after.length > 0) {
    if (!after.startsWith('.'))
      throw badRequest('invalidPath', `"${path}": expected ".subAttribute" after "]"`);
    sub = findByName(resolved.attribute.subAttributes ?? [], after.slice(1)) ?? null;
    if (!sub) throw badRequest('invalidPath', `"${path}": ${after.slice(1)} is not a sub-attribute`);
  }
  return { extension: resolved.extension, attribute: resolved.attribute, sub, filter };
}
