import { Router } from 'express';
import type { GatewayDeps } from '../deps.js';
import { buildOpenApiDocument } from './http/openapi.js';
import { buildApiRouter } from './http/router.js';
import { allRoutes } from './routes.js';

export const API_BASE = '/api/v1';

/** `/api/v1`: the admin API, and its OpenAPI document at `/api/v1/openapi.json` (public, no secrets in it). */
export function adminApi(deps: GatewayDeps, options: { checkResponses?: boolean } = {}): Router {
  const routes = allRoutes();
  const document = buildOpenApiDocument(routes, `${deps.publicUrl}${API_BASE}`);
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.use(
    buildApiRouter(deps, routes, {
      checkResponses: options.checkResponses ?? process.env.NODE_ENV === 'test',
    }),
  );
  return router;
}
