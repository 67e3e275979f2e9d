import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ApiToken, Tenant } from '../../core/entities/index.js';
import type { AdminRole } from '../../core/entities/admin-grant.js';
import { createLogger } from '../../core/logger.js';
import { Vault } from '../../core/vault/vault.js';
import { mintToken } from '../../gateway/api/auth/token-secret.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { connectTestTemporal, type TestTemporal } from '../harness/temporal.js';

/** What the admin API tests share: a real database, a real Temporal client and a gateway on a free port. */
export interface ApiTestContext {
  db: TestDatabase;
  temporal: TestTemporal;
  vault: Vault;
  gateway: RunningGateway;
  close(): Promise<void>;
}

export async function startApiTestGateway(): Promise<ApiTestContext> {
  const db = await createTestDatabase();
  const temporal = await connectTestTemporal();
  const vault = new Vault(randomBytes(32));
  const gateway = await startGateway(
    {
      dataSource: db.dataSource,
      temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue: temporal.taskQueue },
      log: createLogger({ level: process.env.LOG_LEVEL ?? 'silent' }),
      publicUrl: 'http://127.0.0.1',
      vault,
    },
    0,
    '127.0.0.1',
  );
  return {
    db,
    temporal,
    vault,
    gateway,
    close: async () => {
      await gateway.close();
      await temporal.close();
      await db.drop();
    },
  };
}

export interface TenantFamily {
  group: Tenant;
  subA: Tenant;
  subB: Tenant;
}

/** A group company with two subsidiaries, created directly (root tenants are never created through the API). */
export async function seedTenantFamily(ds: DataSource, prefix = 'acme'): Promise<TenantFamily> {
  const repo = ds.getRepository(Tenant);
  const group = await repo.save(
    repo.create({ slug: prefix, name: `${prefix} Group`, parentId: null, settings: {} }),
  );
  const subA = await repo.save(
    repo.create({ slug: `${prefix}-a`, name: `${prefix} A`, parentId: group.id, settings: {} }),
  );
  const subB = await repo.save(
    repo.create({ slug: `${prefix}-b`, name: `${prefix} B`, parentId: group.id, settings: {} }),
  );
  return { group, subA, subB };
}

export async function createAdminToken(
  ds: DataSource,
  tenantId: string,
  role: AdminRole,
  scopes: string[] = [],
): Promise<string> {
  const minted = mintToken('admin');
  const repo = ds.getRepository(ApiToken);
  await repo.save(
    repo.create({
      tenantId,
      name: `${role}-${minted.prefix}`,
      tokenHash: minted.hash,
      prefix: minted.prefix,
      kind: 'admin',
      role,
      scopes,
      connectionId: null,
      createdBy: 'test',
      expiresAt: null,
    }),
  );
  return minted.token;
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export type Json = Record<string, unknown>;

/** A tiny client for the admin API with one token. */
export function apiClient(baseUrl: string, token: string | undefined) {
  const call = async <T = Json>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> => {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // CSV and other text bodies stay strings.
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  };
  return {
    get: <T = Json>(path: string, headers?: Record<string, string>) =>
      call<T>('GET', path, undefined, headers),
    post: <T = Json>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('POST', path, body ?? {}, headers),
    patch: <T = Json>(path: string, body: unknown, headers?: Record<string, string>) =>
      call<T>('PATCH', path, body, headers),
    put: <T = Json>(path: string, body: unknown, headers?: Record<string, string>) =>
      call<T>('PUT', path, body, headers),
    delete: <T = Json>(path: string, headers?: Record<string, string>) =>
      call<T>('DELETE', path, undefined, headers),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

export type ScimCall = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
  token?: string,
) => Promise<ApiResponse>;

/**
 * A SCIM 2.0 client of the gateway's inbound SCIM server, as Okta or Entra would call it. The bearer is read per
 * call (tests mint the tenant's SCIM token after the client is made), and one call may use another token.
 */
export function scimClient(baseUrl: string, bearer: () => string): ScimCall {
  return async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    token: string = bearer(),
  ): Promise<ApiResponse> => {
    const response = await fetch(`${baseUrl}/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : {}) as Json,
      headers: response.headers,
    };
  };
}
