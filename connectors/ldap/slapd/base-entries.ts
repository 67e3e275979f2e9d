import { childDn, firstRdn } from '../protocol/dn.js';
import type { LdifEntry } from '../protocol/ldif.js';
import type { DirectoryFlavour } from './slapd-config.js';

export interface DirectoryLayout {
  baseDn: string;
  usersDn: string;
  groupsDn: string;
  /** A bound user with read access only (for permission tests and read-only connections). */
  readerDn: string;
  /** openldap flavour: the default password policy (lockout on, no automatic lockout after failures). */
  policyDn: string;
}

export function directoryLayout(baseDn: string): DirectoryLayout {
  return {
    baseDn,
    usersDn: childDn('ou=people', baseDn),
    groupsDn: childDn('ou=groups', baseDn),
    readerDn: childDn('cn=reader', baseDn),
    policyDn: childDn('cn=default', childDn('ou=policies', baseDn)),
  };
}

/** The suffix entry, chosen by the naming attribute of the base DN's first RDN. */
function suffixEntry(baseDn: string): LdifEntry {
  const [ava] = firstRdn(baseDn);
  if (!ava) throw new Error(`base DN ${baseDn} has an empty first RDN`);
  switch (ava.type.toLowerCase()) {
    case 'dc':
      return {
        dn: baseDn,
        attributes: { objectClass: ['top', 'dcObject', 'organization'], dc: ava.value, o: ava.value },
      };
    case 'o':
      return { dn: baseDn, attributes: { objectClass: ['top', 'organization'], o: ava.value } };
    case 'ou':
      return { dn: baseDn, attributes: { objectClass: ['top', 'organizationalUnit'], ou: ava.value } };
    default:
      throw new Error(`base DN ${baseDn}: use dc=…, o=… or ou=… as its first RDN`);
  }
}

function ou(dn: string, name: string): LdifEntry {
  return { dn, attributes: { objectClass: ['top', 'organizationalUnit'], ou: name } };
}

/** What every harness / simulator directory starts with, before any seed. */
export function baseEntries(
  layout: DirectoryLayout,
  flavour: DirectoryFlavour,
  readerPasswordHash: string,
): LdifEntry[] {
  const entries: LdifEntry[] = [
    suffixEntry(layout.baseDn),
    ou(layout.usersDn, 'people'),
    ou(layout.groupsDn, 'groups'),
    {
      dn: layout.readerDn,
      attributes: {
        objectClass: ['top', 'organizationalRole', 'simpleSecurityObject'],
        cn: 'reader',
        description: 'read-only service account',
        userPassword: readerPasswordHash,
      },
    },
  ];
  if (flavour === 'ad') {
    // Where a domain controller keeps tombstones (see ad-schema.ts); hidden from searches without Show Deleted.
    entries.push({
      dn: childDn('cn=Deleted Objects', layout.baseDn),
      attributes: { objectClass: ['top', 'container'], cn: 'Deleted Objects', isDeleted: 'TRUE' },
    });
  }
  if (flavour === 'openldap') {
    entries.push(ou(childDn('ou=policies', layout.baseDn), 'policies'), {
      dn: layout.policyDn,
      attributes: {
        // slapo-ppolicy(5): with pwdLockout TRUE a pwdAccountLockedTime of 000001010000Z locks the account for
        // good; pwdMaxFailure 0 means failed binds never lock anyone automatically.
        objectClass: ['top', 'device', 'pwdPolicy'],
        cn: 'default',
        pwdAttribute: 'userPassword',
        pwdLockout: 'TRUE',
        pwdMaxFailure: '0',
      },
    });
  }
  return entries;
}
