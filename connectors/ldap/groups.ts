import { Attribute, Change } from 'ldapts';
import type { Page, ReadRequest, TargetGroup } from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import { userFilter } from './accounts.js';
import type { Directory } from './directory.js';
import type { LdapEntry } from './entry.js';
import { ensureOu, isLdapCode } from './entry-writes.js';
import { LdapResult } from './ldap-errors.js';
import { childDn, normalizeDn, rdnString } from './protocol/dn.js';
import { and, eq } from './protocol/filter.js';

// AD groupType: global scope (0x2) | security enabled (0x80000000), as a signed 32-bit integer ([MS-ADTS] §2.2.12).
const AD_GLOBAL_SECURITY_GROUP = String(0x80000002 | 0);
const RANGE = /^member;range=(\d+)-(\d+|\*)$/i;

/**
 * The member DNs of a group. AD returns at most MaxValRange (1,500) values per read and names the attribute
 * `member;range=0-1499`; the rest is fetched range by range ([MS-ADTS] §3.1.1.3.1.3.3, "Range Retrieval").
 */
async function memberDns(dir: Directory, entry: LdapEntry): Promise<string[]> {
  const placeholder = dir.settings.emptyGroupMember;
  const keep = (dns: string[]): string[] => dns.filter((dn) => dn !== '' && dn !== placeholder);
  let rangeName = entry.names().find((name) => RANGE.test(name));
  if (!rangeName) return keep(entry.all('member'));
  const values = [...entry.all(rangeName)];
  for (;;) {
    const end = RANGE.exec(rangeName)?.[2];
    if (end === undefined || end === '*') break;
    const next = `member;range=${Number(end) + 1}-*`;
    const more = await dir.read(entry.dn, [next], `read the members of ${entry.dn}`);
    rangeName = more?.names().find((name) => RANGE.test(name));
    if (!more || !rangeName) break;
    values.push(...more.all(rangeName));
  }
  return keep(values);
}

export async function listGroups(dir: Directory, request: ReadRequest): Promise<Page<TargetGroup>> {
  const s = dir.settings;
  const page = await dir.readPage(
    {
      base: s.groupsDn,
      scope: 'sub',
      filter: s.groupClassFilter,
      attributes: ['cn', 'member'],
      pageSize: request.pageSize,
    },
    request.cursor,
  );
  const members = new Map<LdapEntry, string[]>();
  for (const entry of page.entries) members.set(entry, await memberDns(dir, entry));
  const ids = await dir.idsOfDns([...members.values()].flat());
  const items = page.entries.map((entry): TargetGroup => ({
    externalId: dir.idOf(entry),
    name: entry.first('cn') ?? entry.dn,
    // Members that no longer exist (dangling DNs) are not accounts; leave them out.
    memberExternalIds: (members.get(entry) ?? []).map((dn) => ids.get(dn)).filter((id): id is string => !!id),
  }));
  return { items, nextCursor: page.nextCursor };
}

/**
 * Makes the group's members exactly these accounts, creating the group in groupsOu when it does not exist. One
 * modify adds and deletes the differences (atomic on the server). groupOfNames must keep one member (RFC 4519
 * §3.5), so an empty OpenLDAP group holds the empty DN, which the connector never reports as a member.
 */
export async function setGroupMembers(
  dir: Directory,
  groupName: string,
  memberExternalIds: string[],
): Promise<{ groupExternalId: string }> {
  const s = dir.settings;
  if (groupName.trim() === '')
    throw new ConnectorError('invalid_config', { message: 'a group needs a name' });
  const wanted = [...(await dir.dnsOfIds(memberExternalIds, 'accounts', userFilter(s))).values()];
  const group = await findGroup(dir, groupName);
  if (!group) {
    const created = await createGroup(dir, groupName, wanted);
    if (created) return { groupExternalId: created };
  }
  for (let attempt = 1; ; attempt++) {
    const current = group && attempt === 1 ? group : await findGroup(dir, groupName);
    if (!current)
      throw new ConnectorError('not_found', {
        message: `group ${groupName} disappeared while its members were being set`,
      });
    try {
      await applyMembers(dir, current, wanted);
      return { groupExternalId: dir.idOf(current) };
    } catch (error) {
      // Someone (or our own retried request) changed the members meanwhile: read again and redo the difference.
      const raced =
        isLdapCode(error, LdapResult.attributeOrValueExists) || isLdapCode(error, LdapResult.noSuchAttribute);
      if (!raced || attempt >= 3) throw error;
    }
  }
}

