import { createLogger } from '../../core/logger.js';
import type { AnyConnectorInstance, TargetAccount } from '../kit/contract.js';
import { readAll } from '../kit/conformance/read-all.js';
import { ConnectorError } from '../kit/errors.js';
import { scimAccountInput, type ScimConfigInput } from './conformance-harness.js';
import { scimConfigSchema } from './config.js';
import { scimConnector } from './index.js';
import { ScimSimulator, type ProviderFeatures, type SimulatorCredentials } from './simulator.js';
import { ENTERPRISE_USER_SCHEMA } from './urns.js';

/**
 * The connector's own behaviour beyond the conformance suite, each against a simulator configured as one kind
 * of real server: silent page caps, PUT-only servers, 204 PATCH answers, no ETags, concurrent edits (412),
 * OAuth tokens that expire, tokens without rights, accounts that predate Junction.
 */
const TOKEN = 'test-token';
const log = createLogger({ level: process.env.LOG_LEVEL ?? 'silent', name: 'scim-test' });
const running: ScimSimulator[] = [];
let connections = 0;

async function simulator(
  options: { features?: Partial<ProviderFeatures>; credentials?: SimulatorCredentials; people?: number } = {},
): Promise<{ sim: ScimSimulator; baseUrl: string }> {
  const sim = new ScimSimulator({
    credentials: options.credentials ?? { bearerTokens: [TOKEN] },
    ...(options.features ? { features: options.features } : {}),
    faults: { retryAfterSeconds: 1 },
  });
  if (options.people) sim.seed({ people: options.people, seed: 5 });
  running.push(sim);
  const baseUrl = await sim.listen();
  sim.server.recorder.enabled = true;
  return { sim, baseUrl };
}

function open(config: ScimConfigInput): AnyConnectorInstance {
  connections += 1;
  return scimConnector.create({
    connectionId: `scim-test-${connections}`,
    config: scimConfigSchema.parse({ requestsPerSecond: 1000, ...config }),
    log,
  }) as AnyConnectorInstance;
}

function need<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('capability missing');
  return value;
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

const requests = (sim: ScimSimulator, method?: string) =>
  sim.server.recorder.exchanges.filter((exchange) => method === undefined || exchange.method === method);

afterAll(async () => {
  await Promise.all(running.map((sim) => sim.close()));
});

describe('reading accounts', () => {
  it('pages by what the server sends when it caps pages without saying so', async () => {
    const { sim, baseUrl } = await simulator({
      people: 230,
      features: { maxResults: 50, announceMaxResults: false },
    });
    const instance = open({ baseUrl, token: TOKEN });
    const result = await readAll<TargetAccount>(need(instance.listAccounts).bind(instance), {
      pageSize: 120,
    });
    expect(result.pages).toBe(5);
    expect(new Set(result.items.map((account) => account.externalId)).size).toBe(230);
    expect(
      requests(sim, 'GET')
        .filter((e) => e.path.endsWith('/Users'))
        .map((e) => e.query.count),
    ).toEqual(Array(5).fill('120'));
  });

  it('survives a 429 and a burst of 5xx in the middle of a read, and resumes from a cursor elsewhere', async () => {
    const { sim, baseUrl } = await simulator({ people: 300 });
    const list = (instance: AnyConnectorInstance) => need(instance.listAccounts).bind(instance);
    const first = await readAll<TargetAccount>(
      list(open({ baseUrl, token: TOKEN })),
      { pageSize: 50 },
      { maxPages: 2 },
    );
    sim.faults.set({ next429: 1, burst5xx: 2 });
    const rest = await readAll<TargetAccount>(list(open({ baseUrl, token: TOKEN })), {
      pageSize: 50,
      cursor: first.nextCursor,
    });
    expect(sim.faults.stats).toMatchObject({ injected429: 1, injected5xx: 2 });
    const ids = [...first.items, ...rest.items].map((account) => account.externalId);
    expect(new Set(ids).size).toBe(300);
    expect(ids).toHaveLength(300);
  });

  it('maps a user with the enterprise extension and manager reference', async () => {
    const { baseUrl } = await simulator({ people: 20 });
    const page = await need(open({ baseUrl, token: TOKEN }).listAccounts)({ cursor: null, pageSize: 20 });
    const managed = page.items.find((account) => typeof account.attributes.manager === 'string');
    expect(managed?.attributes).toMatchObject({
      employeeNumber: expect.stringMatching(/^E\d+$/),
      department: expect.any(String),
      manager: expect.any(String),
      'name.givenName': expect.any(String),
    });
    expect(page.items.map((account) => account.externalId)).toContain(managed?.attributes.manager);
  });

  it('refuses a cursor it did not make', async () => {
    const { baseUrl } = await simulator();
    const error = await failure(need(open({ baseUrl, token: TOKEN }).listAccounts)({ cursor: 'abc' }));
    expect(error.connectorCode).toBe('invalid_config');
  });
});

