import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { GatewayDeps } from '../../deps.js';
import type { Permission } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface ResponseSpec {
  description: string;
  /** JSON body schema; omitted for 204 and for non-JSON bodies. */
  schema?: z.ZodType;
  /** For non-JSON bodies (CSV export). */
  contentType?: string;
  /** Responses that carry an ETag header. */
  etag?: boolean;
}

export interface RouteContext<P, Q, B> {
  req: Request;
  res: Response;
  deps: GatewayDeps;
  principal: Principal;
  params: P;
  query: Q;
  body: B;
  /** The client's address, for the audit log. */
  ip: string | null;
}

export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Set when the handler already wrote the response itself (streamed CSV). */
  streamed?: boolean;
}

/**
 * One admin API operation: the zod schemas here validate the request and the response, and the same schemas
 * become the OpenAPI document (openapi.ts), so the two cannot drift apart.
 */
export interface ApiRoute<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** OpenAPI path template, `/connections/{id}/check`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** The permission the caller must hold on the object's tenant (checked again per object by the handler). */
  permission: Permission;
  params?: P;
  query?: Q;
  body?: B;
  /** Documents the If-Match header (optimistic concurrency). */
  ifMatch?: boolean;
  responses: Record<number, ResponseSpec>;
  handle(ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<RouteResult>;
}

/** Keeps the generic parameters of one route tied together (a plain object literal would widen them). */
export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
  route: ApiRoute<P, Q, B>,
): ApiRoute {
  return route as unknown as ApiRoute;
}
