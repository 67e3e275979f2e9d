import { Attribute, Change, type Client } from 'ldapts';
import { LdapEntry } from '../entry.js';
import { childDn, firstRdn, parentDn, rdnString } from '../protocol/dn.js';
import { eq } from '../protocol/filter.js';
import { guidFromBytes } from '../protocol/guid.js';

/**
 * What a tombstone keeps of a user (MS-ADTS 3.1.1.5.5.1.1, "Tombstone Requirements", without the Recycle Bin);
 * `sn` only because the emulation's `user` class requires it (see ad-schema.ts).
 */
const KEPT = new Set(
  [
    'objectClass',
    'cn',
    'sn',
    'sAMAccountName',
    'objectGUID',
    'objectSid',
    'userAccountControl',
    'whenCreated',
    'whenChanged',
    // slapd's own id, the emulation's stand-in for objectGUID (read for the RDN; slapd never lets it change).
    'entryUUID',
  ].map((a) => a.toLowerCase()),
);

/**
 * Deletes an entry of the AD emulation the way a domain controller does (MS-ADTS 3.1.1.5.5, "Delete
 * Operation"): its links are removed (here: `member` values naming it), it gets `isDeleted: TRUE` and
 * `lastKnownParent`, loses the attributes a tombstone does not keep, and moves into CN=Deleted Objects of the
 * domain as `CN=<name>\0ADEL:<objectGUID>`. slapd would delete it for real, leaving nothing for an incremental
 * read to find. Test and simulator helper, not part of the connector. Returns the tombstone's DN.
 */
export async function tombstone(
  client: Client,
  dn: string,
  domainDn: string,
  guidAttribute: 'objectGUID' | 'entryUUID' = 'entryUUID',
): Promise<string> {
  const { searchEntries } = await client.search(dn, {
    scope: 'base',
    filter: '(objectClass=*)',
    attributes: ['*', guidAttribute],
    explicitBufferAttributes: ['objectGUID', 'objectSid'],
  });
  const raw = searchEntries[0];
  if (!raw) throw new Error(`tombstone: no entry ${dn}`);
  const entry = LdapEntry.parse(raw);
  const [guidBytes] = entry.buffers(guidAttribute);
  const guid =
    guidAttribute === 'objectGUID' && guidBytes?.length === 16
      ? guidFromBytes(guidBytes)
      : (entry.first(guidAttribute) ?? '');
  if (!guid) throw new Error(`tombstone: ${dn} has no ${guidAttribute}`);

  const groups = await client.search(domainDn, {
    scope: 'sub',
    filter: eq('member', dn),
    attributes: ['1.1'],
  });
  for (const group of groups.searchEntries) {
    await client.modify(
      group.dn,
      new Change({ operation: 'delete', modification: new Attribute({ type: 'member', values: [dn] }) }),
    );
  }

  const stripped = entry.names().filter((name) => !KEPT.has(name.toLowerCase()));
  await client.modify(dn, [
    new Change({
      operation: 'replace',
      modification: new Attribute({ type: 'isDeleted', values: ['TRUE'] }),
    }),
    new Change({
      operation: 'replace',
      modification: new Attribute({ type: 'lastKnownParent', values: [parentDn(dn)] }),
    }),
    ...stripped.map(
      (type) => new Change({ operation: 'delete', modification: new Attribute({ type, values: [] }) }),
    ),
  ]);
  const name = firstRdn(dn)[0]?.value ?? guid;
  const deleted = childDn(rdnString('cn', `${name}\nDEL:${guid}`), childDn('cn=Deleted Objects', domainDn));
  await client.modifyDN(dn, deleted);
  return deleted;
}