describe('check()', () => {
  it('reports what it verified', async () => {
    const { baseUrl } = await simulator({ people: 12 });
    const report = await open({ baseUrl, token: TOKEN }).check();
    expect(report.message).toMatch(
      /may list users \(12 users\); PATCH, ETags, up to 200 results a page, enterprise extension/,
    );
    expect(report.details).toMatchObject({ users: 12, patch: true, etag: true, enterpriseExtension: true });
  });

  it('names what to fix: a wrong token, a token without the right, a wrong base URL, an unreachable server', async () => {
    const { baseUrl } = await simulator({
      credentials: {
        bearerTokens: [TOKEN],
        readOnlyBearerTokens: ['read'],
        discoveryOnlyBearerTokens: ['discovery'],
      },
    });
    const wrong = await failure(open({ baseUrl, token: 'wrong' }).check());
    expect(wrong).toMatchObject({ connectorCode: 'auth_failed', retryable: false, httpStatus: 401 });
    expect(wrong.publicMessage).toMatch(/check the token/);

    const discovery = await failure(open({ baseUrl, token: 'discovery' }).check());
    expect(discovery).toMatchObject({ connectorCode: 'permission_denied', retryable: false });
    expect(discovery.publicMessage).toMatch(/^listing \/Users at .* failed: .*provisioning/);

    const origin = baseUrl.replace(/\/scim\/v2$/, '');
    const notBase = await failure(open({ baseUrl: origin, token: TOKEN }).check());
    expect(notBase).toMatchObject({ connectorCode: 'not_found', retryable: false });
    expect(notBase.publicMessage).toMatch(/check baseUrl/);

    // A read-only token passes check() (it may list users); its writes are refused as permission_denied.
    await open({ baseUrl, token: 'read' }).check();
    const write = await failure(need(open({ baseUrl, token: 'read' }).createAccount)(scimAccountInput(1)));
    expect(write).toMatchObject({ connectorCode: 'permission_denied', retryable: false, httpStatus: 403 });
    expect(write.publicMessage).toMatch(/^creating user conformance\.1@example\.com: /);
  });

  it('gives up on an unreachable server as unavailable and retryable', async () => {
    const { sim, baseUrl } = await simulator();
    await sim.close();
    const error = await failure(open({ baseUrl, token: TOKEN, timeoutMs: 2000 }).check());
    expect(error).toMatchObject({ connectorCode: 'unavailable', retryable: true });
  }, 60_000);

  it('authenticates with OAuth client credentials, and fetches a new token once when one expires', async () => {
    const { sim, baseUrl } = await simulator({
      people: 30,
      credentials: { oauthClients: [{ clientId: 'junction', clientSecret: 'secret' }] },
    });
    const tokenUrl = `${baseUrl.replace(/\/scim\/v2$/, '')}/oauth/token`;
    const instance = open({
      baseUrl,
      authType: 'oauth2',
      tokenUrl,
      clientId: 'junction',
      clientSecret: 'secret',
    });
    await instance.check();
    sim.tokens.expireAll();
    const result = await readAll<TargetAccount>(need(instance.listAccounts).bind(instance), { pageSize: 10 });
    expect(result.items).toHaveLength(30);
    const bad = await failure(
      open({ baseUrl, authType: 'oauth2', tokenUrl, clientId: 'junction', clientSecret: 'nope' }).check(),
    );
    expect(bad).toMatchObject({ connectorCode: 'auth_failed', retryable: false });
  });

  it('authenticates with HTTP Basic', async () => {
    const { baseUrl } = await simulator({ credentials: { basic: { username: 'svc', password: 'pw' } } });
    await open({ baseUrl, authType: 'basic', username: 'svc', password: 'pw' }).check();
    const bad = await failure(open({ baseUrl, authType: 'basic', username: 'svc', password: 'no' }).check());
    expect(bad.connectorCode).toBe('auth_failed');
  });

  it('names the missing secret of each auth type in the config error', () => {
    const parsed = scimConfigSchema.safeParse({
      baseUrl: 'https://scim.example.com/v2',
      authType: 'oauth2',
      clientId: 'x',
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['tokenUrl', 'clientSecret']);
    expect(scimConfigSchema.safeParse({ baseUrl: 'ftp://scim.example.com', token: 't' }).success).toBe(false);
  });
});

describe('writing accounts', () => {
  it('creates an account once: a second create, or one after a lost answer, returns the same account', async () => {
    const { sim, baseUrl } = await simulator();
    const instance = open({ baseUrl, token: TOKEN });
    const input = scimAccountInput(1);
    const first = await need(instance.createAccount)(input);
    const second = await need(instance.createAccount)(input);
    expect(second.externalId).toBe(first.externalId);
    // Found by externalId first: the second create sent no POST.
    expect(requests(sim, 'POST')).toHaveLength(1);
    expect(sim.store.count('User')).toBe(1);
  });

  it('adopts an account that predates Junction only when it is linked to nobody else', async () => {
    const { sim, baseUrl } = await simulator();
    const instance = open({ baseUrl, token: TOKEN });
    const unlinked = sim.store.create('User', { userName: 'conformance.2@example.com', displayName: 'Old' });
    expect((await need(instance.createAccount)(scimAccountInput(2))).externalId).toBe(unlinked.id);
    sim.store.create('User', { userName: 'conformance.3@example.com', externalId: 'someone-else' });
    const taken = await failure(need(instance.createAccount)(scimAccountInput(3)));
    expect(taken).toMatchObject({ connectorCode: 'conflict', retryable: false, vendorCode: 'uniqueness' });
    expect(taken.publicMessage).toMatch(/another externalId/);
    expect(sim.store.count('User')).toBe(2);
  });

  it('a first attempt POSTs without a lookup, and a conflict still adopts or refuses as without it', async () => {
    const { sim, baseUrl } = await simulator();
    const instance = open({ baseUrl, token: TOKEN });
    const create = need(instance.createAccount);
    const created = await create(scimAccountInput(5), { firstAttempt: true });
    expect(requests(sim).map((exchange) => exchange.method)).toEqual(['POST']);
    expect(sim.store.get('User', created.externalId)?.attributes.externalId).toBe(
      scimAccountInput(5).correlationId,
    );
    // A resend (its first answer lost) meets 409 uniqueness and finds the same account.
    expect((await create(scimAccountInput(5), { firstAttempt: true })).externalId).toBe(created.externalId);
    const unlinked = sim.store.create('User', { userName: 'conformance.6@example.com', displayName: 'Old' });
    expect((await create(scimAccountInput(6), { firstAttempt: true })).externalId).toBe(unlinked.id);
    sim.store.create('User', { userName: 'conformance.7@example.com', externalId: 'someone-else' });
    const taken = await failure(create(scimAccountInput(7), { firstAttempt: true }));
    expect(taken).toMatchObject({ connectorCode: 'conflict', vendorCode: 'uniqueness' });
    expect(sim.store.count('User')).toBe(3);
  });

  it('refuses a bad mapping before sending anything, and reports the server refusing a value', async () => {
    const { sim, baseUrl } = await simulator();
    const instance = open({ baseUrl, token: TOKEN });
    const input = scimAccountInput(4);
    const bad = await failure(need(instance.createAccount)({ ...input, attributes: { shoeSize: '44' } }));
    expect(bad.connectorCode).toBe('invalid_config');
    expect(requests(sim, 'POST')).toHaveLength(0);
    // The simulator knows only the enterprise extension: another one is a 400 invalidValue.
    const refused = await failure(
      need(instance.createAccount)({
        ...input,
        attributes: { 'urn:example:scim:ext:1.0:User:badge': 'B-1' },
      }),
    );
    expect(refused).toMatchObject({
      connectorCode: 'vendor_error',
      vendorCode: 'invalidValue',
      retryable: false,
    });
    expect(refused.vendorMessage).toMatch(/urn:example:scim:ext:1\.0:User/);
    expect(sim.store.count('User')).toBe(0);
  });

  it('updates with PATCH and If-Match, keeping what others set, and re-reads after a concurrent change (412)', async () => {
    const { sim, baseUrl } = await simulator();
    const instance = open({ baseUrl, token: TOKEN });
    const input = scimAccountInput(5);
    const created = await need(instance.createAccount)(input);
    // Someone else sets a nickname and a home e-mail in the target.
    const stored = sim.store.mustGet('User', created.externalId);
    sim.store.replace('User', created.externalId, {
      ...stored.attributes,
      nickName: 'Five',
      emails: [...(stored.attributes.emails as object[]), { value: 'five@home.example', type: 'home' }],
    });
    // …and changes the title again between our read and our write, once.
    const mustGet = sim.store.mustGet.bind(sim.store);
    let reads = 0;
    sim.store.mustGet = (kind, id) => {
      reads += 1;
      if (reads === 2) {
        const current = mustGet(kind, id);
        sim.store.replace(kind, id, { ...current.attributes, userType: 'Contractor' });
      }
      return mustGet(kind, id);
    };
    sim.server.recorder.clear();
    const updated = await need(instance.updateAccount)(created.externalId, {
      ...input,
      email: 'five@new.example',
      attributes: { ...input.attributes, title: 'Lead', costCenter: null },
    });
    sim.store.mustGet = mustGet;
    const patches = requests(sim, 'PATCH');
    expect(patches.map((exchange) => exchange.status)).toEqual([412, 200]);
    expect(patches.every((exchange) => /^W\/"\d+"$/.test(String(exchange.requestHeaders['if-match'])))).toBe(
      true,
    );
    expect(updated.attributes).toMatchObject({ title: 'Lead', nickName: 'Five', userType: 'Contractor' });
    expect(updated.attributes.costCenter).toBeUndefined();
    expect(updated.email).toBe('five@new.example');
    expect(updated.attributes['emails[type eq "home"].value']).toBe('five@home.example');
  });

  it('sends nothing when nothing changed, disables with active false, deletes idempotently', async () => {
    const { sim, baseUrl } = await simulator();
    const instance = open({ baseUrl, token: TOKEN });
    const input = scimAccountInput(6);
    const created = await need(instance.createAccount)(input);
    sim.server.recorder.clear();
    await need(instance.updateAccount)(created.externalId, input);
    await need(instance.disableAccount)(created.externalId);
    await need(instance.disableAccount)(created.externalId);
    expect(requests(sim, 'PATCH').map((exchange) => exchange.requestBody)).toEqual([
      expect.objectContaining({ Operations: [{ op: 'replace', path: 'active', value: false }] }),
    ]);
    expect(sim.store.mustGet('User', created.externalId).attributes.active).toBe(false);
    await need(instance.deleteAccount)(created.externalId);
    await need(instance.deleteAccount)(created.externalId);
    const gone = await failure(need(instance.updateAccount)(created.externalId, input));
    expect(gone).toMatchObject({ connectorCode: 'not_found', retryable: false });
  });

  it('uses PUT with the whole user where PATCH is off, and falls back to PUT when an announced PATCH is refused', async () => {
    const { sim, baseUrl } = await simulator();
    const putOnly = open({ baseUrl, token: TOKEN, patchSupported: false });
    const input = scimAccountInput(7);
    const created = await need(putOnly.createAccount)(input);
    const stored = sim.store.mustGet('User', created.externalId);
    sim.store.replace('User', created.externalId, { ...stored.attributes, nickName: 'Seven' });
    sim.server.recorder.clear();
    await need(putOnly.updateAccount)(created.externalId, {
      ...input,
      attributes: { ...input.attributes, title: 'Put' },
    });
    await need(putOnly.disableAccount)(created.externalId);
    expect(requests(sim).map((exchange) => exchange.method)).toEqual(['GET', 'GET', 'PUT', 'GET', 'PUT']);
    const after = sim.store.mustGet('User', created.externalId).attributes;
    expect(after).toMatchObject({ title: 'Put', nickName: 'Seven', active: false });
    expect(after[ENTERPRISE_USER_SCHEMA]).toMatchObject({ department: 'Quality' });

    const auto = open({ baseUrl, token: TOKEN });
    await auto.check();
    sim.features = { ...sim.features, patch: false };
    sim.server.recorder.clear();
    await need(auto.updateAccount)(created.externalId, {
      ...input,
      attributes: { ...input.attributes, title: 'One' },
    });
    await need(auto.updateAccount)(created.externalId, {
      ...input,
      attributes: { ...input.attributes, title: 'Two' },
    });
    expect(
      requests(sim)
        .filter((e) => e.method !== 'GET')
        .map((e) => `${e.method} ${e.status}`),
    ).toEqual(['PATCH 501', 'PUT 200', 'PUT 200']);
    expect(sim.store.mustGet('User', created.externalId).attributes.title).toBe('Two');
  });

  it('re-reads after a PATCH answered with 204, and sends no If-Match to a server without ETags', async () => {
    const { sim, baseUrl } = await simulator({ features: { patchNoContent: true, etag: false } });
    const instance = open({ baseUrl, token: TOKEN });
    const input = scimAccountInput(8);
    const created = await need(instance.createAccount)(input);
    const updated = await need(instance.updateAccount)(created.externalId, {
      ...input,
      attributes: { ...input.attributes, title: 'After 204' },
    });
    expect(updated.attributes.title).toBe('After 204');
    const patch = requests(sim, 'PATCH')[0];
    expect(patch?.status).toBe(204);
    expect(patch?.requestHeaders['if-match']).toBeUndefined();
  });

  it('matches by userName alone where the server cannot filter on externalId', async () => {
    const { sim, baseUrl } = await simulator({ features: { unfilterable: ['externalId'] } });
    const instance = open({ baseUrl, token: TOKEN });
    const input = scimAccountInput(9);
    const first = await need(instance.createAccount)(input);
    expect((await need(instance.createAccount)(input)).externalId).toBe(first.externalId);
    expect((await need(instance.findAccount)(input))?.externalId).toBe(first.externalId);
    expect(sim.store.count('User')).toBe(1);
    // Asked once, refused with invalidFilter, then never again on this instance.
    const byExternalId = requests(sim, 'GET').filter((e) => String(e.query.filter).startsWith('externalId'));
    expect(byExternalId.map((e) => e.status)).toEqual([400]);
  });

  it('writes the e-mail as userName and no externalId when configured so', async () => {
    const { sim, baseUrl } = await simulator();
    const instance = open({ baseUrl, token: TOKEN, userNameAttribute: 'email', matchByExternalId: false });
    const input = { ...scimAccountInput(10), userName: 'ignored' };
    const created = await need(instance.createAccount)(input);
    expect(created.userName).toBe('conformance.10@example.com');
    expect(sim.store.mustGet('User', created.externalId).attributes.externalId).toBeUndefined();
    expect((await need(instance.findAccount)(input))?.externalId).toBe(created.externalId);
  });
});

describe('group membership', () => {
  it('creates a big group in chunks, then applies only the differences', async () => {
    const { sim, baseUrl } = await simulator({ people: 1000 });
    const instance = open({ baseUrl, token: TOKEN, groupMemberChunkSize: 100 });
    const ids = [...sim.store.ids('User')];
    const set = need(instance.setGroupMembers).bind(instance);
    const { groupExternalId } = await set('All staff', ids);
    expect(requests(sim, 'POST')).toHaveLength(1);
    expect(requests(sim, 'PATCH')).toHaveLength(9);
    const members = () =>
      new Set(
        ((sim.store.mustGet('Group', groupExternalId).attributes.members ?? []) as { value: string }[]).map(
          (member) => member.value,
        ),
      );
    expect(members().size).toBe(1000);

    sim.server.recorder.clear();
    const next = [...ids.slice(500, 900), ...ids.slice(0, 50)];
    expect((await set('all staff', next)).groupExternalId).toBe(groupExternalId);
    const patches = requests(sim, 'PATCH');
    // 550 to remove in chunks of 100 (6 requests), nothing to add.
    expect(patches).toHaveLength(6);
    expect(
      String((patches[0]?.requestBody as { Operations: { path: string }[] }).Operations[0]?.path),
    ).toMatch(/^members\[value eq ".+" or value eq ".+"/);
    expect([...members()].sort()).toEqual([...next].sort());

    sim.server.recorder.clear();
    await set('All staff', next);
    expect(requests(sim).map((exchange) => exchange.method)).toEqual(['GET', 'GET']);
  });

  it('replaces the member list with PUT where PATCH is off, and lists groups with their members', async () => {
    const { sim, baseUrl } = await simulator({ people: 30, features: { patch: false } });
    const instance = open({ baseUrl, token: TOKEN });
    const ids = [...sim.store.ids('User')];
    const { groupExternalId } = await need(instance.setGroupMembers)('PUT group', ids.slice(0, 20));
    await need(instance.setGroupMembers)('PUT group', ids.slice(10, 30));
    expect(requests(sim, 'PUT')).toHaveLength(1);
    const groups = await need(instance.listGroups)({ cursor: null });
    const group = groups.items.find((candidate) => candidate.externalId === groupExternalId);
    expect(group?.memberExternalIds?.sort()).toEqual(ids.slice(10, 30).sort());
  });

  it('refuses to pick between groups of the same name', async () => {
    const { sim, baseUrl } = await simulator();
    sim.store.create('Group', { displayName: 'Twins' });
    sim.store.create('Group', { displayName: 'twins' });
    const error = await failure(need(open({ baseUrl, token: TOKEN }).setGroupMembers)('Twins', []));
    expect(error).toMatchObject({ connectorCode: 'conflict', retryable: false });
    expect(error.publicMessage).toMatch(/2 SCIM groups are named "Twins"/);
  });
});
