/**
 * Distinguished names as strings (RFC 4514). We build DNs from values that come from HR (names with commas,
 * plus signs, leading '#', accents…), so every value placed in a DN goes through `escapeDnValue`, and every DN
 * read back from the server is parsed, never split on ','.
 */

export interface Ava {
  type: string;
  value: string;
  /** The value was written in the `#hexstring` (BER) form and is kept verbatim. */
  ber?: boolean;
}
/** One relative distinguished name: usually one type=value, several for a multi-valued RDN (`cn=a+uid=b`). */
export type Rdn = Ava[];

const HEX = /^[0-9a-fA-F]{2}$/;

// RFC 4514 §2.4: escape the specials anywhere, '#' and space at the start, space at the end, and NUL.
// A backslash is written as the hexpair \5c (also RFC 4514) rather than '\\': ldapts splits a new DN at the first
// comma not preceded by a backslash, which '\\,' would defeat.
export function escapeDnValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    if (ch === '\0') out += '\\00';
    else if (ch === '\\') out += '\\5c';
    else if ('"+,;<>'.includes(ch)) out += `\\${ch}`;
    else if (i === 0 && (ch === ' ' || ch === '#')) out += `\\${ch}`;
    else if (i === value.length - 1 && ch === ' ') out += '\\ ';
    else out += ch;
  }
  return out;
}

export class DnSyntaxError extends Error {
  constructor(dn: string, reason: string) {
    super(`not a valid DN (RFC 4514): ${JSON.stringify(dn)}: ${reason}`);
    this.name = 'DnSyntaxError';
  }
}

const ATTRIBUTE_TYPE = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)$/;

// RFC 4514 §3: distinguishedName = [ relativeDistinguishedName *( COMMA relativeDistinguishedName ) ].
export function parseDn(dn: string): Rdn[] {
  const rdns: Rdn[] = [];
  if (dn.trim() === '') return rdns;
  let rdn: Rdn = [];
  let i = 0;
  const fail = (reason: string): never => {
    throw new DnSyntaxError(dn, reason);
  };
  while (i <= dn.length) {
    // attributeType '='
    while (dn[i] === ' ') i++;
    const eq = dn.indexOf('=', i);
    if (eq < 0) fail('missing "="');
    const type = dn.slice(i, eq).trim();
    if (!ATTRIBUTE_TYPE.test(type)) fail(`bad attribute type ${JSON.stringify(type)}`);
    i = eq + 1;
    while (dn[i] === ' ') i++;
    let value: string;
    let ber = false;
    if (dn[i] === '#') {
      ber = true;
      // hexstring form (BER encoding): kept as written, it is compared verbatim.
      let j = i + 1;
      while (j < dn.length && /[0-9a-fA-F]/.test(dn.charAt(j))) j++;
      value = dn.slice(i, j);
      i = j;
    } else {
      // Text accumulates as a string; runs of \xx escapes are UTF-8 bytes, decoded when the run ends.
      let text = '';
      let run: number[] = [];
      let pendingSpaces = '';
      const flushRun = (): void => {
        if (run.length > 0) text += Buffer.from(run).toString('utf8');
        run = [];
      };
      while (i < dn.length) {
        const ch = dn.charAt(i);
        if (ch === ',' || ch === '+' || ch === ';') break;
        if (ch === '\\') {
          const pair = dn.slice(i + 1, i + 3);
          if (HEX.test(pair)) {
            if (pendingSpaces) {
              flushRun();
              text += pendingSpaces;
              pendingSpaces = '';
            }
            run.push(parseInt(pair, 16));
            i += 3;
            continue;
          }
          if (i + 1 >= dn.length) fail('dangling "\\"');
          flushRun();
          text += pendingSpaces;
          pendingSpaces = '';
          const escaped = String.fromCodePoint(dn.codePointAt(i + 1) ?? 0);
          text += escaped;
          i += 1 + escaped.length;
          continue;
        }
        if (ch === ' ') {
          // Unescaped trailing spaces are not part of the value; inner ones are.
          pendingSpaces += ' ';
          i++;
          continue;
        }
        flushRun();
        text += pendingSpaces + ch;
        pendingSpaces = '';
        i++;
      }
      flushRun();
      value = text;
    }
    rdn.push(ber ? { type, value, ber } : { type, value });
    while (dn[i] === ' ') i++;
    if (i >= dn.length) {
      rdns.push(rdn);
      break;
    }
    const sep = dn[i];
    i++;
    if (sep === ',' || sep === ';') {
      rdns.push(rdn);
      rdn = [];
      if (i >= dn.length) fail('ends with a separator');
    } else if (sep === '+') {
      if (i >= dn.length) fail('ends with "+"');
    } else fail(`unexpected ${JSON.stringify(sep)}`);
  }
  return rdns;
}

export function formatRdn(rdn: Rdn): string {
  return rdn.map((ava) => `${ava.type}=${ava.ber ? ava.value : escapeDnValue(ava.value)}`).join('+');
}

export function formatDn(rdns: Rdn[]): string {
  return rdns.map(formatRdn).join(',');
}

/** `type=value` with the value escaped. */
export function rdnString(type: string, value: string): string {
  return `${type}=${escapeDnValue(value)}`;
}

/** Joins an RDN string onto a parent DN. */
export function childDn(rdn: string, parent: string): string {
  return parent === '' ? rdn : `${rdn},${parent}`;
}

export function parentDn(dn: string): string {
  return formatDn(parseDn(dn).slice(1));
}

export function firstRdn(dn: string): Rdn {
  const [rdn] = parseDn(dn);
  if (!rdn) throw new DnSyntaxError(dn, 'the empty DN has no RDN');
  return rdn;
}

/**
 * A comparison key: types and values lower-cased, values unescaped and re-escaped canonically. Good for the
 * case-insensitive attribute types DNs are built from in practice (cn, uid, ou, dc, o); not a full
 * distinguishedNameMatch.
 */
const normalized = new Map<string, string>();

export function normalizeDn(dn: string): string {
  const cached = normalized.get(dn);
  if (cached !== undefined) return cached;
  // The same few thousand DNs (bases, OUs, managers) are compared over and over during a read.
  if (normalized.size >= 20_000) normalized.clear();
  const key = computeNormalizedDn(dn);
  normalized.set(dn, key);
  return key;
}

function computeNormalizedDn(dn: string): string {
  return parseDn(dn)
    .map((rdn) =>
      rdn
        .map((ava) => ({ type: ava.type.toLowerCase(), value: ava.value.toLowerCase().replace(/\s+/g, ' ') }))
        .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))
        .map((ava) => `${ava.type}=${escapeDnValue(ava.value)}`)
        .join('+'),
    )
    .join(',');
}

export function sameDn(a: string, b: string): boolean {
  return normalizeDn(a) === normalizeDn(b);
}

/** True when `dn` lies strictly below `ancestor`. */
export function isBelow(dn: string, ancestor: string): boolean {
  const d = normalizeDn(dn);
  const a = normalizeDn(ancestor);
  return a === '' ? d !== '' : d.endsWith(`,${a}`);
}
