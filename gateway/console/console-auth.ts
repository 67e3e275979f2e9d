import { Router, type Request, type Response } from 'express';
import { ExpiringEntry, Person } from '../../core/entities/index.js';
import type { Logger } from '../../core/logger.js';
import {
  CONSOLE_COOKIE,
  createConsoleSession,
  endConsoleSession,
  readConsoleSession,
  readCookie,
} from '../api/auth/console-session.js';
import type { GatewayDeps } from '../deps.js';
import { CALLBACK_PATH, client, consoleOidcConfig, ConsoleNotReady } from './console-client.js';
import { messagePage } from './message-page.js';

const LOGIN_COOKIE = 'junction_console_login';
const LOGIN_NAMESPACE = 'console-login';
const LOGIN_TTL_MS = 10 * 60_000;

/** The session cookie must reach /api/v1 as well as /console; the sign-in state cookie only /console. */
function cookieFlags(publicUrl: string, maxAgeSeconds: number, path = '/'): string {
  const secure = publicUrl.startsWith('https:') ? '; Secure' : '';
  return `; Path=${path}; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

function safeReturn(value: unknown): string {
  return typeof value === 'string' && /^\/console(\/[^\s\\]*)?$/.test(value) && !value.startsWith('//')
    ? value
    : '/console/';
}

/**
 * Sign-in to the console through Junction's SSO (RFC 6749 code flow, RFC 7636 PKCE, OIDC Core nonce), sign-out
 * (RP-initiated logout, OIDC RP-Initiated Logout 1.0), and `/console/session` for the page script.
 */
export function consoleAuthRoutes(deps: GatewayDeps): Router {
  const router = Router();
  const log: Logger = deps.log.child({ module: 'console-auth' });

  router.get('/console/login', (req: Request, res: Response, next) => {
    (async () => {
      const config = await consoleOidcConfig(deps);
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const repo = deps.dataSource.getRepository(ExpiringEntry);
      await repo.save(
        repo.create({
          namespace: LOGIN_NAMESPACE,
          key: state,
          value: { verifier, nonce, returnTo: safeReturn(req.query.return) },
          expiresAt: new Date(Date.now() + LOGIN_TTL_MS),
        }),
      );
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: `${deps.publicUrl}${CALLBACK_PATH}`,
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...(typeof req.query.login_hint === 'string'
          ? { login_hint: req.query.login_hint.slice(0, 320) }
          : {}),
      });
      res.setHeader(
        'Set-Cookie',
        `${LOGIN_COOKIE}=${state}${cookieFlags(deps.publicUrl, LOGIN_TTL_MS / 1000)}`,
      );
      res.redirect(303, url.href);
    })().catch((error: unknown) => {
      if (error instanceof ConsoleNotReady) {
        res
          .status(503)
          .type('html')
          .send(
            messagePage(
              'The console is not set up yet',
              `${error.message}. Create the group tenant and an admin with the junction command first.`,
            ),
          );
        return;
      }
      next(error);
    });
  });

  router.get(CALLBACK_PATH, (req: Request, res: Response, next) => {
    (async () => {
      const state = typeof req.query.state === 'string' ? req.query.state : '';
      const cookieState = readCookie(req.headers.cookie, LOGIN_COOKIE);
      const repo = deps.dataSource.getRepository(ExpiringEntry);
      const entry = state ? await repo.findOne({ where: { namespace: LOGIN_NAMESPACE, key: state } }) : null;
      if (entry) await repo.delete({ namespace: LOGIN_NAMESPACE, key: state });
      // The state must be the one this browser started with (RFC 6749 §10.12), and still fresh.
      if (!entry || cookieState !== state || entry.expiresAt.getTime() < Date.now()) {
        res
          .status(400)
          .type('html')
          .send(
            messagePage(
              'Sign-in expired',
              'That sign-in did not start here or took too long. <a href="/console/login">Sign in again</a>.',
              true,
            ),
          );
        return;
      }
      const login = entry.value as { verifier: string; nonce: string; returnTo: string };
      if (typeof req.query.error === 'string') {
        res
          .status(403)
          .type('html')
          .send(
            messagePage(
              'Sign-in refused',
              `Junction’s sign-in said: ${escapeText(req.query.error)}. <a href="/console/login">Try again</a>.`,
              true,
            ),
          );
        return;
      }
      const config = await consoleOidcConfig(deps);
      const tokens = await client.authorizationCodeGrant(config, new URL(req.originalUrl, deps.publicUrl), {
        pkceCodeVerifier: login.verifier,
        expectedState: state,
        expectedNonce: login.nonce,
      });
      const claims = tokens.claims();
      const person = claims?.sub
        ? await deps.dataSource.getRepository(Person).findOne({ where: { id: claims.sub } })
        : null;
      if (!person) {
        res
          .status(403)
          .type('html')
          .send(
            messagePage('No directory record', 'You signed in, but Junction has no person for you.', true),
          );
        return;
      }
      const grants = (await deps.dataSource.query(
        'SELECT count(*)::int AS n FROM admin_grants WHERE person_id = $1',
        [person.id],
      )) as [{ n: number }];
      if (grants[0].n === 0) {
        log.info({ personId: person.id }, 'console sign-in without an admin grant');
        res
          .status(403)
          .type('html')
          .send(
            messagePage(
              'Not an administrator',
              `You are signed in as ${escapeText(person.email ?? person.displayName)}, but you hold no admin role in Junction. Ask a group admin.`,
            ),
          );
        return;
      }
      const session = await createConsoleSession(deps.dataSource.manager, {
        personId: person.id,
        email: person.email,
        name: person.displayName,
        idToken: tokens.id_token ?? null,
      });
      const maxAge = Math.floor((session.expiresAt.getTime() - Date.now()) / 1000);
      res.setHeader('Set-Cookie', [
        `${CONSOLE_COOKIE}=${session.token}${cookieFlags(deps.publicUrl, maxAge)}`,
        `${LOGIN_COOKIE}=; Path=/console; HttpOnly; SameSite=Lax; Max-Age=0`,
      ]);
      res.redirect(303, login.returnTo);
    })().catch(next);
  });

  router.get('/console/session', (req: Request, res: Response, next) => {
    (async () => {
      const token = readCookie(req.headers.cookie, CONSOLE_COOKIE);
      const session = token ? await readConsoleSession(deps.dataSource.manager, token) : undefined;
      if (!session) {
        res.status(401).json({ signedIn: false });
        return;
      }
      const grants = (await deps.dataSource.query(
        `SELECT g.tenant_id AS "tenantId", t.name AS "tenantName", g.role FROM admin_grants g JOIN tenants t ON t.id = g.tenant_id
          WHERE g.person_id = $1 ORDER BY t.name`,
        [session.personId],
      )) as { tenantId: string; tenantName: string; role: string }[];
      res.setHeader('Cache-Control', 'no-store');
      res.json({
        signedIn: true,
        person: { id: session.personId, name: session.name, email: session.email },
        csrf: session.csrf,
        grants,
      });
    })().catch(next);
  });

  // A GET carrying the CSRF token, so the sign-out link works as a plain link for keyboard and screen readers.
  router.get('/console/logout', (req: Request, res: Response, next) => {
    (async () => {
      const token = readCookie(req.headers.cookie, CONSOLE_COOKIE);
      const session = token ? await readConsoleSession(deps.dataSource.manager, token) : undefined;
      if (!token || !session || req.query.csrf !== session.csrf) {
        res.redirect(303, '/console/');
        return;
      }
      await endConsoleSession(deps.dataSource.manager, token);
      res.setHeader('Set-Cookie', `${CONSOLE_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
      try {
        const config = await consoleOidcConfig(deps);
        const url = client.buildEndSessionUrl(config, {
          post_logout_redirect_uri: `${deps.publicUrl}/console/`,
          ...(session.idToken ? { id_token_hint: session.idToken } : {}),
        });
        res.redirect(303, url.href);
      } catch {
        res.redirect(303, '/console/');
      }
    })().catch(next);
  });
  return router;
}

export function escapeText(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
