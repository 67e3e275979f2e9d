import { Router, type Request, type Response } from 'express';
import type { EntityManager } from 'typeorm';
import { Department, Person } from '../../core/entities/index.js';
import { recordAudit } from '../api/http/audit.js';
import { MAX_PAGE } from './discovery.js';
import { filterToSql, parseScimFilter, type FilterColumn } from './filter-sql.js';
import { isObject } from './lenient.js';
import {
  overlayOverrides,
  PERSON_OVERRIDE_KEYS,
  withSourceValues,
} from '../../workers/access/override-columns.js';
import { applyPatch, readPatchRequest } from './patch.js';
import { project, queryText } from './projection.js';
import { authenticateScim, type ScimCaller } from './scim-auth.js';
import { checkIfMatch, isUuid, lockKey, paging, sendResource, type ScimDeps } from './scim-context.js';
import { scimErrors } from './scim-error.js';
import { readUser, renderUser, type UserFields } from './user-resource.js';
import { URN } from './urns.js';

const LIVE = `p.source_connection_id = $1 AND (p.attributes->>'scimDeleted') IS NULL`;

/** SCIM attribute paths Junction can filter and sort Users on (RFC 7643 §4.1 names). */
function userColumn(path: string): FilterColumn | undefined {
  const p = path.toLowerCase().replace(`${URN.user.toLowerCase()}:`, '');
  const enterprise = `${URN.enterprise.toLowerCase()}:`;
  const columns: Record<string, FilterColumn> = {
    id: { sql: 'p.id::text', type: 'string', caseExact: true },
    username: { sql: `p.attributes->>'userName'`, type: 'string' },
    externalid: { sql: 'p.external_id', type: 'string', caseExact: true },
    displayname: { sql: 'p.display_name', type: 'string' },
    'name.formatted': { sql: 'p.display_name', type: 'string' },
    'name.givenname': { sql: 'p.given_name', type: 'string' },
    'name.familyname': { sql: 'p.family_name', type: 'string' },
    'emails.value': { sql: 'p.email', type: 'string' },
    emails: { sql: 'p.email', type: 'string' },
    'emails.type': { sql: `'work'`, type: 'string' },
    'emails.primary': { sql: 'true', type: 'boolean' },
    'phonenumbers.value': { sql: 'p.phone', type: 'string' },
    title: { sql: 'p.job_title', type: 'string' },
    active: { sql: `(p.status = 'active')`, type: 'boolean' },
    'meta.created': { sql: 'p.created_at', type: 'dateTime' },
    'meta.lastmodified': { sql: 'p.updated_at', type: 'dateTime' },
    [`${enterprise}employeenumber`]: { sql: 'p.employee_number', type: 'string', caseExact: true },
    employeenumber: { sql: 'p.employee_number', type: 'string', caseExact: true },
    [`${enterprise}costcenter`]: { sql: 'p.cost_center', type: 'string' },
    [`${enterprise}division`]: { sql: 'p.division', type: 'string' },
    'groups.value': {
      sql: 'EXISTS (SELECT 1 FROM group_memberships gm WHERE gm.person_id = p.id AND gm.group_id::text = $VALUE)',
      type: 'string',
      exists: true,
    },
  };
  return columns[p];
}

const SORTABLE: Record<string, string> = {
  username: `lower(p.attributes->>'userName')`,
  displayname: 'p.display_name',
  externalid: 'p.external_id',
  'meta.created': 'p.created_at',
  'meta.lastmodified': 'p.updated_at',
  'name.familyname': 'p.family_name',
};

interface RenderBatch {
  departments: Map<string, string>;
  managers: Map<string, { id: string; displayName: string }>;
  groups: Map<string, { id: string; displayName: string }[]>;
}

