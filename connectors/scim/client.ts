import { z } from 'zod';
import type { Logger } from '../../core/logger.js';
import type { RateLimit } from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import { basicAuth, bearerToken, oauth2ClientCredentials, type AuthStrategy } from '../kit/http/auth.js';
import { HttpClient, type HttpResponse, type QueryValue } from '../kit/http/http-client.js';
import type { ScimConfig } from './config.js';
import { classifyScimResponse, isNotFound, scimVendorCode, scimVendorMessage } from './scim-errors.js';
import { PATCH_OP_SCHEMA, SCIM_MEDIA_TYPE } from './urns.js';
import {
  listResponseSchema,
  resourceTypeSchema,
  scimGroupSchema,
  scimUserSchema,
  serviceProviderConfigSchema,
  type ScimGroup,
  type ScimUser,
  type ServiceProviderConfig,
} from './wire-schemas.js';
import type { PatchOperation } from './mapping.js';

export interface ListPage<T> {
  items: T[];
  totalResults: number;
  startIndex: number;
}

/** The features the connector acts on, from /ServiceProviderConfig (RFC 7643 §5) and the connection's config. */
export interface ProviderCapabilities {
  /** null: the server published no ServiceProviderConfig. */
  config: ServiceProviderConfig | null;
  patch: boolean;
  etag: boolean;
  maxResults: number | null;
}

const userList = listResponseSchema(scimUserSchema);
const groupList = listResponseSchema(scimGroupSchema);
const resourceTypeList = listResponseSchema(resourceTypeSchema);
const schemaList = listResponseSchema(z.looseObject({ id: z.string() }));

/**
 * The SCIM 2.0 protocol over the kit's HttpClient (retries, Retry-After, rate limit, token refresh): resource
 * CRUD, queries, PATCH and discovery, each response parsed with zod. Decisions about accounts live in
 * accounts.ts and groups.ts; this file only speaks RFC 7644.
 */
export class ScimClient {
  readonly http: HttpClient;
  private capabilities: Promise<ProviderCapabilities> | undefined;
  /** Set once the server answered PATCH with 501/405 in `patchSupported: 'auto'` mode. */
  patchRefused = false;

