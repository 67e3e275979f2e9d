import { BambooHrSimulator } from '../../connectors/bamboohr/simulator.js';
import { openConnector } from '../../connectors/open-connector.js';
import { DEFAULT_CORP_ID, DEFAULT_SECRET, WeComSimulator } from '../../connectors/wecom/simulator.js';
import { createLogger } from '../../core/logger.js';
import { waitForRun } from '../../workers/client.js';
import { startTestWorker, type RunningTestWorker } from '../harness/temporal.js';
import {
  apiClient,
  createAdminToken,
  seedTenantFamily,
  startApiTestGateway,
  type ApiClient,
  type ApiTestContext,
  type Json,
  type TenantFamily,
} from './api-harness.js';

/**
 * The admin API's actions on the real Temporal dev server with a real worker, against the BambooHR and WeCom
 * simulators: connections created through the API, tested, previewed, dry-run, run, paused; a held run approved.
 */
describe('admin API actions', () => {
  let ctx: ApiTestContext;
  let worker: RunningTestWorker;
  let family: TenantFamily;
  let admin: ApiClient;
  let operator: ApiClient;
  let auditor: ApiClient;
  let hr: BambooHrSimulator;
  let hrStop: () => Promise<void>;
  let wecom: WeComSimulator;
  let hrId: string;
  let wecomId: string;

  beforeAll(async () => {
    ctx = await startApiTestGateway();
    const ds = ctx.db.dataSource;
    worker = await startTestWorker(ctx.temporal, {
      dataSource: ds,
      log: createLogger({ level: process.env.LOG_LEVEL ?? 'silent' }),
      openConnector: (connection, options) =>
        openConnector(connection, { vault: ctx.vault, log: options.log }).instance,
    });
    family = await seedTenantFamily(ds);
    admin = apiClient(ctx.gateway.url, await createAdminToken(ds, family.group.id, 'group_admin'));
    operator = apiClient(ctx.gateway.url, await createAdminToken(ds, family.subA.id, 'connector_operator'));
    auditor = apiClient(ctx.gateway.url, await createAdminToken(ds, family.group.id, 'auditor'));
    hr = new BambooHrSimulator({ people: 40, seed: 11 });
    const hrHandle = await hr.start(0, '127.0.0.1');
    hrStop = hrHandle.stop;
    wecom = new WeComSimulator({ frequency: { perMinute: 1_000_000, perHour: 10_000_000 } });
    const wecomHandle = await wecom.start(0, '127.0.0.1');

    const hrConnection = await admin.post('/connections', {
      tenantId: family.subA.id,
      connectorId: 'bamboohr',
      slug: 'bamboohr',
      name: 'BambooHR',
      direction: 'source',
      config: hr.connectionConfig(hrHandle.url),
    });
    expect(hrConnection.status).toBe(201);
    hrId = String(hrConnection.body.id);
    const wecomConnection = await admin.post('/connections', {
      tenantId: family.subA.id,
      connectorId: 'wecom',
      slug: 'wecom',
      name: 'WeCom',
      direction: 'target',
      config: {
        corpId: DEFAULT_CORP_ID,
        corpSecret: DEFAULT_SECRET,
        baseUrl: wecomHandle.url,
        invite: false,
        requestsPerSecond: 1000,
      },
      mappings: { position: 'jobTitle' },
      accountScope: 'entitled',
      schedule: { intervalSeconds: 3600 },
    });
    expect(wecomConnection.status).toBe(201);
    wecomId = String(wecomConnection.body.id);
  });

  afterAll(async () => {
    await worker?.stop();
    await hrStop?.();
    await wecom?.stop();
    await ctx?.close();
  });

  it('lists connectors with JSON Schemas and keeps secrets write-only', async () => {
    const connectors = await admin.get<{ items: Json[] }>('/connectors');
    const bamboo = connectors.body.items.find((c) => c.id === 'bamboohr')!;
    expect(bamboo.secretFields).toEqual(expect.arrayContaining(['apiKey']));
    expect(((bamboo.configSchema as Json).properties as Json).apiKey).toMatchObject({ writeOnly: true });
    const read = await admin.get(`/connections/${hrId}`);
    expect(read.body.secrets).toMatchObject({ apiKey: { set: true } });
    expect(JSON.stringify(read.body)).not.toContain(String(hr.connectionConfig('x').apiKey));
    expect(read.body.config).not.toHaveProperty('apiKey');
    const audit = await admin.get(`/audit-events/export?targetId=${hrId}`);
    expect(audit.status).toBe(200);
    expect(audit.headers.get('content-type')).toMatch(/text\/csv/);
    expect(String(audit.body)).toContain('connection.create');
    expect(String(audit.body)).not.toContain(String(hr.connectionConfig('x').apiKey));
  });

  it('rejects a config the connector’s schema refuses, naming the field', async () => {
    const bad = await admin.post('/connections', {
      tenantId: family.subA.id,
      connectorId: 'wecom',
      slug: 'bad-wecom',
      name: 'Bad',
      direction: 'target',
      config: { corpId: '' },
    });
    expect(bad.status).toBe(400);
    expect(String(bad.body.detail)).toMatch(/corpId|corpSecret/);
    const wrongDirection = await admin.post('/connections', {
      tenantId: family.subA.id,
      connectorId: 'bamboohr',
      slug: 'bad-bamboo',
      name: 'Bad',
      direction: 'target',
      config: {},
    });
    expect(wrongDirection.status).toBe(400);
  });

  it('creates Temporal schedules with the connection and pauses / resumes them', async () => {
    const handle = ctx.temporal.client.schedule.getHandle(`junction-sync-${wecomId}`);
    expect((await handle.describe()).state.paused).toBe(false);
    const paused = await operator.post(`/connections/${wecomId}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body.schedule).toMatchObject({ paused: true });
    expect((await handle.describe()).state.paused).toBe(true);
    expect((await auditor.post(`/connections/${wecomId}/resume`)).status).toBe(403);
    expect((await operator.post(`/connections/${wecomId}/resume`)).status).toBe(200);
    expect((await handle.describe()).state.paused).toBe(false);
  });

  it('tests connections: ok with the vendor’s message, and a clear failure with bad credentials', async () => {
    for (const id of [hrId, wecomId]) {
      const check = await operator.post(`/connections/${id}/check`);
      expect(check.status).toBe(200);
      expect(check.body).toMatchObject({ ok: true });
    }
    const read = await admin.get(`/connections/${wecomId}`);
    const broken = await admin.patch(
      `/connections/${wecomId}`,
      { config: { corpSecret: 'not-the-secret' } },
      { 'if-match': read.headers.get('etag')! },
    );
    expect(broken.status).toBe(200);
    const failed = await operator.post(`/connections/${wecomId}/check`);
    expect(failed.body).toMatchObject({ ok: false, error: { code: 'auth_failed' } });
    const restored = await admin.patch(`/connections/${wecomId}`, { config: { corpSecret: DEFAULT_SECRET } });
    expect(restored.status).toBe(200);
    expect((await operator.post(`/connections/${wecomId}/check`)).body.ok).toBe(true);
  });

  it('previews the mapping, dry-runs without writing, runs, and explains the accounts', async () => {
    const role = await admin.post('/roles', { tenantId: family.subA.id, key: 'staff', name: 'Staff' });
    const rule = await admin.post('/role-rules', {
      roleId: role.body.id,
      name: 'Active staff',
      condition: { attribute: 'status', op: 'eq', value: 'active' },
    });
    expect(rule.status).toBe(201);
    expect(
      (await admin.post('/entitlements', { roleId: role.body.id, kind: 'account', connectionId: wecomId }))
        .status,
    ).toBe(201);

    const source = await operator.post<{ workflowId: string; runId: string | null }>(
      `/connections/${hrId}/run`,
      { mode: 'full' },
    );
    expect(source.status).toBe(202);
    const outcome = await waitForRun(ctx.temporal.client, source.body.workflowId);
    expect(outcome.status).toBe('succeeded');

    const preview = await admin.post<{ items: Json[] }>(`/connections/${wecomId}/preview-mapping`, {
      mappings: { position: { expression: '$uppercase(jobTitle)' } },
      sample: 3,
    });
    expect(preview.status).toBe(200);
    expect(preview.body.items).toHaveLength(3);
    const wanted = preview.body.items.find((i) => i.wanted)!;
    expect(((wanted.account as Json).attributes as Json).position).toEqual(
      expect.stringMatching(/^[^a-z]*$/),
    );

    const matches = await admin.get(`/role-rules/${String(rule.body.id)}/matches?sample=2`);
    expect(matches.body.matched).toBeGreaterThan(0);

    // Saving the new mapping makes every account differ: the dry run plans those updates and writes none.
    const saved = await admin.patch(`/connections/${wecomId}`, {
      mappings: { position: { expression: '$uppercase(jobTitle)' } },
    });
    expect(saved.status).toBe(200);
    const positionsBefore = JSON.stringify(wecom.members.all().map((m) => m.position));
    const membersBefore = wecom.members.all().length;
    const dry = await operator.post<{ workflowId: string }>(`/connections/${wecomId}/dry-run`, {
      mode: 'full',
    });
    expect(dry.status).toBe(202);
    await waitForRun(ctx.temporal.client, dry.body.workflowId);
    expect(wecom.members.all().length).toBe(membersBefore);
    const dryRuns = await admin.get<{ items: Json[] }>(
      `/sync-runs?workflowId=${encodeURIComponent(dry.body.workflowId)}`,
    );
    expect(dryRuns.body.items[0]).toMatchObject({ dryRun: true });
    const plan = await admin.get<{ items: Json[] }>(
      `/sync-runs/${String(dryRuns.body.items[0]!.id)}/events?status=planned&limit=200`,
    );
    expect(plan.body.items.length).toBeGreaterThan(0);
    expect(plan.body.items[0]).toMatchObject({ action: 'update', diff: expect.objectContaining({}) });
    expect(JSON.stringify(wecom.members.all().map((m) => m.position))).toBe(positionsBefore);

    const run = await operator.post<{ workflowId: string }>(`/connections/${wecomId}/run`, {
      mode: 'incremental',
    });
    expect(run.status).toBe(202);
    expect((await waitForRun(ctx.temporal.client, run.body.workflowId)).status).toBe('succeeded');
    expect(wecom.members.all().some((m) => m.position && m.position === m.position.toUpperCase())).toBe(true);

    const accounts = await admin.get<{ items: Json[] }>(`/accounts?connectionId=${wecomId}&limit=200`);
    const active = (
      await admin.get<{ items: Json[] }>(`/people?tenantId=${family.subA.id}&status=active&limit=200`)
    ).body.items;
    expect(accounts.body.items.length).toBe(active.length);
    const someone = String(accounts.body.items[0]!.personId);
    const access = await admin.get(`/people/${someone}/access`);
    expect(access.body.accounts).toEqual([
      expect.objectContaining({
        connectionId: wecomId,
        because: [expect.objectContaining({ roleKey: 'staff', via: 'rule', ruleName: 'Active staff' })],
      }),
    ]);

    const provision = await operator.post<{ workflowId: string }>(`/people/${someone}/provision`, {});
    expect(provision.status).toBe(202);
    const personOutcome = await waitForRun(ctx.temporal.client, provision.body.workflowId);
    expect(['succeeded', 'partially_failed']).toContain(personOutcome.status);
  });

  it('holds a run that would disable too many accounts, and approving it lets it finish', async () => {
    const active = hr.state.employees.filter((e) => e.status === 'Active');
    for (const e of active.slice(0, Math.ceil(active.length / 2)))
      hr.state.update(e.id, { status: 'Inactive', terminationDate: '2026-11-20' });
    const started = await operator.post<{ workflowId: string }>(`/connections/${hrId}/run`, { mode: 'full' });
    expect(started.status).toBe(202);
    let approval: Json | undefined;
    for (let i = 0; i < 120 && !approval; i += 1) {
      const pending = await admin.get<{ items: Json[] }>('/approvals?status=pending');
      approval = pending.body.items[0];
      if (!approval) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(approval).toBeDefined();
    expect((await auditor.post(`/approvals/${String(approval!.id)}/approve`, {})).status).toBe(403);
    const approved = await operator.post(`/approvals/${String(approval!.id)}/approve`, {
      comment: 'HR confirmed the layoffs',
    });
    expect(approved.status).toBe(202);
    const again = await operator.post(`/approvals/${String(approval!.id)}/approve`, {});
    expect([202, 422]).toContain(again.status);
    await waitForRun(ctx.temporal.client, started.body.workflowId);
    const decided = await admin.get(`/approvals/${String(approval!.id)}`);
    expect(decided.body.status).toBe('approved');
    const disabled = await admin.get<{ items: Json[] }>(
      `/accounts?connectionId=${wecomId}&status=disabled&limit=200`,
    );
    expect(disabled.body.items.length).toBeGreaterThan(0);
  });

  it('deletes a connection and its schedules', async () => {
    const temp = await admin.post('/connections', {
      tenantId: family.subA.id,
      connectorId: 'wecom',
      slug: 'temp-wecom',
      name: 'Temp',
      direction: 'target',
      config: { corpId: DEFAULT_CORP_ID, corpSecret: DEFAULT_SECRET, baseUrl: 'http://127.0.0.1:9' },
      schedule: { intervalSeconds: 600 },
    });
    expect(temp.status).toBe(201);
    const id = String(temp.body.id);
    await ctx.temporal.client.schedule.getHandle(`junction-sync-${id}`).describe();
    expect((await admin.delete(`/connections/${id}`)).status).toBe(204);
    await expect(ctx.temporal.client.schedule.getHandle(`junction-sync-${id}`).describe()).rejects.toThrow();
  });
});
