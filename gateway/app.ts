import express, { type Express } from 'express';
import { adminApi, API_BASE } from './api/index.js';
import { consoleRoutes } from './console/index.js';
import type { GatewayDeps } from './deps.js';
import { SCIM_BASE, scimServer } from './scim/index.js';
import { createMetrics, type Metrics } from './metrics.js';
import { errorHandler, notFound } from './middleware/errors.js';
import { requestMetrics } from './middleware/request-metrics.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { webhookRoutes } from './routes/webhooks.js';
import { ssoRoutes } from './sso/sso-routes.js';

/** The gateway's HTTP app: routes are mounted here in one visible list. */
export function createApp(deps: GatewayDeps, metrics: Metrics = createMetrics()): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestMetrics(metrics));
  app.use(healthRoutes(deps));
  app.use(metricsRoutes(metrics));
  // Vendor webhooks (POST /hooks/:connectionId): raw body, signature checked per vendor.
  app.use(webhookRoutes(deps));
  app.use(API_BASE, adminApi(deps));
  app.use(SCIM_BASE, scimServer(deps));
  // Sign-in: OpenID Provider (/oidc), SAML IdP (/saml), login UI, launcher and logout (/sso).
  app.use(ssoRoutes(deps).router);
  // The admin console (/console): sign-in through Junction's own SSO, then the admin API.
  app.use(consoleRoutes(deps));
  app.use(notFound);
  app.use(errorHandler(deps.log));
  return app;
}