  constructor(
    readonly config: ScimConfig,
    options: { connectionId: string; log: Logger; rateLimit: RateLimit; signal?: AbortSignal },
  ) {
    this.http = new HttpClient({
      baseUrl: config.baseUrl,
      connectorId: 'scim',
      connectionId: options.connectionId,
      log: options.log,
      rateLimit: config.requestsPerSecond
        ? {
            requestsPerSecond: config.requestsPerSecond,
            burst: Math.max(1, Math.ceil(config.requestsPerSecond)),
          }
        : options.rateLimit,
      auth: authStrategy(config, options.signal),
      timeoutMs: config.timeoutMs,
      classifyResponse: classifyScimResponse,
      vendorMessage: scimVendorMessage,
      vendorCode: scimVendorCode,
      vendorName: 'the SCIM server',
      // RFC 7644 §8.1: SCIM messages are application/scim+json; plain JSON is accepted by servers that predate it.
      headers: { accept: `${SCIM_MEDIA_TYPE}, application/json;q=0.9` },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  // RFC 7644 §4: GET /ServiceProviderConfig, once per instance; a server without it gets conservative defaults.
  providerCapabilities(): Promise<ProviderCapabilities> {
    this.capabilities ??= this.readCapabilities().catch((error: unknown) => {
      this.capabilities = undefined;
      throw error;
    });
    return this.capabilities;
  }

  private async readCapabilities(): Promise<ProviderCapabilities> {
    let config: ServiceProviderConfig | null = null;
    try {
      config = (await this.http.get('/ServiceProviderConfig', { schema: serviceProviderConfigSchema })).data;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    const patchAnnounced = config?.patch?.supported ?? true;
    return {
      config,
      patch: this.config.patchSupported === 'auto' ? patchAnnounced : this.config.patchSupported,
      etag: this.config.useEtags !== false && (config?.etag?.supported ?? true),
      maxResults: config?.filter?.maxResults ?? null,
    };
  }

  async usePatch(): Promise<boolean> {
    return !this.patchRefused && (await this.providerCapabilities()).patch;
  }

  // RFC 7644 §4: the resource types, when the server publishes them (404 / 501: null).
  async resourceTypes(): Promise<z.infer<typeof resourceTypeSchema>[] | null> {
    try {
      return (await this.http.get('/ResourceTypes', { schema: resourceTypeList })).data.Resources ?? [];
    } catch (error) {
      if (error instanceof ConnectorError && (error.httpStatus === 404 || error.httpStatus === 501))
        return null;
      throw error;
    }
  }

  // RFC 7644 §4: the ids of the schemas the server publishes at /Schemas (404 / 501: null).
  async schemaIds(): Promise<string[] | null> {
    try {
      return ((await this.http.get('/Schemas', { schema: schemaList })).data.Resources ?? []).map(
        (schema) => schema.id,
      );
    } catch (error) {
      if (error instanceof ConnectorError && (error.httpStatus === 404 || error.httpStatus === 501))
        return null;
      throw error;
    }
  }

  // RFC 7644 §3.4.2: a page of users (startIndex is 1-based), optionally filtered (§3.4.2.2).
  async listUsers(query: {
    startIndex: number;
    count: number;
    filter?: string;
  }): Promise<ListPage<ScimUser>> {
    const response = await this.http.get(this.config.usersPath, {
      query: listQuery(query),
      schema: userList,
    });
    return page(response, query.startIndex);
  }

  async listGroups(query: {
    startIndex: number;
    count: number;
    filter?: string;
  }): Promise<ListPage<ScimGroup>> {
    const response = await this.http.get(this.config.groupsPath, {
      query: listQuery(query),
      schema: groupList,
    });
    return page(response, query.startIndex);
  }

  // RFC 7644 §3.4.1.
  async getUser(id: string): Promise<{ user: ScimUser; etag: string | undefined }> {
    const response = await this.http.get(this.userPath(id), { schema: scimUserSchema });
    return { user: response.data, etag: versionOf(response, response.data.meta?.version) };
  }

  async getGroup(id: string): Promise<{ group: ScimGroup; etag: string | undefined }> {
    const response = await this.http.get(this.groupPath(id), { schema: scimGroupSchema });
    return { group: response.data, etag: versionOf(response, response.data.meta?.version) };
  }

  // RFC 7644 §3.3. A resend after a lost response meets 409 uniqueness, which callers resolve by lookup.
  async createUser(body: Record<string, unknown>): Promise<ScimUser> {
    return (
      await this.http.post(this.config.usersPath, { body, headers: scimBody(), schema: scimUserSchema })
    ).data;
  }

  async createGroup(body: Record<string, unknown>): Promise<ScimGroup> {
    // A resend of a group create is not caught by uniqueness on every server (displayName need not be unique).
    return (
      await this.http.post(this.config.groupsPath, {
        body,
        headers: scimBody(),
        schema: scimGroupSchema,
        retry: false,
      })
    ).data;
  }

  // RFC 7644 §3.5.1, with If-Match (§3.14) when a version is known.
  async replaceUser(id: string, body: Record<string, unknown>, etag: string | undefined): Promise<ScimUser> {
    const response = await this.http.put(this.userPath(id), {
      body,
      headers: scimBody(etag),
      schema: scimUserSchema,
    });
    return response.data;
  }

  async replaceGroup(
    id: string,
    body: Record<string, unknown>,
    etag: string | undefined,
  ): Promise<ScimGroup> {
    const response = await this.http.put(this.groupPath(id), {
      body,
      headers: scimBody(etag),
      schema: scimGroupSchema,
    });
    return response.data;
  }

  /**
   * RFC 7644 §3.5.2. The server answers 200 with the resource or 204 without a body; then (and when the body
   * does not parse as a resource) the resource is read again, so callers always get the state after the change.
   */
  async patchUser(id: string, operations: PatchOperation[], etag: string | undefined): Promise<ScimUser> {
    const response = await this.http.patch(this.userPath(id), {
      body: { schemas: [PATCH_OP_SCHEMA], Operations: operations },
      headers: scimBody(etag),
    });
    const parsed = scimUserSchema.safeParse(response.data);
    return parsed.success ? parsed.data : (await this.getUser(id)).user;
  }

  async patchGroup(id: string, operations: PatchOperation[]): Promise<void> {
    await this.http.patch(this.groupPath(id), {
      body: { schemas: [PATCH_OP_SCHEMA], Operations: operations },
      headers: scimBody(undefined),
    });
  }

  // RFC 7644 §3.6.
  async deleteUser(id: string): Promise<void> {
    await this.http.delete(this.userPath(id));
  }

  async deleteGroup(id: string): Promise<void> {
    await this.http.delete(this.groupPath(id));
  }

  private userPath(id: string): string {
    return `${this.config.usersPath}/${encodeURIComponent(id)}`;
  }

  private groupPath(id: string): string {
    return `${this.config.groupsPath}/${encodeURIComponent(id)}`;
  }
}

function authStrategy(config: ScimConfig, signal: AbortSignal | undefined): AuthStrategy {
  switch (config.authType) {
    case 'bearer':
      return bearerToken(config.token ?? '');
    case 'basic':
      return basicAuth(config.username ?? '', config.password ?? '');
    case 'oauth2':
      return oauth2ClientCredentials({
        tokenUrl: config.tokenUrl ?? '',
        clientId: config.clientId ?? '',
        clientSecret: config.clientSecret ?? '',
        ...(config.scope ? { scope: config.scope } : {}),
        timeoutMs: config.timeoutMs,
        ...(signal ? { signal } : {}),
      });
  }
}

function listQuery(query: {
  startIndex: number;
  count: number;
  filter?: string;
}): Record<string, QueryValue> {
  return { startIndex: query.startIndex, count: query.count, filter: query.filter };
}

function page<T>(
  response: HttpResponse<{
    totalResults: number;
    startIndex?: number | undefined;
    Resources?: T[] | undefined;
  }>,
  requested: number,
): ListPage<T> {
  return {
    items: response.data.Resources ?? [],
    totalResults: response.data.totalResults,
    startIndex: response.data.startIndex ?? requested,
  };
}

function scimBody(etag?: string): Record<string, string> {
  return { 'content-type': SCIM_MEDIA_TYPE, ...(etag ? { 'if-match': etag } : {}) };
}

// RFC 7644 §3.14: the version is in the ETag header and in meta.version; either will do.
function versionOf(response: HttpResponse<unknown>, metaVersion: string | undefined): string | undefined {
  return response.headers.etag ?? metaVersion;
}

/** A SCIM filter string literal (RFC 7644 §3.4.2.2: JSON string syntax). */
export function filterString(value: string): string {
  return JSON.stringify(value);
}
