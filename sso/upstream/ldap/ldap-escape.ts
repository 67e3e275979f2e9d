/** RFC 4515 §3: a value inside a search filter, with `*`, `(`, `)`, `\` and NUL escaped as `\XX`. */
export function escapeFilterValue(value: string): string {
  // Non-ASCII stays as is: the LDAP client encodes the filter as UTF-8 (RFC 4515 §3 allows UTF-8 values).
  return value.replace(/[*()\\\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** RFC 4514 §2.4: a value inside a DN (attribute value of an RDN). */
export function escapeDnValue(value: string): string {
  let out = value.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  if (out.endsWith(' ')) out = `${out.slice(0, -1)}\\ `;
  return out;
}
