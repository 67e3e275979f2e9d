/**
 * Writing LDIF (RFC 2849) for `slapadd`. Values that are not SAFE-STRINGs are base64-encoded, so names with
 * accents, leading spaces or colons and binary values (AD objectGUID) load unchanged.
 */

export type LdifValue = string | Buffer;
export interface LdifEntry {
  dn: string;
  attributes: Record<string, LdifValue | LdifValue[] | undefined | null>;
}

// RFC 2849: SAFE-INIT-CHAR excludes NUL, LF, CR, space, ':' and '<'; SAFE-CHAR is 0x01-0x7F except LF and CR.
function isSafeString(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0 || code === 0x0a || code === 0x0d || code > 0x7f) return false;
    if (i === 0 && (code === 0x20 || code === 0x3a || code === 0x3c)) return false;
  }
  return true;
}

/** One `name: value` line, base64 (`name:: …`) when the value is not a SAFE-STRING. */
export function ldifLine(name: string, value: LdifValue): string {
  if (typeof value === 'string' && isSafeString(value) && !value.endsWith(' ')) return `${name}: ${value}\n`;
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return `${name}:: ${bytes.toString('base64')}\n`;
}

export function formatLdifEntry(entry: LdifEntry): string {
  const lines = [ldifLine('dn', entry.dn)];
  for (const [name, raw] of Object.entries(entry.attributes)) {
    if (raw === undefined || raw === null) continue;
    if (Array.isArray(raw)) for (const value of raw) lines.push(ldifLine(name, value));
    else lines.push(ldifLine(name, raw));
  }
  lines.push('\n');
  return lines.join('');
}
