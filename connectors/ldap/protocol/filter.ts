/**
 * Search filters as strings (RFC 4515). Values from HR and from our own ids go into filters, so they are always
 * escaped here; attribute names come from configuration and are checked, never escaped.
 */

// RFC 4515 §3: in an assertion value, '*', '(', ')', '\' and NUL are written as '\' followed by two hex digits.
export function escapeFilterValue(value: string | Buffer): string {
  if (Buffer.isBuffer(value)) {
    // Binary values (AD objectGUID) are written byte by byte.
    return [...value].map((byte) => `\\${byte.toString(16).padStart(2, '0')}`).join('');
  }
  return value.replace(/[*()\\\0]/g, (ch) => `\\${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

// RFC 4512 §2.5: attribute descriptions are a descr (keystring) or a numeric OID, with options after ';'.
const ATTRIBUTE_DESCRIPTION = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)(?:;[A-Za-z0-9-]+)*$/;

export function assertAttributeName(name: string): string {
  if (!ATTRIBUTE_DESCRIPTION.test(name)) {
    throw new Error(`not an LDAP attribute name: ${JSON.stringify(name)}`);
  }
  return name;
}

export function eq(attribute: string, value: string | Buffer): string {
  return `(${assertAttributeName(attribute)}=${escapeFilterValue(value)})`;
}

export function gte(attribute: string, value: string): string {
  return `(${assertAttributeName(attribute)}>=${escapeFilterValue(value)})`;
}

export function present(attribute: string): string {
  return `(${assertAttributeName(attribute)}=*)`;
}

export function and(...filters: string[]): string {
  return filters.length === 1 ? (filters[0] ?? '') : `(&${filters.join('')})`;
}

export function or(...filters: string[]): string {
  return filters.length === 1 ? (filters[0] ?? '') : `(|${filters.join('')})`;
}

export function not(filter: string): string {
  return `(!${filter})`;
}

/** Checks a filter written in configuration: balanced parentheses, one outer pair. */
export function assertFilter(filter: string): string {
  let depth = 0;
  for (let i = 0; i < filter.length; i++) {
    const ch = filter[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0 && i !== filter.length - 1) throw new Error(`not one LDAP filter: ${filter}`);
    }
    if (depth < 0) throw new Error(`unbalanced parentheses in LDAP filter: ${filter}`);
  }
  if (depth !== 0 || !filter.startsWith('(')) throw new Error(`not an LDAP filter (RFC 4515): ${filter}`);
  return filter;
}
