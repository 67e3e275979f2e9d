import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { GatewayDeps } from '../../deps.js';
import { authenticate } from '../auth/authenticate.js';
import { problemFromDatabaseError } from './database-errors.js';
import type { ApiRoute } from './route.js';
import { parseRequestPart } from './validate.js';

export interface RouterOptions {
  /**
   * Check every response against its documented schema and fail loudly on a mismatch. On under tests, so the
   * OpenAPI document is proven truthful; off in production, where a drift is logged instead of failing a request.
   */
  checkResponses: boolean;
}

/** `/connections/{id}` → `/connections/:id`. */
export function expressPath(path: string): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

/** Mounts every route: authenticate, check the role, parse params / query / body, run, check the response. */
export function buildApiRouter(
  deps: GatewayDeps,
  routes: readonly ApiRoute[],
  options: RouterOptions,
): Router {
  const router = Router();
  router.use(express.json({ limit: '2mb', type: ['application/json', 'application/*+json'] }));
  for (const route of routes) {
    router[route.method](expressPath(route.path), (req: Request, res: Response, next: NextFunction) => {
      handle(deps, route, req, res, options).catch((error: unknown) =>
        next(problemFromDatabaseError(error) ?? error),
      );
    });
  }
  return router;
}

async function handle(
  deps: GatewayDeps,
  route: ApiRoute,
  req: Request,
  res: Response,
  options: RouterOptions,
): Promise<void> {
  // No role check here: each handler checks its permission on the object's tenant, so an object outside the
  // caller's tenants is a 404 on every endpoint, even where their role could not have changed it anyway.
  const principal = await authenticate(req, deps.dataSource.manager);
  const params = route.params ? parseRequestPart(route.params, req.params, 'params') : {};
  const query = route.query ? parseRequestPart(route.query, { ...req.query }, 'query') : {};
  const body = route.body ? parseRequestPart(route.body, req.body ?? {}, 'body') : undefined;
  const result = await route.handle({ req, res, deps, principal, params, query, body, ip: req.ip ?? null });
  if (result.streamed) return;
  const spec = route.responses[result.status];
  if (spec?.schema && result.body !== undefined) {
    const checked = spec.schema.safeParse(result.body);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const where = `${route.operationId} ${result.status} at ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`;
      if (options.checkResponses) throw new Error(`response does not match its OpenAPI schema: ${where}`);
      deps.log.warn({ operation: route.operationId }, `response drifted from its schema: ${where}`);
    }
  } else if (options.checkResponses && !spec) {
    throw new Error(`${route.operationId} answered ${result.status}, which its OpenAPI entry does not list`);
  }
  for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
  if (result.body === undefined) {
    res.status(result.status).end();
    return;
  }
  res.status(result.status).json(result.body);
}
