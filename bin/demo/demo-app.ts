import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';
import type { Logger } from '../../core/logger.js';

/**
 * The demo's downstream app: a real OpenID Connect relying party (authorization code + PKCE, public client) that
 * signs in through Junction and shows the claims it received, so a newcomer sees the access model turn into
 * `roles`, `groups` and `entitlements`. Sessions live in memory: the app is a viewer, not something to keep.
 */
export interface RunningDemoApp {
  url: string;
  stop(): Promise<void>;
}

const SCOPE = 'openid profile email employee groups roles';
const TX_COOKIE = 'demo_app_tx';
const SESSION_COOKIE = 'demo_app_session';
/** Pending sign-ins and sessions are few (one person trying the demo); the caps keep a busy tab from growing them. */
const MAX_ENTRIES = 1000;

interface PendingSignIn {
  verifier: string;
  state: string;
  nonce: string;
}

interface SignedIn {
  idTokenClaims: Record<string, unknown>;
  userinfo: Record<string, unknown>;
  idToken: string;
}

export async function startDemoApp(options: {
  port: number;
  /** Junction's issuer, `${PUBLIC_URL}/oidc`. */
  issuer: string;
  clientId: string;
  log: Logger;
}): Promise<RunningDemoApp> {
  const pending = new Map<string, PendingSignIn>();
  const sessions = new Map<string, SignedIn>();
  let configuration: Promise<client.Configuration> | undefined;
  // Discovered on first use: the gateway starts after the demo app, and a failed discovery is retried next time.
  const discover = (): Promise<client.Configuration> => {
    configuration ??= client
      .discovery(
        new URL(options.issuer),
        options.clientId,
        { token_endpoint_auth_method: 'none' },
        client.None(),
        {
          execute: [client.allowInsecureRequests],
        },
      )
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      });
    return configuration;
  };

  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      options.log.warn({ err: error }, 'demo app request failed');
      page(
        res,
        502,
        'Sign-in did not complete',
        `<p>${escape(firstLine(error))}</p><p><a href="/">Start again</a></p>`,
      );
    });
  });

  let url = '';
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const here = new URL(req.url ?? '/', url);
    const cookies = parseCookies(req.headers.cookie);
    if (req.method !== 'GET') return page(res, 405, 'Method not allowed', '');

    if (here.pathname === '/') {
      const session = sessions.get(cookies[SESSION_COOKIE] ?? '');
      if (!session) {
        return page(
          res,
          200,
          'Demo app',
          `<p>This app trusts Junction for sign-in. Sign in to see what Junction tells it about you.</p>
           <p><a class="button" href="/login">Sign in with Junction</a></p>`,
        );
      }
      return page(
        res,
        200,
        'Demo app: what Junction said',
        `<p>Signed in as <strong>${escape(String(session.idTokenClaims.name ?? session.idTokenClaims.sub))}</strong>.
         <code>roles</code>, <code>groups</code> and <code>entitlements</code> come from the access model.</p>
         <h2>ID token claims</h2>${table(session.idTokenClaims)}
         <h2>UserInfo</h2>${table(session.userinfo)}
         <p><a href="/logout">Sign out</a></p>`,
      );
    }

    if (here.pathname === '/login') {
      const config = await discover();
      const tx: PendingSignIn = {
        verifier: client.randomPKCECodeVerifier(),
        state: client.randomState(),
        nonce: client.randomNonce(),
      };
      const id = remember(pending, tx);
      const authorize = client.buildAuthorizationUrl(config, {
        redirect_uri: `${url}/callback`,
        scope: SCOPE,
        // RFC 7636 §4.2: S256 only.
        code_challenge: await client.calculatePKCECodeChallenge(tx.verifier),
        code_challenge_method: 'S256',
        state: tx.state,
        nonce: tx.nonce,
      });
      res.setHeader('set-cookie', cookie(TX_COOKIE, id, 600));
      res.writeHead(303, { location: authorize.href }).end();
      return;
    }

    if (here.pathname === '/callback') {
      const txId = cookies[TX_COOKIE] ?? '';
      const tx = pending.get(txId);
      if (!tx) return page(res, 400, 'No sign-in in progress', '<p><a href="/login">Sign in</a></p>');
      pending.delete(txId);
      const config = await discover();
      const tokens = await client.authorizationCodeGrant(config, here, {
        pkceCodeVerifier: tx.verifier,
        expectedState: tx.state,
        expectedNonce: tx.nonce,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('the token response carried no ID token');
      const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      const id = remember(sessions, {
        idTokenClaims: { ...claims },
        userinfo: { ...userinfo },
        idToken: tokens.id_token ?? '',
      });
      res.setHeader('set-cookie', [cookie(TX_COOKIE, '', 0), cookie(SESSION_COOKIE, id, 3600)]);
      res.writeHead(303, { location: '/' }).end();
      return;
    }

    if (here.pathname === '/logout') {
      const id = cookies[SESSION_COOKIE] ?? '';
      const session = sessions.get(id);
      sessions.delete(id);
      res.setHeader('set-cookie', cookie(SESSION_COOKIE, '', 0));
      if (!session) return void res.writeHead(303, { location: '/' }).end();
      // OpenID Connect RP-Initiated Logout 1.0 §2: end Junction's session too, then come back here.
      const end = client.buildEndSessionUrl(await discover(), {
        id_token_hint: session.idToken,
        post_logout_redirect_uri: `${url}/`,
      });
      res.writeHead(303, { location: end.href }).end();
      return;
    }
    page(res, 404, 'Not found', '<p><a href="/">Home</a></p>');
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function remember<T>(map: Map<string, T>, value: T): string {
  if (map.size >= MAX_ENTRIES) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  const id = randomBytes(24).toString('base64url');
  map.set(id, value);
  return id;
}

function cookie(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}`;
}

/** RFC 6265 §5.4: `name=value` pairs separated by `;`. */
function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0) out[part.slice(0, index).trim()] = part.slice(index + 1).trim();
  }
  return out;
}

function table(values: Record<string, unknown>): string {
  const rows = Object.entries(values)
    .map(
      ([key, value]) =>
        `<tr><th>${escape(key)}</th><td><code>${escape(JSON.stringify(value))}</code></td></tr>`,
    )
    .join('');
  return `<table>${rows}</table>`;
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font:15px system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}
th{text-align:left;padding:.2rem 1rem .2rem 0;vertical-align:top}code{word-break:break-all}
.button{display:inline-block;padding:.5rem 1rem;background:#1f5fd1;color:#fff;border-radius:4px;text-decoration:none}</style>
</head><body><h1>${escape(title)}</h1>${body}</body></html>`);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? text).slice(0, 300);
}
