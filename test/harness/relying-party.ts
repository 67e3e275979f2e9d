import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as client from 'openid-client';

/**
 * A downstream app for sign-in tests: an HTTP server with a redirect URI (answers 200), a post-logout URI, and a
 * back-channel logout endpoint (OIDC Back-Channel Logout 1.0 §2.5) that records every logout_token it receives;
 * plus the app's openid-client Configuration once Junction's client is registered.
 */
export interface RelyingParty {
  url: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  backchannelLogoutUri: string;
  logoutTokens: string[];
  /** Resolves when the next back-channel logout arrives. */
  nextLogout(): Promise<string>;
  configure(issuer: string, clientId: string, clientSecret: string | null): Promise<client.Configuration>;
  stop(): Promise<void>;
}

export async function startRelyingParty(): Promise<RelyingParty> {
  const logoutTokens: string[] = [];
  const waiters: ((token: string) => void)[] = [];
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/backchannel-logout') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const token = new URLSearchParams(Buffer.concat(chunks).toString()).get('logout_token') ?? '';
        logoutTokens.push(token);
        waiters.splice(0).forEach((w) => w(token));
        res.statusCode = 200;
        res.setHeader('cache-control', 'no-store');
        res.end();
      });
      return;
    }
    res.setHeader('content-type', 'text/plain');
    res.end('relying party');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    redirectUri: `${url}/callback`,
    postLogoutRedirectUri: `${url}/signed-out`,
    backchannelLogoutUri: `${url}/backchannel-logout`,
    logoutTokens,
    nextLogout: () => new Promise<string>((resolve) => waiters.push(resolve)),
    configure: (issuer, clientId, clientSecret) =>
      client.discovery(
        new URL(issuer),
        clientId,
        clientSecret ? { client_secret: clientSecret } : { token_endpoint_auth_method: 'none' },
        clientSecret ? client.ClientSecretBasic(clientSecret) : client.None(),
        { execute: [client.allowInsecureRequests] },
      ),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
