import { Control } from 'ldapts';
import { AD_USER_CLASS_FILTER } from './config.js';
import type { Directory } from './directory.js';
import { LdapEntry } from './entry.js';
import { isBelow, sameDn } from './protocol/dn.js';
import { and, gte } from './protocol/filter.js';

/**
 * LDAP_SERVER_SHOW_DELETED_OID (MS-ADTS 3.1.1.3.4.1.14): a search also returns tombstones. Sent non-critical, so
 * a server without it (the slapd emulation) ignores it instead of refusing the search.
 */
export const SHOW_DELETED_OID = '1.2.840.113556.1.4.417';

/**
 * A change-time filter cannot match an entry that no longer exists, so incremental reads ask the directory's own
 * record of deletions, when it keeps one:
 * - Active Directory keeps a deleted object as a tombstone (isDeleted TRUE, objectGUID kept) in CN=Deleted Objects
 *   for the tombstone lifetime (180 days by default), visible with the Show Deleted control. Reading it needs the
 *   List Contents and Read Property rights on that container, which only administrators have by default
 *   (`dsacls "CN=Deleted Objects,DC=…" /takeownership` then `/G <account>:LCRP`); check() says when they are
 *   missing.
 * - OpenLDAP with slapo-accesslog logs each delete as an `auditDelete` entry with `reqDN` and `reqEntryUUID`
 *   (`accesslogDn`).
 * Otherwise (OpenLDAP without an access log, 389-DS and others) only a full read notices people who are gone.
 *
 * Returns the external ids of people deleted at or after `since` (a generalized time). Over-reporting is harmless:
 * the engine acts only on ids of people it read from this connection.
 */
export async function deletedSince(dir: Directory, since: string): Promise<string[]> {
  const source = dir.settings.deletions;
  if (!source) return [];
  return source.kind === 'deletedObjects'
    ? tombstonesSince(dir, source.dn, since)
    : accesslogSince(dir, source.dn, since);
}

async function tombstonesSince(dir: Directory, container: string, since: string): Promise<string[]> {
  const s = dir.settings;
  const entries = await dir.run(`read deleted users in ${container}`, async (client) => {
    const result = await client.search(
      container,
      {
        scope: 'one',
        filter: and('(isDeleted=TRUE)', AD_USER_CLASS_FILTER, gte(s.changedAttribute, since)),
        attributes: [s.uuidAttribute, 'lastKnownParent'],
        explicitBufferAttributes: dir.bufferAttributes(),
        paged: { pageSize: s.pageSize },
      },
      new Control(SHOW_DELETED_OID, { critical: false }),
    );
    return result.searchEntries.map((raw) => LdapEntry.parse(raw));
  });
  const ids: string[] = [];
  for (const entry of entries) {
    // Users deleted from elsewhere in the domain are not ours; one whose OU was deleted with it names a tombstone.
    const parent = entry.first('lastKnownParent');
    const inScope =
      parent === null ||
      sameDn(parent, s.usersDn) ||
      isBelow(parent, s.usersDn) ||
      isBelow(parent, container);
    const id = inScope ? tombstoneId(dir, entry) : null;
    if (id) ids.push(id);
  }
  return ids;
}

function tombstoneId(dir: Directory, entry: LdapEntry): string | null {
  try {
    return dir.idOf(entry);
  } catch {
    return null;
  }
}

async function accesslogSince(dir: Directory, log: string, since: string): Promise<string[]> {
  const s = dir.settings;
  const entries = await dir.run(`read deletes in the access log ${log}`, async (client) => {
    const result = await client.search(log, {
      scope: 'one',
      filter: and('(objectClass=auditDelete)', '(reqResult=0)', gte('reqStart', since)),
      attributes: ['reqDN', 'reqEntryUUID', 'reqOld'],
      paged: { pageSize: s.pageSize },
    });
    return result.searchEntries.map((raw) => LdapEntry.parse(raw));
  });
  const ids: string[] = [];
  for (const entry of entries) {
    const dn = entry.first('reqDN');
    if (!dn || !isBelow(dn, s.usersDn)) continue;
    const id = accesslogId(s.uuidAttribute, entry);
    if (id) ids.push(id);
  }
  return ids;
}

/** reqEntryUUID when the id is entryUUID; otherwise the id attribute's old value, when the log keeps it (logold). */
function accesslogId(uuidAttribute: string, entry: LdapEntry): string | null {
  if (uuidAttribute.toLowerCase() === 'entryuuid') {
    const uuid = entry.first('reqEntryUUID');
    if (uuid) return uuid;
  }
  const prefix = `${uuidAttribute.toLowerCase()}:`;
  const old = entry.all('reqOld').find((value) => value.toLowerCase().startsWith(prefix));
  return old ? old.slice(prefix.length).trim() : null;
}
