import { Router, type Request, type Response } from 'express';
import type { EntityManager } from 'typeorm';
import { Group } from '../../core/entities/index.js';
import { MAX_PAGE } from './discovery.js';
import { filterToSql, parseScimFilter, type FilterColumn } from './filter-sql.js';
import { getAttr, isObject, readString } from './lenient.js';
import { parsePatchPath, readPatchRequest } from './patch.js';
import { project, queryText } from './projection.js';
import type { ScimCaller } from './scim-auth.js';
import { checkIfMatch, isUuid, lockKey, paging, sendResource, type ScimDeps } from './scim-context.js';
import { scimErrors } from './scim-error.js';
import { memberValues } from './user-resource.js';
import { URN } from './urns.js';
import { afterChange, wrap } from './users.js';

function groupColumn(path: string): FilterColumn | undefined {
  const p = path.toLowerCase().replace(`${URN.group.toLowerCase()}:`, '');
  const columns: Record<string, FilterColumn> = {
    id: { sql: 'g.id::text', type: 'string', caseExact: true },
    displayname: { sql: 'g.display_name', type: 'string' },
    externalid: { sql: 'g.external_id', type: 'string', caseExact: true },
    'meta.created': { sql: 'g.created_at', type: 'dateTime' },
    'meta.lastmodified': { sql: 'g.updated_at', type: 'dateTime' },
    'members.value': {
      sql: 'EXISTS (SELECT 1 FROM group_memberships gm WHERE gm.group_id = g.id AND gm.person_id::text = $VALUE)',
      type: 'string',
      exists: true,
    },
    members: {
      sql: 'EXISTS (SELECT 1 FROM group_memberships gm WHERE gm.group_id = g.id AND gm.person_id::text = $VALUE)',
      type: 'string',
      exists: true,
    },
  };
  return columns[p];
}

