import { jest } from '@jest/globals';
import { Client as LdapClient } from 'ldapts';
import { startLdapSimulator, type LdapSimulator } from '../../connectors/ldap/simulator.js';
import { dryRunConnection, startConnectionSync, waitForRun } from '../../workers/client.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import {
  connectTestTemporal,
  startTestWorker,
  type RunningTestWorker,
  type TestTemporal,
} from '../harness/temporal.js';
import { buildWorld, insertConnection, type SyncWorld } from './sync-world.js';

jest.setTimeout(600_000);

interface Dept {
  id: string;
  external_id: string;
  name: string;
}

/**
 * HR removes departments: the directory retires them (a dry run only lists them), and each target's org tree
 * (WeCom departments, LDAP OUs) loses them once empty — children before parents; one still holding people stays
 * and is reported, without failing the run, and goes once HR moves its people out.
 * Real PostgreSQL, the real Temporal dev server, BambooHR and WeCom simulators and a real slapd.
 */
describe('departments HR removes leave the targets', () => {
  let db: TestDatabase;
  let temporal: TestTemporal;
  let worker: RunningTestWorker;
  let world: SyncWorld;
  let ldap: LdapSimulator;
  let ldapId: string;
  let parent: Dept;
  let child: Dept;
  let busy: Dept;
  let keep: Dept;

  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await connectTestTemporal();
    world = await buildWorld(db.dataSource, { people: 120, targets: ['wecom'] });
    ldap = await startLdapSimulator({ people: 0, seed: 5 });
    await emptyLdapDepartments();
    ldapId = await insertConnection(db.dataSource, world.vault, {
      tenantId: world.tenantId,
      connectorId: 'ldap',
      slug: 'ldap',
      direction: 'target',
      raw: { ...ldap.connectionConfig },
      mappings: { title: 'jobTitle' },
    });
    worker = await startTestWorker(temporal, world.deps({ pageSize: 100 }));
    expect((await sourceSync('full')).status).toBe('succeeded');

    // Four departments with people; BambooHR's list is flat, so make `child` a sub-department of `parent` in the
    // directory (and so in the targets) — the tree the removal has to take apart bottom-up.
    const depts = (await db.dataSource.query(
      `SELECT d.id, d.external_id, d.name FROM departments d JOIN people p ON p.department_id = d.id
        WHERE p.status = 'active' GROUP BY d.id ORDER BY count(*) DESC, d.id LIMIT 4`,
    )) as Dept[];
    [keep, parent, child, busy] = depts as [Dept, Dept, Dept, Dept];
    await db.dataSource.query(
      `UPDATE departments SET parent_id = $1, parent_external_id = $2 WHERE id = $3`,
      [parent.id, parent.external_id, child.id],
    );
    for (const target of [world.wecom!.connectionId, ldapId]) {
      expect(['succeeded']).toContain((await targetSync(target)).status);
    }
    expect(world.wecom!.sim.tree.get(await targetId(world.wecom!.connectionId, child.id))?.parentid).toBe(
      await targetId(world.wecom!.connectionId, parent.id),
    );
  });

  afterAll(async () => {
    await worker?.stop();
    await world?.stop();
    await ldap?.stop();
    await temporal?.close();
    await db?.drop();
  });

  async function sourceSync(mode: 'full' | 'incremental', provisionTargets = true) {
    const started = await startConnectionSync(
      temporal.client,
      temporal.taskQueue,
      { id: world.hr.connectionId, direction: 'source' },
      { mode, trigger: 'manual', provisionTargets },
    );
    return waitForRun(temporal.client, started.workflowId);
  }
  async function targetSync(connectionId: string) {
    const started = await startConnectionSync(
      temporal.client,
      temporal.taskQueue,
      { id: connectionId, direction: 'target' },
      { mode: 'full', trigger: 'manual' },
    );
    return waitForRun(temporal.client, started.workflowId);
  }
  const targetId = async (connectionId: string, departmentId: string): Promise<number> => {
    const [row] = (await db.dataSource.query(
      `SELECT external_id FROM target_records WHERE connection_id = $1 AND object_type = 'department' AND object_key = $2`,
      [connectionId, departmentId],
    )) as [{ external_id: string } | undefined];
    return Number(row?.external_id);
  };
  const ldapUuid = async (departmentId: string): Promise<string | null> => {
    const [row] = (await db.dataSource.query(
      `SELECT external_id FROM target_records WHERE connection_id = $1 AND object_type = 'department' AND object_key = $2`,
      [ldapId, departmentId],
    )) as [{ external_id: string } | undefined];
    return row?.external_id ?? null;
  };
  /** entryUUIDs of the OUs under the LDAP departments root (the simulator seeds OUs of its own, so not names). */
  const ldapOus = async (): Promise<string[]> => {
    const client = new LdapClient({ url: ldap.slapd.url });
    try {
      await client.bind(ldap.slapd.adminDn, ldap.slapd.adminPassword);
      const { searchEntries } = await client.search(ldap.slapd.usersDn, {
        scope: 'sub',
        filter: '(objectClass=organizationalUnit)',
        attributes: ['entryUUID'],
      });
      return searchEntries.map((e) => String(e.entryUUID));
    } finally {
      await client.unbind();
    }
  };
  /** The simulator seeds an OU tree of its own even without people: start from an empty one, deepest first. */
  async function emptyLdapDepartments(): Promise<void> {
    const client = new LdapClient({ url: ldap.slapd.url });
    try {
      await client.bind(ldap.slapd.adminDn, ldap.slapd.adminPassword);
      const { searchEntries } = await client.search(ldap.slapd.usersDn, {
        scope: 'sub',
        filter: '(objectClass=organizationalUnit)',
        attributes: ['1.1'],
      });
      const below = searchEntries.map((e) => e.dn).filter((dn) => dn !== ldap.slapd.usersDn);
      for (const dn of below.sort((a, b) => b.split(',').length - a.split(',').length)) await client.del(dn);
    } finally {
      await client.unbind();
    }
  }
  const events = async (runId: string) =>
    (await db.dataSource.query(
      `SELECT id, object_id, action, status, error->>'code' AS code FROM sync_events
        WHERE run_id = $1 AND object_type = 'department' ORDER BY id`,
      [runId],
    )) as { id: string; object_id: string; action: string; status: string; code: string | null }[];
  const status = async (id: string): Promise<string> =>
    (
      (await db.dataSource.query(`SELECT status FROM departments WHERE id = $1`, [id])) as [
        { status: string },
      ]
    )[0].status;

  it('HR moves the people out of two departments and removes them and a third that still has people', async () => {
    const state = world.hr.sim.state;
    const option = (d: Dept) => state.lists.department.options.find((o) => String(o.id) === d.external_id)!;
    for (const e of state.employees) {
      if ([parent, child].some((d) => String(e.departmentId) === d.external_id))
        state.update(e.id, { department: keep.name });
    }
    for (const d of [parent, child, busy]) option(d).archived = 'yes';

    // A dry run lists the three retirements and changes nothing.
    const plan = await dryRunConnection(
      temporal.client,
      temporal.taskQueue,
      { id: world.hr.connectionId, direction: 'source' },
      { mode: 'full' },
    );
    const planned = (await events(plan.runId)).filter((e) => e.action === 'delete');
    expect(planned.map((e) => e.status)).toEqual(['planned', 'planned', 'planned']);
    expect(new Set(planned.map((e) => e.object_id))).toEqual(new Set([parent.id, child.id, busy.id]));
    for (const d of [parent, child, busy]) expect(await status(d.id)).toBe('active');

    const read = await sourceSync('full', false);
    expect(read.status).toBe('succeeded');
    for (const d of [parent, child, busy]) expect(await status(d.id)).toBe('deleted');
  });

  it('a target dry run plans the removals; nothing leaves WeCom', async () => {
    const plan = await dryRunConnection(temporal.client, temporal.taskQueue, {
      id: world.wecom!.connectionId,
      direction: 'target',
    });
    const removal = (await events(plan.runId)).filter((e) => e.action === 'delete' || e.action === 'skip');
    expect(removal.map((e) => [e.object_id, e.action, e.status, e.code])).toEqual(
      expect.arrayContaining([
        [child.id, 'delete', 'planned', null],
        [parent.id, 'delete', 'planned', null],
        [busy.id, 'skip', 'planned', 'department_not_empty'],
      ]),
    );
    expect(removal).toHaveLength(3);
    expect(removal.findIndex((e) => e.object_id === child.id)).toBeLessThan(
      removal.findIndex((e) => e.object_id === parent.id),
    );
    for (const d of [parent, child, busy]) {
      expect(world.wecom!.sim.tree.has(await targetId(world.wecom!.connectionId, d.id))).toBe(true);
    }
  });

  it('WeCom and LDAP delete the empty ones, children first, and keep and report the one with people', async () => {
    const ou = {
      parent: (await ldapUuid(parent.id))!,
      child: (await ldapUuid(child.id))!,
      busy: (await ldapUuid(busy.id))!,
    };
    expect(await ldapOus()).toEqual(expect.arrayContaining([ou.parent, ou.child, ou.busy]));
    const wecom = {
      parent: await targetId(world.wecom!.connectionId, parent.id),
      child: await targetId(world.wecom!.connectionId, child.id),
      busy: await targetId(world.wecom!.connectionId, busy.id),
    };
    for (const connectionId of [world.wecom!.connectionId, ldapId]) {
      const outcome = await targetSync(connectionId);
      // Reported, not failed: the run goes on and says which department stays and why.
      expect(outcome.status).toBe('partially_failed');
      const removal = (await events(outcome.runId)).filter((e) => e.action === 'delete');
      expect(removal.map((e) => [e.object_id, e.status, e.code])).toEqual(
        expect.arrayContaining([
          [child.id, 'ok', null],
          [parent.id, 'ok', null],
          [busy.id, 'quarantined', 'department_not_empty'],
        ]),
      );
      expect(removal).toHaveLength(3);
      // Children first: the parent's delete comes after its sub-department's.
      expect(removal.findIndex((e) => e.object_id === child.id)).toBeLessThan(
        removal.findIndex((e) => e.object_id === parent.id),
      );
    }
    expect(world.wecom!.sim.tree.has(wecom.child)).toBe(false);
    expect(world.wecom!.sim.tree.has(wecom.parent)).toBe(false);
    expect(world.wecom!.sim.tree.has(wecom.busy)).toBe(true);
    const ous = await ldapOus();
    expect(ous).not.toContain(ou.parent);
    expect(ous).not.toContain(ou.child);
    expect(ous).toContain(ou.busy);
    expect(await ldapUuid(parent.id)).toBeNull();
    expect(await ldapUuid(busy.id)).not.toBeNull();

    // The frequent incremental runs try again but do not repeat the report: they stay `succeeded`.
    const quiet = await sourceSync('incremental');
    expect(quiet.targets?.map((t) => t.status)).toEqual(['succeeded', 'succeeded']);
    expect(world.wecom!.sim.tree.has(wecom.busy)).toBe(true);
  });

  it('once HR moves the last people out, the next sync removes that department too', async () => {
    const state = world.hr.sim.state;
    for (const e of state.employees)
      if (String(e.departmentId) === busy.external_id) state.update(e.id, { department: keep.name });
    const busyWecom = await targetId(world.wecom!.connectionId, busy.id);
    const busyOu = (await ldapUuid(busy.id))!;
    const outcome = await sourceSync('incremental');
    expect(outcome.status).toBe('succeeded');
    for (const target of outcome.targets ?? []) {
      expect(target.status).toBe('succeeded');
      expect((await events(target.runId)).filter((e) => e.action === 'delete')).toEqual([
        expect.objectContaining({ object_id: busy.id, status: 'ok' }),
      ]);
    }
    expect(world.wecom!.sim.tree.has(busyWecom)).toBe(false);
    expect(await ldapOus()).not.toContain(busyOu);
  });

  it('a department HR lists again comes back in the directory and in the targets', async () => {
    const option = world.hr.sim.state.lists.department.options.find(
      (o) => String(o.id) === parent.external_id,
    )!;
    option.archived = 'no';
    const outcome = await sourceSync('full');
    expect(outcome.status).toBe('succeeded');
    expect(await status(parent.id)).toBe('active');
    const revived = (await events(outcome.runId)).filter((e) => e.object_id === parent.id);
    expect(revived.map((e) => [e.action, e.status])).toEqual([['update', 'ok']]);
    for (const target of outcome.targets ?? []) expect(target.status).toBe('succeeded');
    expect(world.wecom!.sim.tree.has(await targetId(world.wecom!.connectionId, parent.id))).toBe(true);
    expect(await ldapOus()).toContain(await ldapUuid(parent.id));
  });
});
