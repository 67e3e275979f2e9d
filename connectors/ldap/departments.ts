import { Attribute, Change } from 'ldapts';
import type { DepartmentInput, Page, ReadRequest, SourceDepartment } from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import type { Directory } from './directory.js';
import { LdapResult } from './ldap-errors.js';
import { ensureOu, isLdapCode, moveEntry } from './entry-writes.js';
import { childDn, firstRdn, isBelow, parentDn, rdnString, sameDn } from './protocol/dn.js';
import { and, eq, gte } from './protocol/filter.js';
import { changedSinceValue, currentWatermark } from './watermark.js';

export const OU_FILTER = '(objectClass=organizationalUnit)';
/**
 * An OU has no attribute for a foreign key, so the department's correlation id is kept as a `businessCategory`
 * value (allowed on organizationalUnit by RFC 4519 and by AD's schema) with a prefix that marks it as ours.
 */
const MARKER_ATTRIBUTE = 'businessCategory';
const MARKER_PREFIX = 'junction:';

async function parentOf(dir: Directory, input: DepartmentInput): Promise<string> {
  if (!input.parentExternalId) return dir.settings.departmentsDn;
  const parent = await dir.requireById(input.parentExternalId, ['1.1'], 'parent department OU', OU_FILTER);
  return parent.dn;
}

/** Creates the department's OU, or renames / moves it (ModifyDN) when its name or parent changed. */
export async function upsertDepartment(
  dir: Directory,
  input: DepartmentInput,
): Promise<{ externalId: string }> {
  const s = dir.settings;
  if (input.name.trim() === '')
    throw new ConnectorError('invalid_config', { message: 'a department needs a name for its OU' });
  const marker = `${MARKER_PREFIX}${input.correlationId}`;
  const parent = await parentOf(dir, input);
  const wanted = childDn(rdnString('ou', input.name), parent);
  const [existing] = await dir.search('find the department OU', s.departmentsDn, {
    scope: 'sub',
    filter: and(OU_FILTER, eq(MARKER_ATTRIBUTE, marker)),
    attributes: ['ou', s.uuidAttribute],
    sizeLimit: 2,
  });
  if (existing) {
    if (!sameDn(existing.dn, wanted)) {
      if (isBelow(wanted, existing.dn)) {
        throw new ConnectorError('conflict', {
          message: `cannot move ${existing.dn} below itself (${wanted})`,
        });
      }
      try {
        await moveEntry(dir, existing.dn, wanted);
      } catch (error) {
        if (isLdapCode(error, LdapResult.entryAlreadyExists)) {
          throw new ConnectorError('conflict', {
            message: `cannot rename or move ${existing.dn}: ${wanted} already exists`,
          });
        }
        throw error;
      }
    }
    return { externalId: dir.idOf(existing) };
  }

  try {
    await dir.run(`add ${wanted}`, (client) =>
      client.add(wanted, {
        objectClass: ['top', 'organizationalUnit'],
        ou: input.name,
        [MARKER_ATTRIBUTE]: marker,
      }),
    );
  } catch (error) {
    if (isLdapCode(error, LdapResult.noSuchObject) && sameDn(parent, s.departmentsDn)) {
      await ensureOu(dir, s.departmentsDn);
      return upsertDepartment(dir, input);
    }
    if (!isLdapCode(error, LdapResult.entryAlreadyExists)) throw error;
    // An OU of that name is already there: ours (a retried create) or an admin's, which we adopt by marking it.
    const found = await dir.read(wanted, [MARKER_ATTRIBUTE, s.uuidAttribute]);
    const markers = found?.all(MARKER_ATTRIBUTE).filter((v) => v.startsWith(MARKER_PREFIX)) ?? [];
    if (found && markers.length === 0) {
      const mark = new Change({
        operation: 'add',
        modification: new Attribute({ type: MARKER_ATTRIBUTE, values: [marker] }),
      });
      await dir.run(`mark ${wanted}`, (client) => client.modify(wanted, mark));
    } else if (!found || !markers.includes(marker)) {
      throw new ConnectorError('conflict', {
        message: `${wanted} already exists for another department (${markers.join(', ')})`,
      });
    }
  }
  const created = await dir.read(wanted, [s.uuidAttribute]);
  if (!created)
    throw new ConnectorError('vendor_error', { message: `added ${wanted} but cannot read it back` });
  return { externalId: dir.idOf(created) };
}

/** Deletes the department's OU; it must be empty (notAllowedOnNonLeaf is a conflict). Gone already counts. */
export async function deleteDepartment(dir: Directory, externalId: string): Promise<void> {
  const entry = await dir.findById(externalId, ['1.1'], OU_FILTER);
  if (!entry) return;
  try {
    await dir.run(`delete ${entry.dn}`, (client) => client.del(entry.dn));
  } catch (error) {
    if (!isLdapCode(error, LdapResult.noSuchObject)) throw error;
  }
  dir.forget(entry.dn);
}

/** Department OUs below the departments root (the root and the disabled-accounts OU are not departments). */
export async function readDepartments(dir: Directory, request: ReadRequest): Promise<Page<SourceDepartment>> {
  const s = dir.settings;
  const since = changedSinceValue(s, request.changedSince);
  // Taken before the search starts: a change made while we page is then picked up by the next read.
  const watermark = request.cursor === null ? currentWatermark() : undefined;
  const page = await dir.readPage(
    {
      base: s.departmentsDn,
      scope: 'sub',
      filter: since ? and(OU_FILTER, gte(s.changedAttribute, since)) : OU_FILTER,
      attributes: ['ou', 'managedBy', 'description'],
      pageSize: request.pageSize,
    },
    request.cursor,
  );
  const entries = page.entries.filter(
    (e) =>
      !sameDn(e.dn, s.departmentsDn) && !(s.disableStrategy === 'disabledOu' && sameDn(e.dn, s.disabledDn)),
  );
  const parents = entries.map((e) => parentDn(e.dn)).filter((p) => !sameDn(p, s.departmentsDn));
  const managers = entries.flatMap((e) => e.all('managedBy'));
  const ids = await dir.idsOfDns([...parents, ...managers]);
  const items = entries.map((entry): SourceDepartment => {
    const parent = parentDn(entry.dn);
    const manager = entry.first('managedBy');
    return {
      externalId: dir.idOf(entry),
      name: firstRdn(entry.dn)[0]?.value ?? entry.first('ou') ?? entry.dn,
      parentExternalId: sameDn(parent, s.departmentsDn) ? null : (ids.get(parent) ?? null),
      code: null,
      costCenter: null,
      managerExternalId: manager ? (ids.get(manager) ?? null) : null,
    };
  });
  return {
    items,
    nextCursor: page.nextCursor,
    ...(watermark === undefined ? {} : { watermark }),
  };
}
