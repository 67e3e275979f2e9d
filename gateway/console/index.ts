import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { GatewayDeps } from '../deps.js';
import { consoleAssetsDir } from './assets-dir.js';
import { consoleAuthRoutes } from './console-auth.js';
import { invitationRoutes } from './invitation-pages.js';

const SHELL = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Junction console</title>
<link rel="stylesheet" href="/console/assets/style.css">
<script type="module" src="/console/assets/app.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="#/overview">Junction</a><nav id="nav" aria-label="Console"></nav><div id="who"></div></header>
<main id="main" tabindex="-1"><p>Loading…</p></main>
<div id="toast" role="status" aria-live="polite"></div>
</body>
</html>`;

/** Strict CSP: only our own scripts and styles, no inline code (the shell has none), no framing. */
function consoleHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
      "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  next();
}

/**
 * The admin console at /console: a page shell plus small ES modules (no build step, nothing fetched from the
 * internet) that drive the admin API with the session cookie; sign-in through Junction SSO; invitation pages.
 */
export function consoleRoutes(deps: GatewayDeps): Router {
  const router = Router();
  router.use('/console', consoleHeaders);
  router.use(consoleAuthRoutes(deps));
  router.use(invitationRoutes(deps));
  router.use(
    '/console/assets',
    express.static(consoleAssetsDir(), { index: false, fallthrough: true, maxAge: '5m', extensions: false }),
  );
  router.get(['/console', '/console/'], (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(SHELL);
  });
  return router;
}
