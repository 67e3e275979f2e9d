import type { Page, ReadRequest, SourcePerson } from '../kit/contract.js';
import { exposedAttributes, isActive } from './account-entry.js';
import { userFilter } from './accounts.js';
import { deletedSince } from './deletions.js';
import type { Directory } from './directory.js';
import type { LdapEntry } from './entry.js';
import { isBelow, parentDn, sameDn } from './protocol/dn.js';
import { gte } from './protocol/filter.js';
import { changedSinceValue, currentWatermark } from './watermark.js';

/** Attributes that become SourcePerson fields and are therefore not repeated in `attributes`. */
function consumed(dir: Directory): Set<string> {
  const map = dir.settings.attributes;
  return new Set(
    [
      map.correlation,
      map.givenName,
      map.familyName,
      map.displayName,
      map.email,
      map.phone,
      map.jobTitle,
      map.manager,
      map.division,
      map.location,
    ].map((a) => a.toLowerCase()),
  );
}

/**
 * People as the directory holds them (the directory as an HR-like source): paged under usersOu; incremental by
 * the server's change time, with the people deleted since from AD's Deleted Objects or OpenLDAP's access log when
 * configured (deletions.ts). The external id is the entry's entryUUID / objectGUID, so renames and moves keep
 * identity; manager DNs and department OUs are turned into those ids too.
 */
export async function readPeople(dir: Directory, request: ReadRequest): Promise<Page<SourcePerson>> {
  const s = dir.settings;
  const since = changedSinceValue(s, request.changedSince);
  // Taken before the search starts: a change made while we page is then picked up by the next read.
  const watermark = request.cursor === null ? currentWatermark() : undefined;
  const page = await dir.readPage(
    {
      base: s.usersDn,
      scope: 'sub',
      filter: since ? userFilter(s, gte(s.changedAttribute, since)) : userFilter(s),
      attributes: ['*', ...(s.disableStrategy === 'ppolicy' ? ['pwdAccountLockedTime'] : [])],
      pageSize: request.pageSize,
    },
    request.cursor,
  );
  const map = s.attributes;
  const departmentOf = (entry: LdapEntry): string | null => {
    const parent = parentDn(entry.dn);
    return isBelow(parent, s.departmentsDn) && !sameDn(parent, s.disabledDn) ? parent : null;
  };
  const managers = page.entries.map((e) => e.first(map.manager)).filter((dn): dn is string => !!dn);
  const departments = page.entries.map(departmentOf).filter((dn): dn is string => dn !== null);
  const ids = await dir.idsOfDns([...managers, ...departments]);
  const skip = consumed(dir);
  const items = page.entries.map((entry): SourcePerson => {
    const manager = entry.first(map.manager);
    const department = departmentOf(entry);
    const attributes = Object.fromEntries(
      Object.entries(exposedAttributes(s, entry)).filter(([name]) => !skip.has(name.toLowerCase())),
    );
    return {
      externalId: dir.idOf(entry),
      employeeNumber: entry.first(map.correlation),
      givenName: entry.first(map.givenName),
      familyName: entry.first(map.familyName),
      displayName: entry.first(map.displayName) ?? entry.first('cn') ?? entry.dn,
      email: entry.first(map.email),
      phone: entry.first(map.phone) ?? entry.first(map.mobile),
      departmentExternalId: department ? (ids.get(department) ?? null) : null,
      managerExternalId: manager ? (ids.get(manager) ?? null) : null,
      jobTitle: entry.first(map.jobTitle),
      rank: null,
      grade: null,
      costCenter: null,
      division: entry.first(map.division),
      location: entry.first(map.location),
      status: isActive(s, entry) ? 'active' : 'inactive',
      hireDate: null,
      terminationDate: null,
      attributes,
    };
  });
  // Deletions since the watermark travel with the first page of an incremental read (see deletions.ts).
  const removed = since && request.cursor === null ? await deletedSince(dir, since) : [];
  return {
    items,
    nextCursor: page.nextCursor,
    ...(watermark === undefined ? {} : { watermark }),
    ...(removed.length > 0 ? { removedExternalIds: removed } : {}),
  };
}
