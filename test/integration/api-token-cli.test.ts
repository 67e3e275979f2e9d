import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import { apiTokenCreateCommand } from '../../bin/commands/api-token.js';
import { createLogger } from '../../core/logger.js';
import { Vault } from '../../core/vault/vault.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { connectTestTemporal, type TestTemporal } from '../harness/temporal.js';
import { apiClient } from './api-harness.js';

/** `junction api-token create`, run in-process against a fresh database: the first token of an installation. */
describe('junction api-token create', () => {
  let db: TestDatabase;
  let temporal: TestTemporal;
  let gateway: RunningGateway;
  const saved = process.env.DATABASE_URL;

  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await connectTestTemporal();
    gateway = await startGateway(
      {
        dataSource: db.dataSource,
        temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue: temporal.taskQueue },
        log: createLogger({ level: 'silent' }),
        publicUrl: 'http://127.0.0.1',
        vault: new Vault(randomBytes(32)),
      },
      0,
      '127.0.0.1',
    );
    process.env.DATABASE_URL = db.url;
  });

  afterAll(async () => {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
    await gateway.close();
    await temporal.close();
    await db.drop();
  });

  const run = async (options: Parameters<typeof apiTokenCreateCommand>[0]): Promise<string> => {
    const chunks: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
    try {
      expect(await apiTokenCreateCommand(options)).toBe(0);
    } finally {
      spy.mockRestore();
    }
    return chunks.join('').split('\n')[0] ?? '';
  };

  it('creates the group tenant and a group-admin token that works against the API', async () => {
    await expect(
      apiTokenCreateCommand({ tenant: 'acme', role: 'group_admin', name: 'bootstrap' }),
    ).rejects.toThrow(/create-tenant/);
    const token = await run({
      tenant: 'acme',
      role: 'group_admin',
      name: 'bootstrap',
      createTenant: 'Acme Group',
    });
    expect(token).toMatch(/^jat_/);
    const api = apiClient(gateway.url, token);
    const tenants = await api.get<{ items: { slug: string }[] }>('/tenants');
    expect(tenants.body.items.map((t) => t.slug)).toEqual(['acme']);
    const child = await api.post('/tenants', {
      parentId: (tenants.body.items[0] as { id?: string }).id,
      slug: 'acme-cn',
      name: 'Acme China',
    });
    expect(child.status).toBe(201);
    const audit = await api.get<{ items: { action: string; actor: { label: string } }[] }>(
      '/audit-events?sort=createdAt',
    );
    expect(audit.body.items.map((e) => e.action)).toEqual([
      'tenant.create',
      'api_token.create',
      'tenant.create',
    ]);
    expect(audit.body.items[0]!.actor.label).toMatch(/^cli:/);
  });

  it('refuses an unknown role', async () => {
    await expect(apiTokenCreateCommand({ tenant: 'acme', role: 'root', name: 'x' })).rejects.toThrow(
      /--role/,
    );
  });
});
