import type { ApiRoute } from './http/route.js';
import { domainRoutes } from './resources/domains.js';
import { tenantRoutes } from './resources/tenants.js';

/** Every admin API operation, in the order the OpenAPI document lists them. */
export function allRoutes(): ApiRoute[] {
  return [...tenantRoutes, ...domainRoutes];
}
