import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers for every sign-in page and protocol endpoint (helmet): a strict CSP whose only inline scripts
 * are ours, by per-response nonce (auto-submitting SAML forms), or oidc-provider's, by hash (it adds the sha256 of
 * its form_post script to script-src itself); no framing (clickjacking on the password form); HSTS when https;
 * no referrer leaks of URLs carrying codes or transaction ids.
 *
 * `form-action` is left out on purpose: the sign-in forms post to us and we then redirect to the person's upstream
 * IdP or the app's SAML ACS, and browsers apply form-action to the redirect target too.
 */
const nonceSource = (_req: unknown, res: unknown): string =>
  `'nonce-${String((res as { locals: { cspNonce?: string } }).locals.cspNonce)}'`;

export function securityHeaders(secure: boolean): RequestHandler[] {
  const nonce: RequestHandler = (_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString('base64');
    next();
  };
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'", nonceSource],
        'style-src': ["'self'", nonceSource],
        'img-src': ["'self'", 'data:', 'https:'],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'frame-ancestors': ["'none'"],
        ...(secure ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    strictTransportSecurity: secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    // Apps on other origins call the token / userinfo / JWKS endpoints from browsers (CORS decides who may).
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    xFrameOptions: { action: 'deny' },
  });
  const noStore: RequestHandler = (_req, res, next) => {
    // Sign-in pages and protocol responses carry per-person state: never cache them (RFC 6749 §5.1).
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    next();
  };
  return [nonce, headers, noStore];
}
