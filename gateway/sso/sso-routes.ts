import { Router, type NextFunction, type Request, type Response } from 'express';
import type { SsoDeps } from '../../sso/deps.js';
import { isSecureDeployment } from '../../sso/deps.js';
import { OIDC_MOUNT_PATH } from '../../sso/provider/oidc/create-oidc-provider.js';
import { SsoRuntime } from '../../sso/sso-runtime.js';
import { securityHeaders } from './http/security-headers.js';
import { providerViews } from './provider-views.js';
import { accountRoutes } from './routes/account.js';
import { interactionRoutes } from './routes/interaction.js';
import { launcherRoutes } from './routes/launcher.js';
import { loginRoutes } from './routes/login.js';
import { afterOidcRequest, logoutRoutes } from './routes/logout.js';
import { RouteContext } from './routes/route-context.js';
import { samlIdpRoutes } from './routes/saml-idp.js';
import { upstreamCallbackRoutes } from './routes/upstream-callbacks.js';

/** Paths the SSO router answers; everything else passes through untouched. */
const SSO_PATHS = /^\/(oidc|sso|saml)(\/|$)/;

export interface SsoRouter {
  router: Router;
  /** Resolves once keys are loaded and oidc-provider is built (the first request waits for it too). */
  ready(): Promise<SsoRuntime>;
}

/**
 * Sign-in for the gateway: Junction's OpenID Provider at /oidc, the SAML IdP at /saml, and the login UI, upstream
 * callbacks, launcher and logout at /sso. The runtime (keys, oidc-provider) is built on first use so `createApp`
 * stays synchronous; a failed start is retried on the next request rather than cached.
 */
export function ssoRoutes(deps: SsoDeps): SsoRouter {
  let starting: Promise<SsoRuntime> | undefined;
  let routes: Router | undefined;
  const ready = (): Promise<SsoRuntime> => {
    starting ??= SsoRuntime.start(deps, {
      views: providerViews,
      afterOidc: afterOidcRequest,
    }).catch((error: unknown) => {
      starting = undefined;
      throw error;
    });
    return starting;
  };

  const router = Router();
  router.use((req: Request, _res: Response, next: NextFunction) =>
    SSO_PATHS.test(req.path) ? next() : next('router'),
  );
  router.use(securityHeaders(isSecureDeployment(deps.publicUrl)));
  router.use((req: Request, res: Response, next: NextFunction) => {
    ready().then(
      (runtime) => {
        routes ??= buildRoutes(runtime);
        routes(req, res, next);
      },
      (error: unknown) => next(error),
    );
  });
  return { router, ready };
}

/**
 * oidc-provider builds the URLs it redirects to (the authorization resume, end-session) from the request's Host
 * and, behind a proxy, X-Forwarded-Host / -Proto. Pinning them to PUBLIC_URL keeps every URL on the issuer's
 * origin whatever a load balancer forwards — and whatever a client puts in those headers.
 */
function pinToPublicUrl(publicUrl: string): (req: Request, res: Response, next: NextFunction) => void {
  const url = new URL(publicUrl);
  return (req, _res, next) => {
    req.headers.host = url.host;
    delete req.headers['x-forwarded-host'];
    if (url.protocol === 'https:') req.headers['x-forwarded-proto'] = 'https';
    else delete req.headers['x-forwarded-proto'];
    next();
  };
}

function buildRoutes(runtime: SsoRuntime): Router {
  const ctx = new RouteContext(runtime);
  const router = Router();
  // oidc-provider parses its own bodies; nothing before it may consume the stream.
  router.use(OIDC_MOUNT_PATH, pinToPublicUrl(runtime.deps.publicUrl), (req, res) =>
    runtime.oidcHandler()(req, res),
  );
  router.use(interactionRoutes(ctx));
  router.use(loginRoutes(ctx));
  router.use(upstreamCallbackRoutes(ctx));
  router.use(samlIdpRoutes(ctx));
  router.use(launcherRoutes(ctx));
  router.use(accountRoutes(ctx));
  router.use(logoutRoutes());
  return router;
}
