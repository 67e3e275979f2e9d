import { jest } from '@jest/globals';
import { useridFor } from '../../connectors/wecom/userid.js';
import { createActivities } from '../../workers/activities/index.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { provisionSteps, readSourceSteps, type Activities } from './sync-activity-steps.js';
import { buildWorld, type SyncWorld } from './sync-world.js';

jest.setTimeout(300_000);

/**
 * The account write path of a provisioning page, driven activity by activity (no Temporal: what is measured here
 * is which vendor calls and directory writes a page makes): a first create goes straight to the vendor, a create
 * that may have been made before is looked up, and a row the directory refuses is quarantined alone.
 */
describe('provisioning page: vendor requests and write-back', () => {
  let db: TestDatabase;
  let world: SyncWorld;
  let sync: Activities;
  let active: { id: string; email: string }[];

  beforeAll(async () => {
    db = await createTestDatabase();
    world = await buildWorld(db.dataSource, { people: 120, targets: ['wecom', 'scim'] });
    sync = createActivities(world.deps({ pageSize: 50, writeConcurrency: 4 }));
    await readSourceSteps(sync, world.hr.connectionId);
    active = (await db.dataSource.query(
      `SELECT id, email FROM people WHERE status = 'active' ORDER BY id`,
    )) as { id: string; email: string }[];
    world.scim!.sim.server.recorder.enabled = true;
  });

  afterAll(async () => {
    await world?.stop();
    await db?.drop();
  });

  const events = async (runId: string) =>
    (await db.dataSource.query(
      `SELECT action, status, error->>'code' AS code, count(*)::int AS n FROM sync_events
        WHERE run_id = $1 AND object_type = 'account' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [runId],
    )) as { action: string; status: string; code: string | null; n: number }[];

  const scimRequests = () => {
    const out: Record<string, number> = {};
    for (const e of world.scim!.sim.server.recorder.exchanges) {
      const path = e.path.replace(/^.*\/Users/, '/Users').replace(/^\/Users\/.+/, '/Users/:id');
      const key = `${e.method} ${path}${
        e.method === 'GET' && typeof e.query.filter === 'string' ? '?filter' : ''
      }`;
      out[key] = (out[key] ?? 0) + 1;
    }
    return out;
  };

  it('a first create is one vendor request per account: no lookup before it', async () => {
    const wecomBefore = Object.fromEntries(world.wecom!.sim.calls);
    const runId = await provisionSteps(sync, world.wecom!.connectionId);
    expect(await events(runId)).toEqual([{ action: 'create', status: 'ok', code: null, n: active.length }]);
    const calls = (path: string) => (world.wecom!.sim.calls.get(path) ?? 0) - (wecomBefore[path] ?? 0);
    expect(calls('/user/create')).toBe(active.length);
    expect(calls('/user/get')).toBe(0);
    expect(world.wecom!.sim.members.size).toBe(active.length);

    world.scim!.sim.server.recorder.clear();
    const scimRun = await provisionSteps(sync, world.scim!.connectionId);
    expect(await events(scimRun)).toEqual([{ action: 'create', status: 'ok', code: null, n: active.length }]);
    const requests = scimRequests();
    expect(requests['POST /Users']).toBe(active.length);
    expect(requests['GET /Users?filter']).toBeUndefined();
    expect(world.scim!.sim.store.count('User')).toBe(active.length);

    // Every row holds the id the target gave, written back in batches.
    const rows = (await db.dataSource.query(
      `SELECT person_id, external_id, state_hash FROM accounts WHERE connection_id = $1`,
      [world.scim!.connectionId],
    )) as { person_id: string; external_id: string | null; state_hash: string | null }[];
    expect(rows).toHaveLength(active.length);
    for (const row of rows) {
      expect(world.scim!.sim.store.get('User', row.external_id ?? '')?.attributes.externalId).toBe(
        row.person_id,
      );
      expect(row.state_hash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('creates whose write-back was lost (a worker killed after the vendor call) are looked up, not repeated', async () => {
    // What a crash between the vendor's answer and the write-back leaves: requested rows without an external id.
    for (const connectionId of [world.wecom!.connectionId, world.scim!.connectionId]) {
      await db.dataSource.query(
        `UPDATE accounts SET external_id = NULL, state_hash = NULL WHERE connection_id = $1`,
        [connectionId],
      );
    }
    const idsBefore = new Map(
      [...world.scim!.sim.store.all('User')].map((u) => [u.attributes.externalId, u.id]),
    );
    const wecomCreates = world.wecom!.sim.calls.get('/user/create') ?? 0;
    world.scim!.sim.server.recorder.clear();

    const wecomRun = await provisionSteps(sync, world.wecom!.connectionId);
    const scimRun = await provisionSteps(sync, world.scim!.connectionId);
    for (const runId of [wecomRun, scimRun]) {
      expect(await events(runId)).toEqual([{ action: 'create', status: 'ok', code: null, n: active.length }]);
    }
    expect(world.wecom!.sim.calls.get('/user/create') ?? 0).toBe(wecomCreates);
    expect(world.wecom!.sim.members.size).toBe(active.length);
    expect(scimRequests()['POST /Users']).toBeUndefined();
    expect(scimRequests()['GET /Users?filter']).toBeGreaterThanOrEqual(active.length);
    expect(world.scim!.sim.store.count('User')).toBe(active.length);
    const rows = (await db.dataSource.query(
      `SELECT connection_id, person_id, external_id FROM accounts WHERE connection_id = ANY($1)`,
      [[world.wecom!.connectionId, world.scim!.connectionId]],
    )) as { connection_id: string; person_id: string; external_id: string }[];
    for (const row of rows) {
      expect(row.external_id).toBe(
        row.connection_id === world.scim!.connectionId
          ? idsBefore.get(row.person_id)
          : useridFor(row.person_id),
      );
    }
  });

  it('a row the directory refuses (the target account is already another person’s) is quarantined alone', async () => {
    // Two people lose their rows' external ids; one of them now finds, by userName, the account of a third person,
    // whose row still holds it: recording that would give two rows of the connection one external id.
    const [victim, other, holder] = active;
    const scimId = world.scim!.connectionId;
    const holderUser = world.scim!.sim.store.findByExternalId('User', holder!.id)[0]!;
    const victimUser = world.scim!.sim.store.findByExternalId('User', victim!.id)[0]!;
    world.scim!.sim.store.delete('User', victimUser.id);
    const { externalId: _linked, ...unlinked } = holderUser.attributes;
    world.scim!.sim.store.replace('User', holderUser.id, { ...unlinked, userName: victim!.email });
    await db.dataSource.query(
      `UPDATE accounts SET external_id = NULL, state_hash = NULL WHERE connection_id = $1 AND person_id = ANY($2)`,
      [scimId, [victim!.id, other!.id]],
    );

    const runId = await provisionSteps(sync, scimId);
    const rows = (await db.dataSource.query(
      `SELECT e.status, e.error->>'code' AS code, a.person_id, a.external_id FROM sync_events e
         JOIN accounts a ON a.id = e.object_id WHERE e.run_id = $1 AND e.object_type = 'account' ORDER BY a.person_id`,
      [runId],
    )) as { status: string; code: string | null; person_id: string; external_id: string | null }[];
    const byPerson = new Map(rows.map((r) => [r.person_id, r]));
    expect(byPerson.get(victim!.id)).toMatchObject({
      status: 'quarantined',
      code: 'rejected_by_directory',
      external_id: null,
    });
    // The other row of the same batch was recorded; the holder's row is untouched.
    expect(byPerson.get(other!.id)).toMatchObject({ status: 'ok' });
    expect(byPerson.get(other!.id)?.external_id).toBeTruthy();
    const [held] = (await db.dataSource.query(
      `SELECT external_id FROM accounts WHERE connection_id = $1 AND person_id = $2`,
      [scimId, holder!.id],
    )) as [{ external_id: string }];
    expect(held.external_id).toBe(holderUser.id);
  });
});