async function loadRenderBatch(
  manager: EntityManager,
  caller: ScimCaller,
  people: Person[],
): Promise<RenderBatch> {
  const ids = people.map((p) => p.id);
  const deptIds = [...new Set(people.map((p) => p.departmentId).filter((v): v is string => !!v))];
  const managerIds = [...new Set(people.map((p) => p.managerId).filter((v): v is string => !!v))];
  const departments = new Map<string, string>();
  if (deptIds.length > 0) {
    const rows = (await manager.query('SELECT id, name FROM departments WHERE id = ANY($1)', [deptIds])) as {
      id: string;
      name: string;
    }[];
    for (const r of rows) departments.set(r.id, r.name);
  }
  const managers = new Map<string, { id: string; displayName: string }>();
  if (managerIds.length > 0) {
    const rows = (await manager.query('SELECT id, display_name FROM people WHERE id = ANY($1)', [
      managerIds,
    ])) as {
      id: string;
      display_name: string;
    }[];
    for (const r of rows) managers.set(r.id, { id: r.id, displayName: r.display_name });
  }
  const groups = new Map<string, { id: string; displayName: string }[]>();
  if (ids.length > 0) {
    const rows = (await manager.query(
      `SELECT gm.person_id, g.id, g.display_name FROM group_memberships gm JOIN groups g ON g.id = gm.group_id
        WHERE gm.person_id = ANY($1) AND g.source_connection_id = $2 ORDER BY g.display_name`,
      [ids, caller.connectionId],
    )) as { person_id: string; id: string; display_name: string }[];
    for (const r of rows)
      groups.set(r.person_id, [
        ...(groups.get(r.person_id) ?? []),
        { id: r.id, displayName: r.display_name },
      ]);
  }
  return { departments, managers, groups };
}

function render(person: Person, batch: RenderBatch, baseUrl: string): Record<string, unknown> {
  return renderUser(person, {
    baseUrl,
    departmentName: person.departmentId ? (batch.departments.get(person.departmentId) ?? null) : null,
    manager: person.managerId ? (batch.managers.get(person.managerId) ?? null) : null,
    groups: batch.groups.get(person.id) ?? [],
  });
}

async function renderOne(manager: EntityManager, caller: ScimCaller, person: Person, baseUrl: string) {
  return render(person, await loadRenderBatch(manager, caller, [person]), baseUrl);
}

