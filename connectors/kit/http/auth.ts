import axios from 'axios';
import { z } from 'zod';
import { ConnectorError } from '../errors.js';

/** The parts of an outgoing request an auth strategy may add to. */
export interface AuthRequest {
  headers: Record<string, string>;
  query: Record<string, string>;
}

/**
 * How a client authenticates. `apply` runs before every attempt (so a refreshed token is used on the retry);
 * `refresh` is called once when the vendor says the credential expired (HTTP 401 or a vendor code the
 * connector's classifier maps to 'retry_auth'), then the request is sent again.
 */
export interface AuthStrategy {
  apply(request: AuthRequest): Promise<void>;
  refresh?(): Promise<void>;
  /** Header and query names this strategy fills with secrets, redacted in debug logs. */
  secretHeaders?: readonly string[];
  secretQueryParams?: readonly string[];
}

/** RFC 7617: `Authorization: Basic base64(user:pass)`. BambooHR: the API key as user name, any password. */
export function basicAuth(user: string, password: string): AuthStrategy {
  const value = `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  return {
    apply: async (request) => {
      request.headers.authorization = value;
    },
  };
}

/** RFC 6750 §2.1: `Authorization: Bearer <token>` with a static token. */
export function bearerToken(token: string): AuthStrategy {
  return {
    apply: async (request) => {
      request.headers.authorization = `Bearer ${token}`;
    },
  };
}

/** A static key in a vendor-named header. */
export function apiKeyHeader(name: string, value: string): AuthStrategy {
  const header = name.toLowerCase();
  return {
    secretHeaders: [header],
    apply: async (request) => {
      request.headers[header] = value;
    },
  };
}

export interface FetchedToken {
  token: string;
  expiresInSeconds: number;
}

export interface CachedTokenOptions {
  /** Gets a new token from the vendor (WeCom `gettoken`, Kingdee login, an OAuth token endpoint…). */
  fetch: () => Promise<FetchedToken>;
  /** Puts the token on a request (a query parameter, a header, a cookie). */
  apply: (request: AuthRequest, token: string) => void;
  /**
   * Renew this long before the vendor's expiry, so a token does not expire between `apply` and the vendor
   * reading it. Default: 10% of the lifetime, at most 60 s.
   */
  refreshMarginSeconds?: number;
  secretHeaders?: readonly string[];
  secretQueryParams?: readonly string[];
  /** For tests. */
  now?: () => number;
}

/**
 * A vendor token fetched lazily, cached until shortly before it expires, shared by concurrent callers (one fetch
 * in flight at a time), and renewed on demand by `refresh()` (the vendor said it expired early: revoked, rotated,
 * or the vendor restarted).
 */
export function cachedToken(options: CachedTokenOptions): AuthStrategy & { current(): string | undefined } {
  const now = options.now ?? Date.now;
  let token: string | undefined;
  let renewAt = 0;
  let inFlight: Promise<string> | undefined;

  const fetchNew = (): Promise<string> => {
    inFlight ??= (async () => {
      try {
        const fetched = await options.fetch();
        const lifetimeMs = Math.max(0, fetched.expiresInSeconds) * 1000;
        const marginMs =
          options.refreshMarginSeconds === undefined
            ? Math.min(60_000, lifetimeMs * 0.1)
            : options.refreshMarginSeconds * 1000;
        token = fetched.token;
        renewAt = now() + Math.max(0, lifetimeMs - marginMs);
        return fetched.token;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  return {
    ...(options.secretHeaders ? { secretHeaders: options.secretHeaders } : {}),
    ...(options.secretQueryParams ? { secretQueryParams: options.secretQueryParams } : {}),
    current: () => token,
    apply: async (request) => {
      const value = token !== undefined && now() < renewAt ? token : await fetchNew();
      options.apply(request, value);
    },
    refresh: async () => {
      // Callers that saw the same expiry at once share one renewal.
      token = undefined;
      await fetchNew();
    },
  };
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
});

const tokenErrorSchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
});

export interface OAuth2ClientCredentialsOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
  /** Some providers (Auth0, Okta API access management) need an audience / resource. */
  audience?: string;
  resource?: string;
  /** RFC 6749 §2.3.1: HTTP Basic (default) or the credentials in the form body. */
  authMethod?: 'client_secret_basic' | 'client_secret_post';
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Lifetime assumed when the token response has no `expires_in`. */
  defaultExpiresInSeconds?: number;
}

/**
 * OAuth 2.0 client credentials grant (RFC 6749 §4.4): a bearer token from the token endpoint, cached and renewed
 * as `cachedToken` does. Rejected client credentials are `auth_failed` (non-retryable); an unreachable or failing
 * token endpoint is `unavailable` (retryable).
 */
export function oauth2ClientCredentials(options: OAuth2ClientCredentialsOptions): AuthStrategy {
  const authMethod = options.authMethod ?? 'client_secret_basic';
  return cachedToken({
    apply: (request, token) => {
      request.headers.authorization = `Bearer ${token}`;
    },
    fetch: async () => {
      const form = new URLSearchParams({ grant_type: 'client_credentials' });
      if (options.scope) form.set('scope', options.scope);
      if (options.audience) form.set('audience', options.audience);
      if (options.resource) form.set('resource', options.resource);
      const headers: Record<string, string> = {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      };
      if (authMethod === 'client_secret_basic') {
        // RFC 6749 §2.3.1: client id and secret are form-urlencoded before being put in the Basic header.
        const user = encodeURIComponent(options.clientId);
        const pass = encodeURIComponent(options.clientSecret);
        headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
      } else {
        form.set('client_id', options.clientId);
        form.set('client_secret', options.clientSecret);
      }
      let response;
      try {
        response = await axios.post(options.tokenUrl, form.toString(), {
          headers,
          timeout: options.timeoutMs ?? 30_000,
          validateStatus: () => true,
          responseType: 'text',
          transformResponse: [(data: unknown) => data],
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (cause) {
        throw new ConnectorError('unavailable', {
          message: `the OAuth token endpoint ${options.tokenUrl} could not be reached`,
          cause,
        });
      }
      const body = parseJson(response.data);
      if (response.status >= 200 && response.status < 300) {
        const parsed = tokenResponseSchema.safeParse(body);
        if (!parsed.success) {
          throw new ConnectorError('vendor_error', {
            message: `the OAuth token endpoint answered without a usable access_token`,
            httpStatus: response.status,
          });
        }
        return {
          token: parsed.data.access_token,
          expiresInSeconds: parsed.data.expires_in ?? options.defaultExpiresInSeconds ?? 3600,
        };
      }
      const error = tokenErrorSchema.safeParse(body);
      if (response.status >= 500 || response.status === 429) {
        throw new ConnectorError(response.status === 429 ? 'rate_limited' : 'unavailable', {
          message: `the OAuth token endpoint failed (HTTP ${response.status})`,
          httpStatus: response.status,
        });
      }
      throw new ConnectorError('auth_failed', {
        message: `the OAuth token endpoint rejected the client credentials (HTTP ${response.status}${
          error.success ? `: ${error.data.error}` : ''
        }); check the client id and secret`,
        httpStatus: response.status,
        ...(error.success
          ? {
              vendorCode: error.data.error,
              ...(error.data.error_description ? { vendorMessage: error.data.error_description } : {}),
            }
          : {}),
      });
    },
  });
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
