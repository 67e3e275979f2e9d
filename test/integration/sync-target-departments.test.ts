import { jest } from '@jest/globals';
import { departmentIdFor } from '../../connectors/wecom/department-id.js';
import { createActivities } from '../../workers/activities/index.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { provisionSteps, readSourceSteps, type Activities } from './sync-activity-steps.js';
import { buildWorld, type SyncWorld } from './sync-world.js';

jest.setTimeout(300_000);

/**
 * The department tree into WeCom when a department cannot be written as HR names it: a name over WeCom's 32
 * characters (the cause of the 100,000-person bench ending `partially_failed`) is shortened, not refused; a
 * department WeCom does refuse keeps its branch waiting instead of hanging it under the root.
 */
describe('departments into WeCom', () => {
  let db: TestDatabase;
  let world: SyncWorld;
  let sync: Activities;
  let branch: { id: string; name: string; children: { id: string }[] };

  beforeAll(async () => {
    db = await createTestDatabase();
    world = await buildWorld(db.dataSource, { people: 400, targets: ['wecom'] });
    sync = createActivities(world.deps({ pageSize: 100 }));
    await readSourceSteps(sync, world.hr.connectionId);
    // BambooHR's departments are a flat list: make a branch of three of them.
    const [parent, ...children] = (await db.dataSource.query(
      `SELECT id, name FROM departments WHERE status = 'active' ORDER BY id LIMIT 3`,
    )) as { id: string; name: string }[];
    await db.dataSource.query(`UPDATE departments SET parent_id = $1 WHERE id = ANY($2)`, [
      parent!.id,
      children.map((c) => c.id),
    ]);
    branch = { id: parent!.id, name: parent!.name, children };
  });

  afterAll(async () => {
    await world?.stop();
    await db?.drop();
  });

  const events = async (runId: string) =>
    (await db.dataSource.query(
      `SELECT object_id, status, error->>'code' AS code FROM sync_events WHERE run_id = $1 AND object_type = 'department'`,
      [runId],
    )) as { object_id: string; status: string; code: string | null }[];
  const wecomId = async (departmentId: string): Promise<number> => {
    const [row] = (await db.dataSource.query(
      `SELECT external_id FROM target_records WHERE connection_id = $1 AND object_type = 'department' AND object_key = $2`,
      [world.wecom!.connectionId, departmentId],
    )) as [{ external_id: string } | undefined];
    return Number(row?.external_id);
  };

  it('a department WeCom refuses keeps its sub-departments waiting, not under the root; they follow once it is in', async () => {
    await db.dataSource.query(`UPDATE departments SET name = '   ' WHERE id = $1`, [branch.id]);
    const first = await events(await provisionSteps(sync, world.wecom!.connectionId, { people: false }));
    const byId = new Map(first.map((e) => [e.object_id, e]));
    expect(byId.get(branch.id)).toMatchObject({ status: 'quarantined', code: 'vendor_error' });
    for (const child of branch.children) {
      expect(byId.get(child.id)).toMatchObject({ status: 'quarantined', code: 'parent_not_synced' });
      expect(world.wecom!.sim.tree.has(departmentIdFor(child.id))).toBe(false);
    }
    expect(first.filter((e) => e.status === 'ok').length).toBeGreaterThan(0);

    await db.dataSource.query(`UPDATE departments SET name = $2 WHERE id = $1`, [branch.id, branch.name]);
    const second = await events(await provisionSteps(sync, world.wecom!.connectionId, { people: false }));
    expect(second.every((e) => e.status === 'ok')).toBe(true);
    const parentId = await wecomId(branch.id);
    for (const child of branch.children) {
      expect(world.wecom!.sim.tree.get(await wecomId(child.id))?.parentid).toBe(parentId);
    }
  });

  it('a name over 32 characters is shortened alike on every run, and members are placed in that department', async () => {
    const long = `${branch.name} with a name far too long for WeCom`;
    await db.dataSource.query(`UPDATE departments SET name = $2 WHERE id = $1`, [branch.id, long]);
    const runId = await provisionSteps(sync, world.wecom!.connectionId);
    const renamed = (await events(runId)).filter((e) => e.object_id === branch.id);
    expect(renamed).toEqual([{ object_id: branch.id, status: 'ok', code: null }]);
    const department = world.wecom!.sim.tree.get(await wecomId(branch.id));
    // 32 at most: the kept prefix drops trailing spaces, so a name cut at a space comes out one shorter.
    const length = [...(department?.name ?? '')].length;
    expect(length).toBeGreaterThanOrEqual(31);
    expect(length).toBeLessThanOrEqual(32);
    expect(department?.name.startsWith(long.slice(0, 20))).toBe(true);
    const [{ failed }] = (await db.dataSource.query(
      `SELECT count(*)::int AS failed FROM sync_events WHERE run_id = $1 AND status <> 'ok'`,
      [runId],
    )) as [{ failed: number }];
    expect(failed).toBe(0);
    const [member] = (await db.dataSource.query(
      `SELECT a.external_id FROM accounts a JOIN people p ON p.id = a.person_id
        WHERE a.connection_id = $1 AND p.department_id = $2 AND a.status = 'active' LIMIT 1`,
      [world.wecom!.connectionId, branch.id],
    )) as [{ external_id: string } | undefined];
    if (member) {
      expect(world.wecom!.sim.members.get(member.external_id)?.department).toEqual([
        await wecomId(branch.id),
      ]);
    }
    // The same name again: no department call at all.
    const calls = world.wecom!.sim.calls.get('/department/update') ?? 0;
    const again = await events(await provisionSteps(sync, world.wecom!.connectionId, { people: false }));
    expect(again).toEqual([]);
    expect(world.wecom!.sim.calls.get('/department/update') ?? 0).toBe(calls);
  });
});