async function findLiveUser(
  manager: EntityManager,
  caller: ScimCaller,
  id: string,
  lock = false,
): Promise<Person> {
  if (!isUuid(id)) throw scimErrors.notFound('User', id);
  const person = await manager.getRepository(Person).findOne({
    where: { id, sourceConnectionId: caller.connectionId, tenantId: caller.tenantId },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!person || person.attributes?.scimDeleted) throw scimErrors.notFound('User', id);
  return person;
}

/** The department a SCIM `department` string names, made under this connection the first time it is seen. */
async function departmentFor(
  manager: EntityManager,
  caller: ScimCaller,
  name: string | null,
): Promise<string | null> {
  if (!name) return null;
  const externalId = `scim-department:${name.toLowerCase()}`;
  await lockKey(manager, `scim-dept:${caller.connectionId}:${externalId}`);
  const repo = manager.getRepository(Department);
  const found = await repo.findOne({ where: { sourceConnectionId: caller.connectionId, externalId } });
  if (found) return found.id;
  const made = await repo.save(
    repo.create({ tenantId: caller.tenantId, sourceConnectionId: caller.connectionId, externalId, name }),
  );
  return made.id;
}

/** Writes a User's fields onto a person (new, revived or existing), keeping attributes SCIM does not own. */
async function writeUser(
  manager: EntityManager,
  caller: ScimCaller,
  existing: Person | null,
  fields: UserFields,
): Promise<Person> {
  await lockKey(manager, `scim-user:${caller.connectionId}:${fields.userName.toLowerCase()}`);
  const clash = (await manager.query(
    `SELECT id FROM people p WHERE ${LIVE} AND lower(p.attributes->>'userName') = lower($2) AND p.id <> $3 LIMIT 1`,
    [caller.connectionId, fields.userName, existing?.id ?? '00000000-0000-0000-0000-000000000000'],
  )) as { id: string }[];
  if (clash.length > 0) throw scimErrors.uniqueness(`userName ${fields.userName} is already taken`);
  const repo = manager.getRepository(Person);
  let person = existing;
  if (!person) {
    // A user deleted earlier and created again (same externalId or userName) comes back as the same person.
    const revived = (await manager.query(
      `SELECT id FROM people p WHERE p.source_connection_id = $1 AND (p.attributes->>'scimDeleted') IS NOT NULL
         AND (($2::text IS NOT NULL AND p.external_id = $2) OR lower(p.attributes->>'userName') = lower($3))
       ORDER BY p.updated_at DESC LIMIT 1`,
      [caller.connectionId, fields.externalId, fields.userName],
    )) as { id: string }[];
    person = revived[0]
      ? await repo.findOneOrFail({ where: { id: revived[0].id }, lock: { mode: 'pessimistic_write' } })
      : null;
  }
  let managerId: string | null = null;
  let managerExternalId: string | null = null;
  if (fields.managerId) {
    const rows = isUuid(fields.managerId)
      ? ((await manager.query('SELECT id FROM people WHERE id = $1 AND tenant_id = $2', [
          fields.managerId,
          caller.tenantId,
        ])) as {
          id: string;
        }[])
      : [];
    if (rows[0] && rows[0].id !== person?.id) managerId = rows[0].id;
    else managerExternalId = fields.managerId;
  }
  const attributes: Record<string, unknown> = { ...(person?.attributes ?? {}) };
  delete attributes.scimDeleted;
  attributes.userName = fields.userName;
  for (const [key, value] of Object.entries(fields.extras)) {
    if (value === null) Reflect.deleteProperty(attributes, key);
    else attributes[key] = value;
  }
  // What the client said before (the admin's overrides aside) decides what this write changes.
  const previous = person
    ? withSourceValues(person, person.overrides ?? {}, person.sourceValues ?? {})
    : null;
  const wasLeaver = previous?.status === 'leaver';
  const values: Partial<Person> = {
    tenantId: caller.tenantId,
    sourceConnectionId: caller.connectionId,
    externalId: fields.externalId,
    employeeNumber: fields.employeeNumber,
    givenName: fields.givenName,
    familyName: fields.familyName,
    displayName: fields.displayName,
    email: fields.email,
    phone: fields.phone,
    jobTitle: fields.jobTitle,
    costCenter: fields.costCenter,
    division: fields.division,
    departmentId: await departmentFor(manager, caller, fields.departmentName),
    managerId,
    managerExternalId,
    status: fields.active ? 'active' : 'inactive',
    terminationDate: wasLeaver ? null : (previous?.terminationDate ?? null),
    attributes,
    lastSeenAt: new Date(),
  };
  // A SCIM client is a source like HR: fields an admin overrode keep the admin's value, and what the client says
  // for them is kept as the source value that clearing the override brings back (as the HR upsert does).
  values.sourceValues = overlayOverrides(
    values as Record<string, unknown>,
    person?.overrides ?? {},
    person?.sourceValues ?? {},
    PERSON_OVERRIDE_KEYS,
  );
  const saved = person
    ? await repo.save(Object.assign(person, values))
    : await repo.save(repo.create(values));
  if (fields.groupIds !== undefined) await setUserGroups(manager, caller, saved.id, fields.groupIds);
  return repo.findOneOrFail({ where: { id: saved.id } });
}

/** Okta puts a user's groups on the User itself on POST/PUT: make the memberships exactly those. */
async function setUserGroups(
  manager: EntityManager,
  caller: ScimCaller,
  personId: string,
  groupIds: string[],
): Promise<void> {
  const valid = groupIds.filter(isUuid);
  const found = valid.length
    ? ((await manager.query('SELECT id FROM groups WHERE id = ANY($1) AND source_connection_id = $2', [
        valid,
        caller.connectionId,
      ])) as {
        id: string;
      }[])
    : [];
  if (found.length !== groupIds.length) {
    const missing = groupIds.filter((id) => !found.some((f) => f.id === id));
    throw scimErrors.invalidValue(`groups: no such group ${missing.slice(0, 3).join(', ')}`);
  }
  await manager.query(
    `DELETE FROM group_memberships gm USING groups g
      WHERE gm.group_id = g.id AND gm.person_id = $1 AND g.source_connection_id = $2 AND NOT (gm.group_id = ANY($3))`,
    [personId, caller.connectionId, found.map((f) => f.id)],
  );
  for (const row of found) {
    await manager.query(
      `INSERT INTO group_memberships (group_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [row.id, personId],
    );
  }
}

export async function afterChange(
  deps: ScimDeps,
  caller: ScimCaller,
  req: Request,
  action: string,
  targetType: string,
  targetId: string,
  before: unknown,
  after: unknown,
  changedPeople: string[],
): Promise<void> {
  await recordAudit(deps.dataSource.manager, {
    actor: { type: 'scim', id: caller.tokenId, label: `scim token ${caller.tokenName}` },
    tenantId: caller.tenantId,
    action,
    targetType,
    targetId,
    before,
    after,
    ip: req.ip ?? null,
    userAgent: req.header('user-agent') ?? null,
  });
  if (changedPeople.length > 0 && deps.onPeopleChanged) {
    // Provisioning is best effort here: the person is already in the directory, and the next scheduled run
    // converges anyway; a Temporal outage must not fail the client's write.
    await deps.onPeopleChanged(changedPeople, caller).catch((error: unknown) => {
      deps.log.warn(
        { err: error, people: changedPeople.length },
        'could not start provisioning after a SCIM change',
      );
    });
  }
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
  let where = LIVE;
  const filterText = queryText(query.filter);
  if (filterText) where += ` AND ${filterToSql(parseScimFilter(filterText), userColumn, params)}`;
  const sortBy = queryText(query.sortBy)?.toLowerCase().replace(`${URN.user.toLowerCase()}:`, '');
  const sortColumn = sortBy ? SORTABLE[sortBy] : undefined;
  if (sortBy && !sortColumn) throw scimErrors.invalidValue(`Cannot sort by ${sortBy}`);
  const direction = queryText(query.sortOrder)?.toLowerCase() === 'descending' ? 'DESC' : 'ASC';
  const manager = deps.dataSource.manager;
  const [{ total }] = (await manager.query(
    `SELECT count(*)::int AS total FROM people p WHERE ${where}`,
    params,
  )) as [{ total: number }];
  let resources: Record<string, unknown>[] = [];
  if (count > 0) {
    const rows = (await manager.query(
      `SELECT p.id FROM people p WHERE ${where} ORDER BY ${sortColumn ?? 'p.created_at'} ${direction}, p.id ${direction}
       OFFSET ${startIndex - 1} LIMIT ${count}`,
      params,
    )) as { id: string }[];
    const people = rows.length
      ? await manager
          .getRepository(Person)
          .createQueryBuilder('p')
          .where('p.id IN (:...ids)', { ids: rows.map((r) => r.id) })
          .getMany()
      : [];
    const byId = new Map(people.map((p) => [p.id, p]));
    const ordered = rows.map((r) => byId.get(r.id)).filter((p): p is Person => !!p);
    const batch = await loadRenderBatch(manager, caller, ordered);
    resources = ordered.map((p) =>
      project(render(p, batch, baseUrl), queryText(query.attributes), queryText(query.excludedAttributes)),
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
  const person = await findLiveUser(manager, caller, String(req.params.id));
  const body = project(
    await renderOne(manager, caller, person, baseUrl),
    queryText(req.query.attributes),
    queryText(req.query.excludedAttributes),
  );
  // RFC 7644 §3.14: a matching If-None-Match gets 304.
  const inm = req.header('if-none-match');
  if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === `"${person.version}"`)) {
    res.status(304).end();
    return;
  }
  sendResource(res, 200, body, person.version);
};

const create: Handler = async (req, res, deps, caller, baseUrl) => {
  const fields = readUser(req.body);
  const person = await deps.dataSource.transaction((manager) => writeUser(manager, caller, null, fields));
  const body = await renderOne(deps.dataSource.manager, caller, person, baseUrl);
  await afterChange(deps, caller, req, 'scim.user.create', 'person', person.id, undefined, body, [person.id]);
  sendResource(res, 201, body, person.version, `${baseUrl}/Users/${person.id}`);
};

const replace: Handler = async (req, res, deps, caller, baseUrl) => {
  const fields = readUser(req.body);
  const { person, before } = await deps.dataSource.transaction(async (manager) => {
    const existing = await findLiveUser(manager, caller, String(req.params.id), true);
    checkIfMatch(req, existing.version);
    const snapshot = await renderOne(manager, caller, existing, baseUrl);
    return { person: await writeUser(manager, caller, existing, fields), before: snapshot };
  });
  const body = await renderOne(deps.dataSource.manager, caller, person, baseUrl);
  await afterChange(deps, caller, req, 'scim.user.replace', 'person', person.id, before, body, [person.id]);
  sendResource(res, 200, body, person.version);
};

const patch: Handler = async (req, res, deps, caller, baseUrl) => {
  const operations = readPatchRequest(req.body);
  const { person, before } = await deps.dataSource.transaction(async (manager) => {
    const existing = await findLiveUser(manager, caller, String(req.params.id), true);
    checkIfMatch(req, existing.version);
    const current = await renderOne(manager, caller, existing, baseUrl);
    // The operations change the client's own record: start from what it last sent, not the admin's overrides
    // (else an overridden title would be taken for the client's and become the value a cleared override restores).
    const draft = await renderOne(
      manager,
      caller,
      withSourceValues(existing, existing.overrides ?? {}, existing.sourceValues ?? {}),
      baseUrl,
    );
    const groupsBefore = JSON.stringify(draft.groups);
    applyPatch(draft, operations);
    const fields = readUser(draft);
    // `groups` is read-only in RFC 7643; a PATCH that changes it (some clients do) sets the memberships.
    if (JSON.stringify(draft.groups) === groupsBefore) fields.groupIds = undefined;
    return { person: await writeUser(manager, caller, existing, fields), before: current };
  });
  const body = await renderOne(deps.dataSource.manager, caller, person, baseUrl);
  await afterChange(deps, caller, req, 'scim.user.patch', 'person', person.id, before, body, [person.id]);
  sendResource(res, 200, body, person.version);
};

/** DELETE makes the person a leaver (their accounts are disabled by the sync engine), and hides them from SCIM. */
const remove: Handler = async (req, res, deps, caller, baseUrl) => {
  const before = await deps.dataSource.transaction(async (manager) => {
    const existing = await findLiveUser(manager, caller, String(req.params.id), true);
    checkIfMatch(req, existing.version);
    const snapshot = await renderOne(manager, caller, existing, baseUrl);
    existing.attributes = { ...existing.attributes, scimDeleted: new Date().toISOString() };
    existing.status = 'leaver';
    existing.terminationDate ??= new Date().toISOString().slice(0, 10);
    await manager.getRepository(Person).save(existing);
    await manager.query(
      `DELETE FROM group_memberships gm USING groups g WHERE gm.group_id = g.id AND gm.person_id = $1 AND g.source_connection_id = $2`,
      [existing.id, caller.connectionId],
    );
    return { id: existing.id, snapshot };
  });
  await afterChange(deps, caller, req, 'scim.user.delete', 'person', before.id, before.snapshot, undefined, [
    before.id,
  ]);
  res.status(204).end();
};

export function wrap(deps: ScimDeps, handler: Handler) {
  return (req: Request, res: Response, next: (error?: unknown) => void) => {
    (async () => {
      const caller = await authenticateScim(req, deps.dataSource.manager);
      await handler(req, res, deps, caller, `${deps.publicUrl}/scim/v2`);
    })().catch(next);
  };
}

export function userRoutes(deps: ScimDeps): Router {
  const router = Router();
  router.get('/Users', wrap(deps, list));
  router.post('/Users/.search', wrap(deps, list));
  router.post('/Users', wrap(deps, create));
  router.get('/Users/:id', wrap(deps, getOne));
  router.put('/Users/:id', wrap(deps, replace));
  router.patch('/Users/:id', wrap(deps, patch));
  router.delete('/Users/:id', wrap(deps, remove));
  return router;
}
