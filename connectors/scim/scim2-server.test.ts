import { createLogger } from '../../core/logger.js';
import { startScim2Server, type Scim2ServerHandle } from '../../test/harness/scim2-server.js';
import type { AnyConnectorInstance } from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import { ScimClient } from './client.js';
import { scimConfigSchema } from './config.js';
import { scimAccountInput, type ScimConfigInput } from './conformance-harness.js';
import { scimConnector } from './index.js';
import { GROUP_SCHEMA, SERVICE_PROVIDER_CONFIG_SCHEMA } from './urns.js';

/**
 * The connector against the real scim2-server (PyPI) beyond the conformance suite: its quirks (PATCH answered
 * with 204, group names that need not be unique), ETag preconditions, multi-member removals in one value-filter
 * PATCH, and a server that announces no PATCH.
 */
const log = createLogger({ level: process.env.LOG_LEVEL ?? 'silent', name: 'scim2-server-test' });
let server: Scim2ServerHandle;
let connections = 0;

function config(extra: Partial<ScimConfigInput> = {}): ScimConfigInput {
  return { baseUrl: server.baseUrl, token: server.token, requestsPerSecond: 1000, ...extra };
}

function open(extra: Partial<ScimConfigInput> = {}, target = config(extra)): AnyConnectorInstance {
  connections += 1;
  return scimConnector.create({
    connectionId: `scim2-server-${connections}`,
    config: scimConfigSchema.parse(target),
    log,
  }) as AnyConnectorInstance;
}

function need<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('capability missing');
  return value;
}

async function scim(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/scim+json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

beforeAll(async () => {
  server = await startScim2Server({ token: 'scim2-server-connector-test' });
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

it('checks the connection and reports what scim2-server announces', async () => {
  const report = await open().check();
  expect(report.message).toMatch(
    /connected to the SCIM server .*; PATCH, ETags, up to 1000 results a page, enterprise extension/,
  );
});

it('updates through PATCH answered with 204 (re-reading the user), and disables', async () => {
  const instance = open();
  const input = scimAccountInput(101);
  const created = await need(instance.createAccount)(input);
  const updated = await need(instance.updateAccount)(created.externalId, {
    ...input,
    attributes: { ...input.attributes, title: 'Via 204', costCenter: null },
  });
  expect(updated.attributes.title).toBe('Via 204');
  expect(updated.attributes.costCenter).toBeUndefined();
  await need(instance.disableAccount)(created.externalId);
  const user = await scim(`/Users/${created.externalId}`);
  expect(user.active).toBe(false);
  expect(user.title).toBe('Via 204');
});

it('answers a stale If-Match with 412, which the client reads as a precondition failure', async () => {
  const created = await need(open().createAccount)(scimAccountInput(102));
  const client = new ScimClient(scimConfigSchema.parse(config()), {
    connectionId: 'scim2-server-raw',
    log,
    rateLimit: { requestsPerSecond: 1000, burst: 100 },
  });
  const { etag } = await client.getUser(created.externalId);
  expect(etag).toMatch(/^W\/"\d+"$/);
  await client.patchUser(created.externalId, [{ op: 'replace', path: 'title', value: 'First' }], etag);
  const stale = await client
    .patchUser(created.externalId, [{ op: 'replace', path: 'title', value: 'Second' }], etag)
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  expect(stale).toBeInstanceOf(ConnectorError);
  expect(stale).toMatchObject({
    connectorCode: 'conflict',
    httpStatus: 412,
    vendorCode: 'preconditionFailed',
  });
});

it('removes several members in one value-filter PATCH and adds the rest', async () => {
  const instance = open();
  const ids: string[] = [];
  for (let n = 110; n < 116; n += 1)
    ids.push((await need(instance.createAccount)(scimAccountInput(n))).externalId);
  const set = need(instance.setGroupMembers).bind(instance);
  const { groupExternalId } = await set('scim2-server group', ids.slice(0, 5));
  await set('scim2-server group', [ids[1] as string, ids[5] as string]);
  const group = await scim(`/Groups/${groupExternalId}`);
  expect((group.members as { value: string }[]).map((member) => member.value).sort()).toEqual(
    [ids[1], ids[5]].sort(),
  );
});

it('refuses to choose between groups scim2-server lets share a displayName', async () => {
  for (let i = 0; i < 2; i += 1) {
    await scim('/Groups', { method: 'POST', body: { schemas: [GROUP_SCHEMA], displayName: 'Same name' } });
  }
  const error = await need(open().setGroupMembers)('Same name', []).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toMatchObject({ connectorCode: 'conflict' });
});

it('uses PUT against a scim2-server that announces no PATCH', async () => {
  const putOnly = await startScim2Server({
    token: 'put-only',
    serviceProviderConfig: {
      schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
      patch: { supported: false },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: 100 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: true },
      authenticationSchemes: [],
    },
  });
  try {
    const instance = open({}, { baseUrl: putOnly.baseUrl, token: 'put-only', requestsPerSecond: 1000 });
    expect((await instance.check()).message).toMatch(/PUT only \(no PATCH\)/);
    const input = scimAccountInput(120);
    const created = await need(instance.createAccount)(input);
    const updated = await need(instance.updateAccount)(created.externalId, {
      ...input,
      attributes: { ...input.attributes, department: 'Via PUT' },
    });
    expect(updated.attributes.department).toBe('Via PUT');
    await need(instance.disableAccount)(created.externalId);
    const other = await need(instance.createAccount)(scimAccountInput(121));
    const { groupExternalId } = await need(instance.setGroupMembers)('PUT group', [
      created.externalId,
      other.externalId,
    ]);
    await need(instance.setGroupMembers)('PUT group', [other.externalId]);
    const groups = await need(instance.listGroups)({ cursor: null });
    expect(groups.items.find((group) => group.externalId === groupExternalId)?.memberExternalIds).toEqual([
      other.externalId,
    ]);
    const found = await need(instance.findAccount)(input);
    expect(found).toMatchObject({ active: false, attributes: { department: 'Via PUT' } });
  } finally {
    await putOnly.stop();
  }
}, 60_000);
