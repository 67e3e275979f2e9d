import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { ScheduleNotFoundError } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { openConnector } from '../../connectors/open-connector.js';
import { Connection } from '../../core/entities/index.js';
import { createLogger } from '../../core/logger.js';
import { Vault } from '../../core/vault/vault.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { freePort } from '../../bin/runtime/free-port.js';
import {
  DEMO_ADMIN,
  DEMO_GROUP,
  DEMO_GROUP_SEEDING_SLUG,
  DEMO_SUBSIDIARIES,
} from '../../bin/demo/demo-plan.js';
import { inspectDemo } from '../../bin/demo/demo-state.js';
import { prepareDemo, type DemoReport, type PreparedDemo } from '../../bin/demo/run-demo.js';
import { removeDemoTenant, type DemoDeps } from '../../bin/demo/seed-demo.js';
import { waitForRun } from '../../workers/client.js';
import { registryOpener } from '../../workers/sync/registry-opener.js';
import type { TargetAccount } from '../../connectors/kit/contract.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { SsoBrowser } from '../harness/sso-browser.js';
import { completePasswordLogin, signInWithPassword } from '../harness/sso-scenarios.js';
import {
  connectTestTemporal,
  startTestWorker,
  type RunningTestWorker,
  type TestTemporal,
} from '../harness/temporal.js';

jest.setTimeout(600_000);

/**
 * `junction start`'s demo against real PostgreSQL, the real Temporal dev server, a real worker and gateway, and the
 * demo's own simulators in this process (on free ports): what the seed writes, the first syncs it starts, the
 * accounts that land in each subsidiary's systems, the administrator's sign-in, and what a second start does.
 */