async function findGroup(dir: Directory, name: string): Promise<LdapEntry | null> {
  const s = dir.settings;
  const [group] = await dir.search(`find group ${name}`, s.groupsDn, {
    scope: 'sub',
    filter: and(s.groupClassFilter, eq('cn', name)),
    attributes: ['cn', 'member', s.uuidAttribute],
    sizeLimit: 2,
  });
  return group ?? null;
}

/** Adds the group; returns its id, or null when it turned out to exist already (a concurrent or retried create). */
async function createGroup(dir: Directory, name: string, members: string[]): Promise<string | null> {
  const s = dir.settings;
  const dn = childDn(rdnString('cn', name), s.groupsDn);
  const memberValues = members.length > 0 ? members : s.emptyGroupMember === null ? [] : [s.emptyGroupMember];
  const attributes = [
    new Attribute({ type: 'objectClass', values: s.groupObjectClasses }),
    new Attribute({ type: 'cn', values: [name] }),
    ...(s.flavour === 'ad'
      ? [
          new Attribute({ type: 'groupType', values: [AD_GLOBAL_SECURITY_GROUP] }),
          new Attribute({ type: 'sAMAccountName', values: [name] }),
        ]
      : []),
    ...(memberValues.length > 0 ? [new Attribute({ type: 'member', values: memberValues })] : []),
  ];
  const add = (): Promise<void> => dir.run(`add group ${dn}`, (client) => client.add(dn, attributes));
  try {
    await add();
  } catch (error) {
    if (isLdapCode(error, LdapResult.entryAlreadyExists)) return null;
    if (!isLdapCode(error, LdapResult.noSuchObject)) throw error;
    await ensureOu(dir, s.groupsDn);
    await add();
  }
  const created = await dir.read(dn, [s.uuidAttribute]);
  if (!created) throw new ConnectorError('vendor_error', { message: `added ${dn} but cannot read it back` });
  return dir.idOf(created);
}

async function applyMembers(dir: Directory, group: LdapEntry, wanted: string[]): Promise<void> {
  const placeholder = dir.settings.emptyGroupMember;
  const raw = group.all('member');
  const current = await memberDns(dir, group);
  const currentKeys = new Set(current.map(normalizeDn));
  const wantedKeys = new Set(wanted.map(normalizeDn));
  const toAdd = wanted.filter((dn) => !currentKeys.has(normalizeDn(dn)));
  const toDelete = current.filter((dn) => !wantedKeys.has(normalizeDn(dn)));
  const hasPlaceholder = placeholder !== null && raw.includes(placeholder);
  if (placeholder !== null) {
    if (wanted.length === 0 && !hasPlaceholder) toAdd.push(placeholder);
    if (wanted.length > 0 && hasPlaceholder) toDelete.push(placeholder);
  }
  const changes: Change[] = [];
  // Add before delete in the same request, so a groupOfNames never passes through having no member.
  if (toAdd.length > 0)
    changes.push(
      new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: toAdd }) }),
    );
  if (toDelete.length > 0)
    changes.push(
      new Change({ operation: 'delete', modification: new Attribute({ type: 'member', values: toDelete }) }),
    );
  if (changes.length === 0) return;
  await dir.run(`set the members of ${group.dn}`, (client) => client.modify(group.dn, changes));
}
