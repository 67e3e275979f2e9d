import { ConnectorError } from '../kit/errors.js';
import type { Directory } from './directory.js';
import { LdapResult } from './ldap-errors.js';
import { firstRdn, formatDn, isBelow, parentDn, parseDn } from './protocol/dn.js';

/** True when a ConnectorError carries this LDAP result code. */
export function isLdapCode(error: unknown, code: number): boolean {
  return error instanceof ConnectorError && error.vendorCode === String(code);
}

/** ModifyDN (RFC 4511 §4.9): new RDN, old RDN value removed, and a new superior when the parent changes. */
export async function moveEntry(dir: Directory, fromDn: string, toDn: string): Promise<void> {
  // Written in our own escaping, which ldapts splits into newrdn / newSuperior correctly.
  const canonical = formatDn(parseDn(toDn));
  await dir.run(`move ${fromDn} to ${canonical}`, (client) => client.modifyDN(fromDn, canonical));
  dir.forget(fromDn);
}

/** Makes sure an OU exists (and its parents, down from the base DN). */
export async function ensureOu(dir: Directory, dn: string): Promise<void> {
  if (await dir.read(dn, ['1.1'])) return;
  const parent = parentDn(dn);
  if (isBelow(parent, dir.settings.baseDn)) await ensureOu(dir, parent);
  const [ava] = firstRdn(dn);
  try {
    await dir.run(`add ${dn}`, (client) =>
      client.add(dn, { objectClass: ['top', 'organizationalUnit'], ou: ava?.value ?? dn }),
    );
  } catch (error) {
    if (!isLdapCode(error, LdapResult.entryAlreadyExists)) throw error;
  }
}