async function findGroup(
  manager: EntityManager,
  caller: ScimCaller,
  id: string,
  lock = false,
): Promise<Group> {
  if (!isUuid(id)) throw scimErrors.notFound('Group', id);
  const group = await manager.getRepository(Group).findOne({
    where: { id, sourceConnectionId: caller.connectionId, tenantId: caller.tenantId },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!group) throw scimErrors.notFound('Group', id);
  return group;
}

async function renderGroup(
  manager: EntityManager,
  group: Group,
  baseUrl: string,
  withMembers: boolean,
): Promise<Record<string, unknown>> {
  const members = withMembers
    ? ((await manager.query(
        `SELECT p.id, p.display_name FROM group_memberships gm JOIN people p ON p.id = gm.person_id
          WHERE gm.group_id = $1 ORDER BY gm.created_at, p.id`,
        [group.id],
      )) as { id: string; display_name: string }[])
    : [];
  return {
    schemas: [URN.group],
    id: group.id,
    ...(group.externalId ? { externalId: group.externalId } : {}),
    displayName: group.displayName,
    ...(withMembers
      ? {
          members: members.map((m) => ({
            value: m.id,
            display: m.display_name,
            type: 'User',
            $ref: `${baseUrl}/Users/${m.id}`,
          })),
        }
      : {}),
    meta: {
      resourceType: 'Group',
      created: group.createdAt.toISOString(),
      lastModified: group.updatedAt.toISOString(),
      location: `${baseUrl}/Groups/${group.id}`,
      version: `W/"${group.version}"`,
    },
  };
}

function wantsMembers(req: Request): boolean {
  const excluded = queryText(req.query.excludedAttributes)?.toLowerCase() ?? '';
  const attributes = queryText(req.query.attributes)?.toLowerCase();
  return (
    !excluded
      .split(',')
      .map((s) => s.trim())
      .includes('members') &&
    (!attributes || attributes.includes('members'))
  );
}

/** Members must be users this connection provisioned; unknown ids are the client's mistake (400), not ours. */
async function resolveMembers(manager: EntityManager, caller: ScimCaller, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const valid = ids.filter(isUuid);
  const rows = valid.length
    ? ((await manager.query(
        `SELECT id FROM people WHERE id = ANY($1) AND source_connection_id = $2 AND (attributes->>'scimDeleted') IS NULL`,
        [valid, caller.connectionId],
      )) as { id: string }[])
    : [];
  if (rows.length !== ids.length) {
    const missing = ids.filter((id) => !rows.some((r) => r.id === id));
    throw scimErrors.invalidValue(`members: no such user ${missing.slice(0, 3).join(', ')}`);
  }
  return rows.map((r) => r.id);
}

async function addMembers(manager: EntityManager, groupId: string, personIds: string[]): Promise<string[]> {
  if (personIds.length === 0) return [];
  const rows = (await manager.query(
    `INSERT INTO group_memberships (group_id, person_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING person_id`,
    [groupId, personIds],
  )) as { person_id: string }[];
  return rows.map((r) => r.person_id);
}

/** Removing a member who is already gone is a no-op (Entra retries and races its own removals). */
async function removeMembers(
  manager: EntityManager,
  groupId: string,
  personIds: string[] | 'all',
): Promise<string[]> {
  const rows = (await manager.query(
    personIds === 'all'
      ? 'DELETE FROM group_memberships WHERE group_id = $1 RETURNING person_id'
      : 'DELETE FROM group_memberships WHERE group_id = $1 AND person_id::text = ANY($2) RETURNING person_id',
    personIds === 'all' ? [groupId] : [groupId, personIds],
  )) as [{ person_id: string }[], number] | { person_id: string }[];
  const list = Array.isArray(rows[0])
    ? (rows[0] as { person_id: string }[])
    : (rows as { person_id: string }[]);
  return list.map((r) => r.person_id);
}

async function setMembers(manager: EntityManager, groupId: string, personIds: string[]): Promise<string[]> {
  const current = (await manager.query('SELECT person_id FROM group_memberships WHERE group_id = $1', [
    groupId,
  ])) as { person_id: string }[];
  const have = new Set(current.map((r) => r.person_id));
  const want = new Set(personIds);
  const removed = await removeMembers(
    manager,
    groupId,
    [...have].filter((id) => !want.has(id)),
  );
  const added = await addMembers(
    manager,
    groupId,
    [...want].filter((id) => !have.has(id)),
  );
  return [...removed, ...added];
}

function readGroup(body: unknown): {
  displayName: string;
  externalId: string | null;
  members: string[] | undefined;
} {
  if (!isObject(body)) throw scimErrors.invalidSyntax('A Group must be a JSON object');
  const displayName = readString(getAttr(body, 'displayName'), 'displayName', 300);
  if (!displayName) throw scimErrors.invalidValue('displayName is required');
  const members = getAttr(body, 'members');
  if (members !== undefined && members !== null && !Array.isArray(members))
    throw scimErrors.invalidValue('members must be an array');
  return {
    displayName,
    externalId: readString(getAttr(body, 'externalId'), 'externalId', 255),
    members: Array.isArray(members) ? memberValues(members, 'members') : undefined,
  };
}

async function assertNameFree(
  manager: EntityManager,
  caller: ScimCaller,
  name: string,
  exceptId: string | null,
): Promise<void> {
  await lockKey(manager, `scim-group:${caller.connectionId}:${name.toLowerCase()}`);
  const rows = (await manager.query(
    'SELECT id FROM groups WHERE source_connection_id = $1 AND lower(display_name) = lower($2) AND id::text <> $3 LIMIT 1',
    [caller.connectionId, name, exceptId ?? ''],
  )) as { id: string }[];
  if (rows.length > 0) throw scimErrors.uniqueness(`A group named ${name} already exists`);
}

async function touch(manager: EntityManager, groupId: string): Promise<void> {
  await manager.query('UPDATE groups SET version = version + 1, updated_at = now() WHERE id = $1', [groupId]);
}

type Handler = (
  req: Request,
  res: Response,
  deps: ScimDeps,
  caller: ScimCaller,
  baseUrl: string,
) => Promise<void>;

const list: Handler = async (req, res, deps, caller, baseUrl) => {
  const query = {
    ...(req.query as Record<string, unknown>),
    ...(req.method === 'POST' && isObject(req.body) ? req.body : {}),
  };
  const { startIndex, count } = paging(query, MAX_PAGE);
  const params: unknown[] = [caller.connectionId];
  let where = 'g.source_connection_id = $1';
  const filterText = queryText(query.filter);
  if (filterText) where += ` AND ${filterToSql(parseScimFilter(filterText), groupColumn, params)}`;
  const manager = deps.dataSource.manager;
  const [{ total }] = (await manager.query(
    `SELECT count(*)::int AS total FROM groups g WHERE ${where}`,
    params,
  )) as [{ total: number }];
  const rows =
    count > 0
      ? ((await manager.query(
          `SELECT g.id FROM groups g WHERE ${where} ORDER BY g.created_at, g.id OFFSET ${startIndex - 1} LIMIT ${count}`,
          params,
        )) as { id: string }[])
      : [];
  const members =
    wantsMembers(req) && !(queryText(query.excludedAttributes) ?? '').toLowerCase().includes('members');
  const resources: Record<string, unknown>[] = [];
  for (const row of rows) {
    const group = await manager.getRepository(Group).findOneByOrFail({ id: row.id });
    resources.push(
      project(
        await renderGroup(manager, group, baseUrl, members),
        queryText(query.attributes),
        queryText(query.excludedAttributes),
      ),
    );
  }
  res
    .status(200)
    .type('application/scim+json')
    .json({
      schemas: [URN.listResponse],
      totalResults: total,
      startIndex,
      itemsPerPage: resources.length,
      Resources: resources,
    });
};

const getOne: Handler = async (req, res, deps, caller, baseUrl) => {
  const manager = deps.dataSource.manager;
  const group = await findGroup(manager, caller, String(req.params.id));
  const body = project(
    await renderGroup(manager, group, baseUrl, wantsMembers(req)),
    queryText(req.query.attributes),
    queryText(req.query.excludedAttributes),
  );
  sendResource(res, 200, body, group.version);
};

const create: Handler = async (req, res, deps, caller, baseUrl) => {
  const input = readGroup(req.body);
  const { group, changed } = await deps.dataSource.transaction(async (manager) => {
    await assertNameFree(manager, caller, input.displayName, null);
    const repo = manager.getRepository(Group);
    const made = await repo.save(
      repo.create({
        tenantId: caller.tenantId,
        sourceConnectionId: caller.connectionId,
        externalId: input.externalId,
        displayName: input.displayName,
      }),
    );
    // Okta sends the first members inside the POST.
    const changedPeople = await addMembers(
      manager,
      made.id,
      await resolveMembers(manager, caller, input.members ?? []),
    );
    return { group: await repo.findOneByOrFail({ id: made.id }), changed: changedPeople };
  });
  const body = await renderGroup(deps.dataSource.manager, group, baseUrl, true);
  await afterChange(deps, caller, req, 'scim.group.create', 'group', group.id, undefined, body, changed);
  sendResource(res, 201, body, group.version, `${baseUrl}/Groups/${group.id}`);
};

const replace: Handler = async (req, res, deps, caller, baseUrl) => {
  const input = readGroup(req.body);
  const { group, changed, before } = await deps.dataSource.transaction(async (manager) => {
    const existing = await findGroup(manager, caller, String(req.params.id), true);
    checkIfMatch(req, existing.version);
    const snapshot = await renderGroup(manager, existing, baseUrl, true);
    await assertNameFree(manager, caller, input.displayName, existing.id);
    existing.displayName = input.displayName;
    existing.externalId = input.externalId;
    await manager.getRepository(Group).save(existing);
    const changedPeople =
      input.members === undefined
        ? []
        : await setMembers(manager, existing.id, await resolveMembers(manager, caller, input.members));
    return {
      group: await manager.getRepository(Group).findOneByOrFail({ id: existing.id }),
      changed: changedPeople,
      before: snapshot,
    };
  });
  const body = await renderGroup(deps.dataSource.manager, group, baseUrl, true);
  await afterChange(deps, caller, req, 'scim.group.replace', 'group', group.id, before, body, changed);
  sendResource(res, 200, body, group.version);
};

/**
 * PATCH on a group (RFC 7644 §3.5.2) is applied as membership inserts and deletes, never as a rewrite of the whole
 * member list, so Entra's concurrent single-member PATCHes do not overwrite each other.
 */
const patch: Handler = async (req, res, deps, caller, baseUrl) => {
  const operations = readPatchRequest(req.body);
  const { group, changed } = await deps.dataSource.transaction(async (manager) => {
    const existing = await findGroup(manager, caller, String(req.params.id));
    checkIfMatch(req, existing.version);
    const changedPeople: string[] = [];
    const members = async (op: 'add' | 'replace' | 'remove', value: unknown): Promise<void> => {
      const ids =
        value === undefined || value === null
          ? []
          : memberValues(Array.isArray(value) ? value : [value], 'members');
      if (op === 'remove')
        changedPeople.push(...(await removeMembers(manager, existing.id, value === undefined ? 'all' : ids)));
      else if (op === 'add')
        changedPeople.push(
          ...(await addMembers(manager, existing.id, await resolveMembers(manager, caller, ids))),
        );
      else
        changedPeople.push(
          ...(await setMembers(manager, existing.id, await resolveMembers(manager, caller, ids))),
        );
    };
    const setField = async (
      op: 'add' | 'replace' | 'remove',
      field: string,
      value: unknown,
    ): Promise<void> => {
      const name = field.toLowerCase();
      if (name === 'members') return members(op, value);
      if (name === 'displayname') {
        const text = op === 'remove' ? null : readString(value, 'displayName', 300);
        if (!text) throw scimErrors.mutability('displayName cannot be removed');
        await assertNameFree(manager, caller, text, existing.id);
        await manager.query('UPDATE groups SET display_name = $2 WHERE id = $1', [existing.id, text]);
        return;
      }
      if (name === 'externalid') {
        await manager.query('UPDATE groups SET external_id = $2 WHERE id = $1', [
          existing.id,
          op === 'remove' ? null : readString(value, 'externalId', 255),
        ]);
        return;
      }
      if (name === 'id' || name === 'meta' || name === 'schemas')
        throw scimErrors.mutability(`${field} is read-only`);
      throw scimErrors.invalidPath(`Groups have no attribute ${field}`);
    };
    for (const operation of operations) {
      if (operation.path === undefined) {
        if (!isObject(operation.value))
          throw scimErrors.invalidValue(`${operation.op} without a path needs an object value`);
        for (const [key, value] of Object.entries(operation.value)) await setField(operation.op, key, value);
        continue;
      }
      const path = parsePatchPath(operation.path);
      if (path.attr.toLowerCase() === 'members' && path.filter) {
        // members[value eq "id"]: the member the filter names.
        const f = path.filter as { op: string; attrPath?: string; compValue?: unknown };
        if (f.op !== 'eq' || f.attrPath?.toLowerCase() !== 'value')
          throw scimErrors.invalidFilter('members filters must be value eq "…"');
        await members(operation.op === 'remove' ? 'remove' : 'add', [{ value: String(f.compValue) }]);
        continue;
      }
      if (path.sub) throw scimErrors.invalidPath(`Groups have no attribute ${operation.path}`);
      await setField(operation.op, path.attr, operation.value);
    }
    await touch(manager, existing.id);
    return {
      group: await manager.getRepository(Group).findOneByOrFail({ id: existing.id }),
      changed: changedPeople,
    };
  });
  const manager = deps.dataSource.manager;
  const withMembers = wantsMembers(req);
  const body = await renderGroup(manager, group, baseUrl, withMembers);
  await afterChange(
    deps,
    caller,
    req,
    'scim.group.patch',
    'group',
    group.id,
    undefined,
    { operations: operations.length, changedMembers: changed.length },
    [...new Set(changed)],
  );
  sendResource(res, 200, body, group.version);
};

const remove: Handler = async (req, res, deps, caller) => {
  const { id, members } = await deps.dataSource.transaction(async (manager) => {
    const existing = await findGroup(manager, caller, String(req.params.id), true);
    checkIfMatch(req, existing.version);
    const former = await removeMembers(manager, existing.id, 'all');
    await manager.getRepository(Group).delete({ id: existing.id });
    return { id: existing.id, members: former };
  });
  await afterChange(deps, caller, req, 'scim.group.delete', 'group', id, undefined, undefined, members);
  res.status(204).end();
};

export function groupRoutes(deps: ScimDeps): Router {
  const router = Router();
  router.get('/Groups', wrap(deps, list));
  router.post('/Groups/.search', wrap(deps, list));
  router.post('/Groups', wrap(deps, create));
  router.get('/Groups/:id', wrap(deps, getOne));
  router.put('/Groups/:id', wrap(deps, replace));
  router.patch('/Groups/:id', wrap(deps, patch));
  router.delete('/Groups/:id', wrap(deps, remove));
  return router;
}
