import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { BambooHrSimulator } from '../../connectors/bamboohr/simulator.js';
import { openConnector } from '../../connectors/open-connector.js';
import { DEFAULT_CORP_ID, DEFAULT_SECRET, WeComSimulator } from '../../connectors/wecom/simulator.js';
import { AdminGrant, Person, Tenant, TenantDomain } from '../../core/entities/index.js';
import { createLogger } from '../../core/logger.js';
import { Vault } from '../../core/vault/vault.js';
import { freePort } from '../../bin/runtime/free-port.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { createIdentityProvider } from '../../sso/admin/identity-providers.js';
import { createPasswordIdentity } from '../../sso/admin/local-accounts.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { readServices } from '../harness/services.js';
import { apiClient, createAdminToken } from '../integration/api-harness.js';
import {
  connectTestTemporal,
  startTestWorker,
  type RunningTestWorker,
  type TestTemporal,
} from '../harness/temporal.js';

const CHROMIUM = '/usr/bin/chromium';
// As /work/.library/env/machines/polyglot.md says for this machine: a closed network, no sandbox as root.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ADMIN_EMAIL = 'ada@acme.example';
const ADMIN_PASSWORD = 'correct horse battery staple';

/**
 * The console end to end in headless Chromium, on the whole stack (real PostgreSQL, the Temporal dev server with a
 * real worker, the BambooHR and WeCom simulators): an admin signs in through Junction SSO, creates a BambooHR and
 * a WeCom connection, tests them, dry-runs and runs HR, grants WeCom accounts by a role rule, previews the mapping,
 * dry-runs and runs WeCom, and opens the run to see the created accounts. Every step leaves a screenshot in
 * test-artifacts/console-e2e/.
 */
