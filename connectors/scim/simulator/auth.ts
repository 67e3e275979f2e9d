import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { TokenStore } from '../../kit/simulator/token-store.js';
import { ScimProtocolError, sendScimError } from './protocol-error.js';

/** Who may call the simulator, and how. */
export interface SimulatorCredentials {
  /** Static bearer tokens with full access (how Slack, Zoom, GitHub and Atlassian hand out SCIM tokens). */
  bearerTokens?: string[];
  /** Static bearer tokens that may read but not write (a 403 on writes): for permission checks. */
  readOnlyBearerTokens?: string[];
  /** Static bearer tokens that may read the discovery endpoints but not the Users (a 403 on /Users). */
  discoveryOnlyBearerTokens?: string[];
  /** HTTP Basic (RFC 7617) credentials with full access. */
  basic?: { username: string; password: string };
  /** OAuth 2.0 clients that get expiring bearer tokens from `/oauth/token` (RFC 6749 §4.4). */
  oauthClients?: { clientId: string; clientSecret: string }[];
}

type Access = 'full' | 'read' | 'discovery';

const DISCOVERY = /^\/(ServiceProviderConfig|ResourceTypes|Schemas)(\/|$)/;

/**
 * RFC 7644 §2: every request is authenticated; a missing or bad credential is 401 with a SCIM error body and an
 * RFC 6750 §3 `WWW-Authenticate` challenge (`error="invalid_token"` when a token was sent, so a client knows to
 * fetch a new one); a credential without the right is 403.
 */
export function simulatorAuth(credentials: SimulatorCredentials, tokens: TokenStore<string>): RequestHandler {
  const full = new Set(credentials.bearerTokens ?? []);
  const readOnly = new Set(credentials.readOnlyBearerTokens ?? []);
  const discoveryOnly = new Set(credentials.discoveryOnlyBearerTokens ?? []);
  return (req, res, next) => {
    const header = req.get('Authorization') ?? '';
    const [scheme = '', value = ''] = header.split(/\s+/, 2);
    let access: Access | null = null;
    let expired = false;
    if (scheme.toLowerCase() === 'bearer' && value) {
      if (full.has(value)) access = 'full';
      else if (readOnly.has(value)) access = 'read';
      else if (discoveryOnly.has(value)) access = 'discovery';
      else {
        const check = tokens.verify(value);
        if (check.ok) access = 'full';
        else expired = check.reason === 'expired';
      }
    } else if (scheme.toLowerCase() === 'basic' && value && credentials.basic) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      if (safeEqual(decoded, `${credentials.basic.username}:${credentials.basic.password}`)) access = 'full';
    }
    if (access === null) {
      const challenge = value
        ? `Bearer realm="SCIM", error="invalid_token", error_description="${expired ? 'The access token expired' : 'The access token is not valid'}"`
        : 'Bearer realm="SCIM"';
      res.set('WWW-Authenticate', challenge);
      sendScimError(
        res,
        new ScimProtocolError(
          401,
          expired
            ? 'The access token expired'
            : 'Authorization failure: the credentials are missing or not valid',
        ),
      );
      return;
    }
    if (access === 'discovery' && !DISCOVERY.test(req.path)) {
      sendScimError(res, new ScimProtocolError(403, `this token may not access ${req.path}`));
      return;
    }
    if (access === 'read' && req.method !== 'GET' && !req.path.endsWith('/.search')) {
      sendScimError(res, new ScimProtocolError(403, `this token may read but not ${req.method} ${req.path}`));
      return;
    }
    next();
  };
}

/** RFC 6749 §4.4: the client-credentials grant, with client_secret_basic or client_secret_post (§2.3.1). */
export function tokenEndpoint(credentials: SimulatorCredentials, tokens: TokenStore<string>): RequestHandler {
  return (req, res) => {
    res.set('Cache-Control', 'no-store');
    const body = (req.body ?? {}) as Record<string, unknown>;
    let clientId = typeof body.client_id === 'string' ? body.client_id : '';
    let clientSecret = typeof body.client_secret === 'string' ? body.client_secret : '';
    const header = req.get('Authorization') ?? '';
    if (header.toLowerCase().startsWith('basic ')) {
      const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      clientId = decodeURIComponent(decoded.slice(0, colon));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1));
    }
    if (body.grant_type !== 'client_credentials') {
      res.status(400).json({ error: 'unsupported_grant_type', error_description: 'only client_credentials' });
      return;
    }
    const client = credentials.oauthClients?.find(
      (candidate) => candidate.clientId === clientId && safeEqual(candidate.clientSecret, clientSecret),
    );
    if (!client) {
      // RFC 6749 §5.2: invalid_client is 401 with a challenge for the scheme the client used.
      res.set('WWW-Authenticate', 'Basic realm="oauth"');
      res.status(401).json({ error: 'invalid_client', error_description: 'unknown client or wrong secret' });
      return;
    }
    const issued = tokens.issue(client.clientId);
    res.json({ access_token: issued.token, token_type: 'Bearer', expires_in: issued.expiresInSeconds });
  };
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
