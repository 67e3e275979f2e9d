import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type CryptoKey } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { withDeadline } from '../../core/with-deadline.js';

/**
 * A subsidiary's own OpenID Provider for tests and benchmarks: a separate, real `oidc-provider` instance (its
 * in-memory adapter is fine for a peer) on a free loopback port. People are added by the test; the login page is a
 * one-field form, or skipped when `login_hint` names a known login (`autoLogin`). Consent is implicit.
 *
 * For negative tests the token response can be tampered with (`tamper`), so Junction receives forged, unsigned,
 * mis-addressed or expired ID tokens from a peer that is otherwise real; `signingKey` is the provider's private key
 * for building such tokens.
 */
export interface UpstreamPerson {
  login: string;
  sub: string;
  claims: Record<string, unknown>;
}

export interface OidcUpstream {
  issuer: string;
  clientId: string;
  clientSecret: string;
  signingKey: CryptoKey;
  publicJwk: JWK;
  addPerson(person: UpstreamPerson): void;
  /** Rewrites the id_token of the next token responses (undefined: stop tampering). */
  tamper: ((idToken: string) => Promise<string> | string) | undefined;
  /** When true, a login_hint naming a known login signs that person in without showing the form. */
  autoLogin: boolean;
  /** Authorization requests received, for asserting state / nonce / PKCE. */
  readonly authorizationRequests: URLSearchParams[];
  stop(): Promise<void>;
}

export interface OidcUpstreamOptions {
  redirectUris: string[];
  clientId?: string;
  clientSecret?: string;
  /** Extra id_token algorithms the discovery document advertises (tests of alg confusion advertise HS256). */
  idTokenAlgorithms?: string[];
  host?: string;
}

export async function startOidcUpstream(options: OidcUpstreamOptions): Promise<OidcUpstream> {
  const host = options.host ?? '127.0.0.1';
  const server: Server = createServer();
  await withDeadline(
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    }),
    10_000,
    'oidc-upstream: could not listen',
  );
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://${host}:${port}`;
  const people = new Map<string, UpstreamPerson>();
  const bySub = new Map<string, UpstreamPerson>();
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'upstream-rs256', alg: 'RS256', use: 'sig' };
  const privateJwk = { ...(await exportJWK(privateKey)), kid: 'upstream-rs256', alg: 'RS256', use: 'sig' };
  const clientId = options.clientId ?? 'junction';
  const clientSecret = options.clientSecret ?? 'upstream-secret-for-junction-0123456789';

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [privateJwk] } as Configuration['jwks'],
    cookies: { keys: ['upstream-cookie-key-0123456789abcdef'] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
      employee: ['employee_id'],
    },
    scopes: ['openid', 'email', 'profile', 'employee'],
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    findAccount: (_ctx, sub) => {
      const person = bySub.get(sub);
      return person ? { accountId: sub, claims: () => ({ sub, ...person.claims }) } : undefined;
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
      await grant.save();
      return grant;
    },
    pkce: { required: () => true },
    ...(options.idTokenAlgorithms
      ? {
          enabledJWA: {
            idTokenSigningAlgValues: ['RS256', ...options.idTokenAlgorithms] as NonNullable<
              Configuration['enabledJWA']
            >['idTokenSigningAlgValues'],
          },
        }
      : {}),
  };
  const provider = new Provider(issuer, configuration);
  const upstream: OidcUpstream = {
    issuer,
    clientId,
    clientSecret,
    signingKey: privateKey,
    publicJwk,
    addPerson(person) {
      people.set(person.login, person);
      bySub.set(person.sub, person);
    },
    tamper: undefined,
    autoLogin: true,
    authorizationRequests: [],
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  provider.use(async (ctx: KoaContextWithOIDC, next) => {
    if (ctx.path === '/auth' && ctx.method === 'GET')
      upstream.authorizationRequests.push(new URLSearchParams(ctx.querystring));
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.oidc?.route === 'token' && upstream.tamper && body?.id_token) {
      ctx.body = { ...body, id_token: await upstream.tamper(body.id_token) };
    }
  });
  const callback = provider.callback();

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
    if (!match) {
      callback(req, res);
      return;
    }
    void handleInteraction(provider, people, upstream, req, res, Boolean(match[2])).catch(
      (error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      },
    );
  });
  return upstream;
}

async function handleInteraction(
  provider: Provider,
  people: Map<string, UpstreamPerson>,
  upstream: OidcUpstream,
  req: IncomingMessage,
  res: ServerResponse,
  isLoginPost: boolean,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  let login: string | undefined;
  if (isLoginPost) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    login = new URLSearchParams(Buffer.concat(chunks).toString()).get('login') ?? undefined;
  } else if (upstream.autoLogin && typeof details.params.login_hint === 'string') {
    login = details.params.login_hint;
  }
  const person = login ? people.get(login) : undefined;
  if (!person) {
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><title>Upstream sign-in</title><form method="post" action="/interaction/${details.uid}/login">
      <input name="login" value=""><button type="submit">Sign in</button></form>`);
    return;
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: person.sub, amr: ['pwd'] } },
    { mergeWithLastSubmission: false },
  );
}