describe('admin console in Chromium', () => {
  let db: TestDatabase;
  let temporal: TestTemporal;
  let worker: RunningTestWorker;
  let gateway: RunningGateway;
  let context: BrowserContext;
  let page: Page;
  let hr: BambooHrSimulator;
  let hrUrl: string;
  let stopHr: () => Promise<void>;
  let wecom: WeComSimulator;
  let wecomUrl: string;
  let profileDir: string;
  let shots: string;
  let step = 0;

  const shot = async (name: string) => {
    step += 1;
    await page.screenshot({
      path: join(shots, `${String(step).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    });
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await connectTestTemporal();
    const vault = new Vault(randomBytes(32));
    const log = createLogger({ level: process.env.LOG_LEVEL ?? 'silent' });
    worker = await startTestWorker(temporal, {
      dataSource: db.dataSource,
      log,
      openConnector: (connection, options) => openConnector(connection, { vault, log: options.log }).instance,
    });
    const port = await freePort();
    gateway = await startGateway(
      {
        dataSource: db.dataSource,
        temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue: temporal.taskQueue },
        log,
        publicUrl: `http://127.0.0.1:${port}`,
        vault,
      },
      port,
      '127.0.0.1',
    );

    // The group company, its email domain, Junction's password sign-in, and one group admin.
    const ds = db.dataSource;
    const tenant = await ds
      .getRepository(Tenant)
      .save(
        ds.getRepository(Tenant).create({ slug: 'acme', name: 'Acme Group', parentId: null, settings: {} }),
      );
    await ds
      .getRepository(Tenant)
      .save(
        ds
          .getRepository(Tenant)
          .create({ slug: 'acme-cn', name: 'Acme China', parentId: tenant.id, settings: {} }),
      );
    await ds
      .getRepository(TenantDomain)
      .save(
        ds
          .getRepository(TenantDomain)
          .create({ tenantId: tenant.id, domain: 'acme.example', includeSubdomains: false }),
      );
    const { id: providerId } = await createIdentityProvider(ds, vault, {
      tenantId: tenant.id,
      kind: 'password',
      slug: 'password',
      name: 'Acme password',
      config: { secondFactor: 'off' },
    });
    const admin = await ds.getRepository(Person).save(
      ds.getRepository(Person).create({
        tenantId: tenant.id,
        displayName: 'Ada Admin',
        email: ADMIN_EMAIL,
        employeeNumber: 'ADM-1',
        status: 'active',
      }),
    );
    await createPasswordIdentity(ds, {
      providerId,
      personId: admin.id,
      login: ADMIN_EMAIL,
      password: ADMIN_PASSWORD,
    });
    await ds
      .getRepository(AdminGrant)
      .save(
        ds.getRepository(AdminGrant).create({ personId: admin.id, tenantId: tenant.id, role: 'group_admin' }),
      );

    hr = new BambooHrSimulator({ people: 24, seed: 5 });
    const hrHandle = await hr.start(0, '127.0.0.1');
    hrUrl = hrHandle.url;
    stopHr = hrHandle.stop;
    wecom = new WeComSimulator({ frequency: { perMinute: 1_000_000, perHour: 10_000_000 } });
    wecomUrl = (await wecom.start(0, '127.0.0.1')).url;

    shots = join(readServices().artifactsDir, 'console-e2e');
    rmSync(shots, { recursive: true, force: true });
    mkdirSync(shots, { recursive: true });
    profileDir = mkdtempSync(join(tmpdir(), 'junction-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1366, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(30_000);
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
    await gateway?.close();
    await worker?.stop();
    await stopHr?.();
    await wecom?.stop();
    await temporal?.close();
    await db?.drop();
  });

  const createConnection = async (fill: () => Promise<void>, name: string) => {
    await page.goto(`${gateway.url}/console/#/connections/new`);
    await page.getByRole('heading', { name: 'New connection' }).waitFor();
    await fill();
    await page.getByLabel('Name', { exact: true }).fill(name);
    await shot(`new-${name.toLowerCase()}`);
    await page.getByRole('button', { name: 'Create connection' }).click();
    await page.getByRole('heading', { name, exact: true }).waitFor();
  };

  const testConnection = async (name: string) => {
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.locator('.check-result').filter({ hasText: /ok/ }).waitFor();
    await shot(`${name.toLowerCase()}-tested`);
  };

  /** Waits on the run page until the live status says it finished. */
  const waitForRunPage = async (name: string) => {
    await page.locator('.badge-succeeded').first().waitFor({ timeout: 120_000 });
    await shot(name);
  };

  it('signs in through Junction SSO', async () => {
    await page.goto(`${gateway.url}/console/`);
    await page.getByRole('link', { name: 'Sign in with Junction SSO' }).waitFor();
    await shot('signed-out');
    await page.getByRole('link', { name: 'Sign in with Junction SSO' }).click();
    await page.locator('input[name=email]').fill(ADMIN_EMAIL);
    await shot('sso-email');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('input[name=password]').fill(ADMIN_PASSWORD);
    await shot('sso-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByText('Ada Admin').waitFor();
    await shot('overview');
  });

  it('creates and tests a BambooHR and a WeCom connection', async () => {
    const config = hr.connectionConfig(hrUrl);
    await createConnection(async () => {
      await page.getByLabel('Connector').selectOption('bamboohr');
      await page.locator('#cfg-companyDomain').fill(String(config.companyDomain));
      await page.locator('#cfg-apiKey').fill(String(config.apiKey));
      await page.locator('#cfg-baseUrl').fill(hrUrl);
    }, 'BambooHR');
    await testConnection('BambooHR');
    // The key is write-only: the saved form shows it as stored, never its value.
    expect(await page.locator('#cfg-apiKey').inputValue()).toBe('');
    expect(await page.locator('#cfg-apiKey').getAttribute('placeholder')).toMatch(/stored/);

    await createConnection(async () => {
      await page.getByLabel('Connector').selectOption('wecom');
      await page.locator('#cfg-corpId').fill(DEFAULT_CORP_ID);
      await page.locator('#cfg-corpSecret').fill(DEFAULT_SECRET);
      await page.locator('#cfg-baseUrl').fill(wecomUrl);
      await page.locator('#cfg-invite').uncheck();
      await page.locator('#cfg-requestsPerSecond').fill('1000');
    }, 'WeCom');
    await testConnection('WeCom');
  });

  it('dry-runs and runs the HR source', async () => {
    await page.goto(`${gateway.url}/console/#/connections`);
    await page.getByRole('link', { name: 'BambooHR' }).click();
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByRole('heading', { name: /Dry run of BambooHR/ }).waitFor();
    await waitForRunPage('bamboohr-dry-run');
    await page.getByRole('table', { name: 'Plan' }).waitFor();
    expect(await page.getByRole('table', { name: 'Plan' }).locator('tbody tr').count()).toBeGreaterThan(0);
    expect(
      await db.dataSource.query('SELECT count(*)::int AS n FROM people WHERE employee_number <> $1', [
        'ADM-1',
      ]),
    ).toEqual([{ n: 0 }]);

    await page.goto(`${gateway.url}/console/#/connections`);
    await page.getByRole('link', { name: 'BambooHR' }).click();
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('heading', { name: /^Run of BambooHR/ }).waitFor();
    await waitForRunPage('bamboohr-run');
  });

  it('grants WeCom accounts by a role rule, with a "who would match" preview', async () => {
    await page.goto(`${gateway.url}/console/#/roles`);
    await page.getByLabel('Key').fill('staff');
    await page.getByLabel('Name', { exact: true }).fill('Staff');
    await page.getByRole('button', { name: 'Create role' }).click();
    await page.getByRole('heading', { name: 'Staff' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Everyone active');
    await page
      .getByLabel('Condition (JSON)')
      .fill(JSON.stringify({ attribute: 'status', op: 'eq', value: 'active' }));
    await page.getByRole('button', { name: 'Who would this rule match?' }).click();
    await page.getByText(/Matches \d+ of \d+ people/).waitFor();
    await shot('rule-preview');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.getByRole('table', { name: 'Rules' }).waitFor();
    await page.getByLabel('Kind').selectOption('account');
    await page.getByLabel('Connection', { exact: true }).selectOption({ label: 'WeCom' });
    await page.getByRole('button', { name: 'Add entitlement' }).click();
    await page.getByRole('table', { name: 'Entitlements' }).waitFor();
    await shot('role-staff');
  });

  it('previews the WeCom mapping, dry-runs, runs, and shows the created accounts', async () => {
    await page.goto(`${gateway.url}/console/#/connections`);
    await page.getByRole('link', { name: 'WeCom' }).click();
    await page.getByLabel('Target attribute 1').fill('position');
    await page.getByLabel('Value 1').fill('jobTitle');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('table', { name: 'Mapping preview' }).waitFor();
    expect(
      await page.getByRole('table', { name: 'Mapping preview' }).locator('tbody tr').count(),
    ).toBeGreaterThan(0);
    await shot('wecom-mapping-preview');
    await page.getByRole('button', { name: 'Save mapping' }).click();
    await page.getByText('Mapping saved').waitFor();

    const before = wecom.members.all().length;
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByRole('heading', { name: /Dry run of WeCom/ }).waitFor();
    await waitForRunPage('wecom-dry-run-plan');
    const plan = page.getByRole('table', { name: 'Plan' });
    await plan.waitFor();
    expect(await plan.getByText('create', { exact: true }).count()).toBeGreaterThan(0);
    expect(wecom.members.all().length).toBe(before);

    await page.goto(`${gateway.url}/console/#/connections`);
    await page.getByRole('link', { name: 'WeCom' }).click();
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('heading', { name: /^Run of WeCom/ }).waitFor();
    await waitForRunPage('wecom-run');
    const objects = page.getByRole('table', { name: 'Objects' });
    await objects.waitFor();
    // Rows whose Type cell says account and Action cell says create (departments are created in WeCom too).
    const created = await objects
      .locator('tbody tr')
      .filter({ has: page.locator('td:nth-child(2)', { hasText: /^account$/ }) })
      .filter({ has: page.locator('td:nth-child(3)', { hasText: /^create$/ }) })
      .count();
    const active = (await db.dataSource.query(
      `SELECT count(*)::int AS n FROM people WHERE status = 'active'`,
    )) as [{ n: number }];
    expect(created).toBe(active[0].n);
    expect(wecom.members.all().filter((m) => m.enabled)).toHaveLength(active[0].n);
  });

  it('finds a person and explains their WeCom account', async () => {
    const [person] = (await db.dataSource.query(
      `SELECT display_name FROM people WHERE status = 'active' AND source_connection_id IS NOT NULL ORDER BY display_name LIMIT 1`,
    )) as [{ display_name: string }];
    await page.goto(`${gateway.url}/console/#/people`);
    await page.getByLabel('Search').fill(person.display_name);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: person.display_name }).first().click();
    await page.getByRole('heading', { name: person.display_name }).waitFor();
    await page
      .getByRole('table', { name: 'Accounts' })
      .getByText(/role staff/)
      .waitFor();
    await shot('person-accounts-why');
  });

  it('shows an overridden field with HR’s value beneath, and clears it by keyboard (after a change made meanwhile)', async () => {
    const [person] = (await db.dataSource.query(
      `SELECT id, display_name, job_title FROM people
        WHERE status = 'active' AND source_connection_id IS NOT NULL AND job_title IS NOT NULL
        ORDER BY display_name LIMIT 1`,
    )) as [{ id: string; display_name: string; job_title: string }];
    const [group] = (await db.dataSource.query(`SELECT id FROM tenants WHERE slug = 'acme'`)) as [
      { id: string },
    ];
    const api = apiClient(gateway.url, await createAdminToken(db.dataSource, group.id, 'group_admin'));
    const set = await api.patch(`/people/${person.id}`, { set: { jobTitle: 'Chief Console Tester' } });
    expect(set.status).toBe(200);

    await page.goto(`${gateway.url}/console/#/people/${person.id}`);
    // The previous step may have left this very page open: a goto to the same hash would not draw it again.
    await page.reload();
    await page.getByRole('heading', { name: person.display_name }).waitFor();
    const title = page.locator('.overridden[data-field="jobTitle"]');
    await title.getByText('Chief Console Tester').waitFor();
    await title.getByText(`Source: ${person.job_title}`).waitFor();
    await shot('person-override');

    // Another admin changes the person after the page was read: the clear is refused (412) and the page redrawn.
    expect((await api.patch(`/people/${person.id}`, { set: { location: 'Mars' } })).status).toBe(200);
    await page.getByRole('button', { name: 'Clear override of job title' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText(/changed since the page was opened/).waitFor();
    await page.locator('.overridden[data-field="location"]').waitFor();
    expect(await title.count()).toBe(1);

    await page.getByRole('button', { name: 'Clear override of job title' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Override of job title cleared.').waitFor();
    await title.waitFor({ state: 'detached' });
    await page
      .locator('dl.record div')
      .filter({ hasText: /^Job title/ })
      .getByText(person.job_title)
      .waitFor();
    await shot('person-override-cleared');
    const [row] = (await db.dataSource.query(`SELECT job_title, overrides FROM people WHERE id = $1`, [
      person.id,
    ])) as [{ job_title: string; overrides: Record<string, unknown> }];
    expect(row).toEqual({ job_title: person.job_title, overrides: { location: 'Mars' } });
  });

  it('shows runs, approvals and the audit log, and stays usable by keyboard and on a phone', async () => {
    await page.goto(`${gateway.url}/console/#/runs`);
    await page.getByRole('table', { name: 'Runs' }).waitFor();
    await shot('runs');
    await page.goto(`${gateway.url}/console/#/approvals`);
    await page.getByText('No run is waiting for approval.').waitFor();
    await page.goto(`${gateway.url}/console/#/audit`);
    await page.getByRole('table', { name: 'Audit events' }).getByText('connection.create').first().waitFor();
    await shot('audit-log');

    // Keyboard: the first Tab reaches the skip link, and the navigation is reachable and operable by keys.
    await page.goto(`${gateway.url}/console/#/overview`);
    // A fresh load (goto to another hash is only a hash change), so Tab starts from the top of the page.
    await page.reload();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    let reached = false;
    for (let i = 0; i < 12 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate('document.activeElement.textContent')) === 'Connections';
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Connections' }).waitFor();

    for (const width of [390, 768, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${gateway.url}/console/#/connections`);
      await page.getByRole('table', { name: 'Connections' }).waitFor();
      // No horizontal scrolling of the page itself (wide tables scroll in their own box).
      const overflow = Number(
        await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
      );
      expect([width, overflow <= 1]).toEqual([width, true]);
      await shot(`connections-${width}px`);
    }
  });
});
