import { openConnector } from '../../connectors/open-connector.js';
import { useridFor } from '../../connectors/wecom/userid.js';
import { DEFAULT_CORP_ID, DEFAULT_SECRET, WeComSimulator } from '../../connectors/wecom/simulator.js';
import { createLogger } from '../../core/logger.js';
import { startTestWorker, type RunningTestWorker } from '../harness/temporal.js';
import {
  apiClient,
  createAdminToken,
  seedTenantFamily,
  startApiTestGateway,
  type ApiClient,
  type ApiTestContext,
  scimClient,
  type Json,
  type ScimCall,
  type TenantFamily,
} from './api-harness.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** Polls until `check` holds (the provisioning it waits for runs on a real worker); fails with what it last saw. */
async function eventually<T>(
  what: string,
  read: () => T | Promise<T>,
  check: (value: T) => boolean,
  ms = 90_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T = await read();
  while (!check(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)?.slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await read();
  }
  return last;
}

/**
 * An Okta-like SCIM client provisions into Junction; the person flows through the role rules (group membership →
 * role → WeCom account) and reaches the WeCom simulator through the real sync engine; deactivation disables them.
 */
describe('SCIM-provisioned people reach the targets through the role rules', () => {
  let ctx: ApiTestContext;
  let worker: RunningTestWorker;
  let family: TenantFamily;
  let admin: ApiClient;
  let wecom: WeComSimulator;
  let token: string;

  let scim: ScimCall;

  beforeAll(async () => {
    ctx = await startApiTestGateway();
    scim = scimClient(ctx.gateway.url, () => token);
    const ds = ctx.db.dataSource;
    worker = await startTestWorker(ctx.temporal, {
      dataSource: ds,
      log: createLogger({ level: process.env.LOG_LEVEL ?? 'silent' }),
      openConnector: (connection, options) =>
        openConnector(connection, { vault: ctx.vault, log: options.log }).instance,
    });
    family = await seedTenantFamily(ds);
    admin = apiClient(ctx.gateway.url, await createAdminToken(ds, family.group.id, 'group_admin'));
    wecom = new WeComSimulator({ frequency: { perMinute: 1_000_000, perHour: 10_000_000 } });
    const handle = await wecom.start(0, '127.0.0.1');
    const okta = await admin.post('/connections', {
      tenantId: family.subA.id,
      connectorId: 'scim-inbound',
      slug: 'okta',
      name: 'Okta',
      direction: 'source',
    });
    expect(okta.status).toBe(201);
    const target = await admin.post('/connections', {
      tenantId: family.subA.id,
      connectorId: 'wecom',
      slug: 'wecom',
      name: 'WeCom',
      direction: 'target',
      config: {
        corpId: DEFAULT_CORP_ID,
        corpSecret: DEFAULT_SECRET,
        baseUrl: handle.url,
        invite: false,
        requestsPerSecond: 1000,
      },
      accountScope: 'entitled',
      mappings: { position: 'jobTitle' },
    });
    expect(target.status).toBe(201);
    const role = await admin.post('/roles', {
      tenantId: family.subA.id,
      key: 'engineering',
      name: 'Engineering',
    });
    const rule = await admin.post('/role-rules', {
      roleId: role.body.id,
      name: 'Engineering group',
      condition: { memberOf: { displayName: 'Engineering' } },
    });
    expect(rule.status).toBe(201);
    const entitlement = await admin.post('/entitlements', {
      roleId: role.body.id,
      kind: 'account',
      connectionId: target.body.id,
    });
    expect(entitlement.status).toBe(201);
    const minted = await admin.post('/api-tokens', {
      kind: 'scim',
      connectionId: okta.body.id,
      name: 'Okta',
    });
    token = String(minted.body.token);
  });

  afterAll(async () => {
    await worker?.stop();
    await wecom?.stop();
    await ctx?.close();
  });

  it('create user → group membership → WeCom account; PATCH active=false → disabled; leaving the group → disabled', async () => {
    const alice = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'alice@acme.example',
      name: { givenName: 'Alice', familyName: 'Archer' },
      emails: [{ primary: true, value: 'alice@acme.example', type: 'work' }],
      title: 'Engineer',
      active: true,
    });
    expect(alice.status).toBe(201);
    const aliceId = String(alice.body.id);
    const bob = await scim('POST', '/Users', {
      schemas: [USER],
      userName: 'bob@acme.example',
      displayName: 'Bob',
      emails: [{ value: 'bob@acme.example', primary: true }],
      active: true,
    });
    const bobId = String(bob.body.id);

    const group = await scim('POST', '/Groups', {
      schemas: [GROUP],
      displayName: 'Engineering',
      members: [{ value: aliceId }],
    });
    expect(group.status).toBe(201);

    const member = await eventually(
      'Alice in WeCom',
      () => wecom.members.get(useridFor(aliceId)),
      (m) => m?.enabled === true,
    );
    expect(member?.position).toBe('Engineer');
    const access = await admin.get(`/people/${aliceId}/access`);
    expect(access.body.accounts).toEqual([
      expect.objectContaining({
        because: [
          expect.objectContaining({ roleKey: 'engineering', via: 'rule', ruleName: 'Engineering group' }),
        ],
      }),
    ]);
    // Bob is not in the group, so the rule gives him nothing.
    expect(wecom.members.get(useridFor(bobId))).toBeUndefined();

    const added = await scim('PATCH', `/Groups/${String(group.body.id)}`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ value: bobId }] }],
    });
    expect(added.status).toBe(200);
    await eventually(
      'Bob in WeCom',
      () => wecom.members.get(useridFor(bobId)),
      (m) => m?.enabled === true,
    );

    const deactivated = await scim('PATCH', `/Users/${aliceId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(deactivated.status).toBe(200);
    await eventually(
      'Alice disabled in WeCom',
      () => wecom.members.get(useridFor(aliceId)),
      (m) => m?.enabled === false,
    );

    const removed = await scim('PATCH', `/Groups/${String(group.body.id)}`, {
      schemas: [PATCH],
      Operations: [{ op: 'remove', path: `members[value eq "${bobId}"]` }],
    });
    expect(removed.status).toBe(200);
    // Disabling 1 of the 2 accounts is over the deletion threshold (10%): the run holds until an admin approves.
    const pending = await eventually(
      'a held run',
      async () => (await admin.get<{ items: Json[] }>('/approvals?status=pending')).body.items,
      (items) => items.length === 1,
    );
    expect(pending[0]!.summary).toMatchObject({
      sample: [expect.objectContaining({ label: 'Bob', action: 'disable' })],
    });
    expect(wecom.members.get(useridFor(bobId))?.enabled).toBe(true);
    expect((await admin.post(`/approvals/${String(pending[0]!.id)}/approve`, {})).status).toBe(202);
    await eventually(
      'Bob disabled in WeCom',
      () => wecom.members.get(useridFor(bobId)),
      (m) => m?.enabled === false,
    );
  }, 240_000);
});