describe('the demo `junction start` seeds into an empty database', () => {
  const log = createLogger({ level: process.env.LOG_LEVEL ?? 'silent', name: 'demo-test' });
  const vault = new Vault(randomBytes(32));
  const dataDir = mkdtempSync(join(tmpdir(), 'junction-demo-'));
  let db: TestDatabase;
  let ds: DataSource;
  let temporal: TestTemporal;
  let worker: RunningTestWorker;
  let gateway: RunningGateway;
  let publicUrl: string;
  let demo: PreparedDemo | undefined;
  let report: DemoReport;
  let deps: DemoDeps;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = db.dataSource;
    temporal = await connectTestTemporal();
    worker = await startTestWorker(temporal, { dataSource: ds, log, openConnector: registryOpener(vault) });
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    demo = await prepareDemo({ dataSource: ds, seed: true, basePort: 0, publicUrl, log });
    gateway = await startGateway(
      {
        dataSource: ds,
        temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue: temporal.taskQueue },
        log,
        publicUrl,
        vault,
      },
      port,
      '127.0.0.1',
    );
    deps = {
      dataSource: ds,
      vault,
      temporal: { client: temporal.client, taskQueue: temporal.taskQueue },
      log,
      publicUrl,
      dataDir,
    };
    if (!demo) throw new Error('an empty database must get the demo');
    report = await demo.activate(deps);
  });

  afterAll(async () => {
    // Schedules live in the shared dev server: remove this file's, or they would fire into a dropped database.
    for (const { id } of (await ds?.query(`SELECT id FROM connections`)) ?? []) {
      for (const prefix of ['junction-sync-', 'junction-reconcile-']) {
        await temporal.client.schedule
          .getHandle(`${prefix}${String(id)}`)
          .delete()
          .catch(() => undefined);
      }
    }
    await gateway?.close();
    await worker?.stop();
    await demo?.stop();
    await temporal?.close();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ldapRuns = (): boolean => demo?.simulators.running.ldap !== undefined;

  async function connectionId(tenantSlug: string, slug: string): Promise<string> {
    const [row] = (await ds.query(
      `SELECT c.id FROM connections c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = $1 AND c.slug = $2`,
      [tenantSlug, slug],
    )) as { id: string }[];
    if (!row) throw new Error(`no connection ${tenantSlug}/${slug}`);
    return row.id;
  }

  /** Every account the target holds, read through its vendor API (the connector's own listing). */
  async function targetAccounts(id: string): Promise<TargetAccount[]> {
    const connection = await ds.getRepository(Connection).findOneByOrFail({ id });
    const { instance } = openConnector(connection, { vault, log });
    const lister = instance as unknown as {
      listAccounts(r: { cursor: string | null; pageSize: number }): Promise<{
        items: TargetAccount[];
        nextCursor: string | null;
      }>;
    };
    const all: TargetAccount[] = [];
    let cursor: string | null = null;
    do {
      const page = await lister.listAccounts({ cursor, pageSize: 200 });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  async function activePeople(tenantSlug: string, division?: string) {
    return (await ds.query(
      `SELECT p.id, p.email, p.employee_number FROM people p JOIN tenants t ON t.id = p.tenant_id
        WHERE t.slug = $1 AND p.status = 'active' AND ($2::text IS NULL OR p.division = $2)`,
      [tenantSlug, division ?? null],
    )) as { id: string; email: string; employee_number: string }[];
  }

  it('writes the group, its subsidiaries and domains, the connections, the access model and the sign-in', async () => {
    const tenants = (await ds.query(
      `SELECT t.slug, p.slug AS parent, array_agg(d.domain ORDER BY d.domain) AS domains
         FROM tenants t LEFT JOIN tenants p ON p.id = t.parent_id LEFT JOIN tenant_domains d ON d.tenant_id = t.id
        GROUP BY t.slug, p.slug ORDER BY t.slug`,
    )) as { slug: string; parent: string | null; domains: string[] }[];
    expect(tenants).toEqual(
      [
        { slug: DEMO_GROUP.slug, parent: null, domains: [...DEMO_GROUP.domains].sort() },
        ...Object.values(DEMO_SUBSIDIARIES).map((s) => ({
          slug: s.slug,
          parent: DEMO_GROUP.slug,
          domains: [...s.domains].sort(),
        })),
      ].sort((a, b) => a.slug.localeCompare(b.slug)),
    );

    const connections = (await ds.query(
      `SELECT t.slug AS tenant, c.slug, c.connector_id, c.direction, c.secrets_sealed IS NOT NULL AS sealed,
              c.config::text AS config
         FROM connections c JOIN tenants t ON t.id = c.tenant_id ORDER BY t.slug, c.slug`,
    )) as {
      tenant: string;
      slug: string;
      connector_id: string;
      direction: string;
      sealed: boolean;
      config: string;
    }[];
    expect(connections.map((c) => `${c.tenant}/${c.slug}:${c.connector_id}:${c.direction}`)).toEqual([
      'aurora-robotics/bamboohr:bamboohr:source',
      'aurora-robotics/kingdee:kingdee:target',
      'aurora-robotics/wecom:wecom:target',
      'borealis-foods/bamboohr:bamboohr:source',
      ...(ldapRuns() ? ['borealis-foods/ldap:ldap:target'] : []),
      'borealis-foods/scim-app:scim:target',
    ]);
    // Every one of them has credentials, and none is stored in the clear.
    for (const c of connections) {
      expect(c.sealed).toBe(true);
      const keys = Object.keys(JSON.parse(c.config) as Record<string, unknown>);
      for (const secret of ['apiKey', 'corpSecret', 'password', 'token', 'bindPassword', 'appSecret'])
        expect(keys).not.toContain(secret);
    }

    const roles = (await ds.query(
      `SELECT r.key, count(DISTINCT rr.id)::int AS rules, array_agg(DISTINCT e.kind || ':' || e.value) AS grants
         FROM roles r JOIN role_rules rr ON rr.role_id = r.id JOIN entitlements e ON e.role_id = r.id
        GROUP BY r.key ORDER BY r.key`,
    )) as { key: string; rules: number; grants: string[] }[];
    expect(roles.map((r) => [r.key, r.rules])).toEqual([
      ['employee', 1],
      ['engineering', 1],
      ['finance', 1],
    ]);
    expect(roles.find((r) => r.key === 'finance')?.grants).toEqual(
      expect.arrayContaining(['account:', 'permission_set:FIN-AP', 'role:expense-approver']),
    );

    const [admin] = (await ds.query(
      `SELECT p.email, g.role, t.slug, i.subject, c.password_hash
         FROM people p JOIN admin_grants g ON g.person_id = p.id JOIN tenants t ON t.id = g.tenant_id
         JOIN identities i ON i.person_id = p.id JOIN identity_providers ip ON ip.id = i.provider_id AND ip.kind = 'password'
         JOIN local_credentials c ON c.identity_id = i.id`,
    )) as { email: string; role: string; slug: string; subject: string; password_hash: string }[];
    expect(admin).toMatchObject({
      email: DEMO_ADMIN.email,
      role: 'group_admin',
      slug: DEMO_GROUP.slug,
      subject: DEMO_ADMIN.email,
    });
    expect(admin?.password_hash).toMatch(/^\$argon2id\$/);
    expect(admin?.password_hash).not.toContain(report.seeded?.admin.password ?? 'x');

    // The password is printed once and kept only in a file its owner alone can read.
    const file = join(dataDir, 'demo-admin.txt');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(report.seeded?.admin.password ?? 'missing');
    expect(report.lines.join('\n')).toContain(report.seeded?.admin.password ?? 'missing');

    // Schedules: HR every five minutes and nightly; targets nightly.
    const hr = await connectionId('aurora-robotics', 'bamboohr');
    const incremental = await temporal.client.schedule.getHandle(`junction-sync-${hr}`).describe();
    expect(incremental.spec.intervals?.[0]?.every).toBe(300_000);
    const reconcile = await temporal.client.schedule.getHandle(`junction-reconcile-${hr}`).describe();
    // The nightly cron comes back from Temporal as a calendar: 02:00.
    expect(JSON.stringify(reconcile.spec.calendars)).toContain('"hour":[{"start":2,"end":2,"step":1}]');
    const wecom = await connectionId('aurora-robotics', 'wecom');
    await expect(temporal.client.schedule.getHandle(`junction-sync-${wecom}`).describe()).rejects.toThrow(
      ScheduleNotFoundError,
    );
    await temporal.client.schedule.getHandle(`junction-reconcile-${wecom}`).describe();
  });

  it('runs a full read of each HR source, which provisions its own subsidiary’s targets', async () => {
    expect(report.runs).toHaveLength(2);
    for (const run of report.runs) {
      const outcome = await waitForRun(temporal.client, run.workflowId);
      expect(outcome.status).toBe('succeeded');
      expect(outcome.targets?.map((t) => t.status)).toEqual(outcome.targets?.map(() => 'succeeded'));
    }
    const [{ n }] = (await ds.query(
      `SELECT count(*)::int AS n FROM people p JOIN tenants t ON t.id = p.tenant_id WHERE t.parent_id IS NOT NULL`,
    )) as [{ n: number }];
    expect(n).toBe(500);
  });

  it('gives every active person exactly one account in their own subsidiary’s office system', async () => {
    const aurora = await activePeople('aurora-robotics');
    const borealis = await activePeople('borealis-foods');
    expect(aurora.length).toBeGreaterThan(250);
    expect(borealis.length).toBeGreaterThan(150);

    const wecom = await targetAccounts(await connectionId('aurora-robotics', 'wecom'));
    const wecomEmails = wecom.map((a) => a.email);
    expect(new Set(wecomEmails).size).toBe(wecom.length);
    expect(new Set(wecomEmails)).toEqual(new Set(aurora.map((p) => p.email)));

    const scim = await targetAccounts(await connectionId('borealis-foods', 'scim-app'));
    expect(new Set(scim.map((a) => a.email)).size).toBe(scim.length);
    expect(new Set(scim.map((a) => a.email))).toEqual(new Set(borealis.map((p) => p.email)));

    if (ldapRuns()) {
      const ldap = await targetAccounts(await connectionId('borealis-foods', 'ldap'));
      expect(ldap).toHaveLength(borealis.length);
    }

    // Finance only in Kingdee, numbered by employee number, with the permission set in what was pushed.
    const finance = await activePeople('aurora-robotics', 'Finance');
    expect(finance.length).toBeGreaterThan(20);
    const kingdeeId = await connectionId('aurora-robotics', 'kingdee');
    const kingdee = await targetAccounts(kingdeeId);
    expect(new Set(kingdee.map((a) => a.externalId))).toEqual(new Set(finance.map((p) => p.employee_number)));
    const pushed = (await ds.query(
      `SELECT DISTINCT last_pushed->'attributes.permissionSets' AS sets FROM accounts WHERE connection_id = $1`,
      [kingdeeId],
    )) as { sets: string[] }[];
    expect(pushed).toEqual([{ sets: ['FIN-AP'] }]);
  });

  it('lets the administrator sign in with the printed password: the launcher, the demo app (roles in its tokens), the console', async () => {
    const browser = new SsoBrowser();
    const launcher = await signInWithPassword(
      browser,
      publicUrl,
      DEMO_ADMIN.email,
      report.seeded?.admin.password ?? '',
    );
    expect(launcher.url).toBe(`${publicUrl}/sso/apps`);
    expect(launcher.body).toContain('Demo app');

    const app = await browser.get(`${demo?.app.url ?? ''}/login`);
    expect(app.url).toBe(`${demo?.app.url ?? ''}/`);
    expect(app.body).toContain('ID token claims');
    expect(app.body).toContain('&#34;employee&#34;');
    expect(app.body).toContain('&#34;all-staff&#34;');

    // The console: an OIDC client of Junction's own SSO; the session it opens carries the group_admin grant.
    const admin = new SsoBrowser();
    const emailPage = await admin.get(`${publicUrl}/console/login`);
    const consolePage = await completePasswordLogin(
      admin,
      emailPage,
      DEMO_ADMIN.email,
      report.seeded?.admin.password ?? '',
    );
    expect(consolePage.url).toBe(`${publicUrl}/console/`);
    const session = await admin.get(`${publicUrl}/console/session`);
    expect(JSON.parse(session.body)).toMatchObject({
      signedIn: true,
      grants: [{ tenantName: DEMO_GROUP.name, role: 'group_admin' }],
    });

    const wrong = new SsoBrowser();
    const refused = await signInWithPassword(wrong, publicUrl, DEMO_ADMIN.email, 'not-the-password');
    expect(refused.status).toBe(401);
  });

  it('does nothing the second time: the same records, the same password, no second seed', async () => {
    const counts = async () =>
      (await ds.query(
        `SELECT (SELECT count(*) FROM tenants)::int AS tenants, (SELECT count(*) FROM connections)::int AS connections,
                (SELECT count(*) FROM roles)::int AS roles, (SELECT count(*) FROM identities)::int AS identities,
                (SELECT count(*) FROM audit_events WHERE action = 'demo.seed')::int AS seeds`,
      )) as [Record<string, number>];
    const before = await counts();
    const again = await demo?.activate(deps);
    expect(again?.seeded).toBeUndefined();
    expect(await counts()).toEqual(before);
    expect(again?.lines.join('\n')).toContain(join(dataDir, 'demo-admin.txt'));
    expect(again?.lines.join('\n')).not.toContain(report.seeded?.admin.password ?? 'missing');
    for (const run of again?.runs ?? []) {
      expect((await waitForRun(temporal.client, run.workflowId)).status).toBe('succeeded');
    }
  });

  it('after a restart on other ports, re-points the connections and fills the empty simulators again', async () => {
    await demo?.stop();
    demo = await prepareDemo({ dataSource: ds, seed: true, basePort: 0, publicUrl, log });
    if (!demo) throw new Error('the demo database must resume');
    const resumed = await demo.activate(deps);
    expect(resumed.seeded).toBeUndefined();
    for (const run of resumed.runs) {
      const outcome = await waitForRun(temporal.client, run.workflowId);
      expect(outcome.status).toBe('succeeded');
      expect(outcome.targets?.map((t) => t.status)).toEqual(outcome.targets?.map(() => 'succeeded'));
    }
    const wecom = await targetAccounts(await connectionId('aurora-robotics', 'wecom'));
    expect(wecom).toHaveLength((await activePeople('aurora-robotics')).length);
    const scim = await targetAccounts(await connectionId('borealis-foods', 'scim-app'));
    expect(scim).toHaveLength((await activePeople('borealis-foods')).length);
    const [{ n }] = (await ds.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'demo.repoint'`,
    )) as [{ n: number }];
    expect(n).toBeGreaterThanOrEqual(5);

    // The demo app moved too, and its registration with it: signing in there still works.
    const browser = new SsoBrowser();
    await signInWithPassword(browser, publicUrl, DEMO_ADMIN.email, report.seeded?.admin.password ?? '');
    const app = await browser.get(`${demo.app.url}/login`);
    expect(app.url).toBe(`${demo.app.url}/`);
    expect(app.body).toContain('ID token claims');
  });

  it('never seeds a database that already has tenants, nor an empty one with JUNCTION_SEED_DEMO=false', async () => {
    const other = await createTestDatabase();
    try {
      expect(
        await prepareDemo({ dataSource: other.dataSource, seed: false, basePort: 0, publicUrl, log }),
      ).toBeUndefined();
      await other.dataSource.query(`INSERT INTO tenants (slug, name, version) VALUES ('acme', 'Acme', 1)`);
      expect(
        await prepareDemo({ dataSource: other.dataSource, seed: true, basePort: 0, publicUrl, log }),
      ).toBeUndefined();
      const [{ n }] = (await other.dataSource.query(`SELECT count(*)::int AS n FROM tenants`)) as [
        { n: number },
      ];
      expect(n).toBe(1);

      // A seed killed half-way is recognisable (the provisional slug), and removing it empties the database again.
      await other.dataSource.query(`DELETE FROM tenants`);
      const [group] = (await other.dataSource.query(
        `INSERT INTO tenants (slug, name, version) VALUES ($1, 'half', 1) RETURNING id`,
        [DEMO_GROUP_SEEDING_SLUG],
      )) as [{ id: string }];
      await other.dataSource.query(
        `INSERT INTO tenants (slug, name, parent_id, version) VALUES ('aurora-robotics', 'A', $1, 1)`,
        [group.id],
      );
      expect(await inspectDemo(other.dataSource)).toEqual({ kind: 'interrupted', groupId: group.id });
      await removeDemoTenant({ ...deps, dataSource: other.dataSource }, group.id);
      expect(await inspectDemo(other.dataSource)).toEqual({ kind: 'empty' });
    } finally {
      await other.drop();
    }
  });
});
