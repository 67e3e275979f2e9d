import express, { type NextFunction, type Request, type Response } from 'express';
import { type FaultSettings } from '../kit/simulator/fault-injector.js';
import { SimulatorServer } from '../kit/simulator/simulator-server.js';
import { TokenStore } from '../kit/simulator/token-store.js';
import { simulatorAuth, tokenEndpoint, type SimulatorCredentials } from './simulator/auth.js';
import { type ProviderFeatures } from './simulator/discovery.js';
import { ScimProtocolError, sendScimError } from './simulator/protocol-error.js';
import { scimRoutes } from './simulator/routes.js';
import { seedUsers, type SeedOptions } from './simulator/seed.js';
import { ScimStore } from './simulator/store.js';

export type { SimulatorCredentials } from './simulator/auth.js';
export type { ProviderFeatures } from './simulator/discovery.js';

export interface ScimSimulatorOptions {
  /** Where the SCIM endpoints live. Default `/scim/v2` (vendors use `/scim/v2`, `/api/scim/v2`, `/v2`…). */
  basePath?: string;
  credentials?: SimulatorCredentials;
  features?: Partial<ProviderFeatures>;
  faults?: Partial<FaultSettings>;
  /** Seeds the fault sequence: the same seed replays the same random 429s. */
  faultSeed?: number;
}

export const DEFAULT_FEATURES: ProviderFeatures = {
  patch: true,
  etag: true,
  maxResults: 200,
  announceMaxResults: true,
  unfilterable: [],
  patchNoContent: false,
  basicAuth: false,
  oauth: false,
};

export const DEFAULT_CREDENTIALS: SimulatorCredentials = { bearerTokens: ['scim-simulator-token'] };

/**
 * A SCIM 2.0 service provider (RFC 7643, RFC 7644) for the `scim` connector's tests, benchmarks and for
 * `junction simulate scim`: discovery endpoints, Users and Groups with filters, sorting, index paging, PATCH,
 * ETags and RFC 7644 §3.12 error bodies, behind bearer / basic / OAuth client-credentials authentication, on the
 * kit's SimulatorServer (fault knobs: latency, 429 with Retry-After, 5xx bursts, token expiry).
 */
export class ScimSimulator {
  readonly store = new ScimStore();
  readonly server: SimulatorServer;
  readonly tokens: TokenStore<string>;
  features: ProviderFeatures;
  readonly basePath: string;

  constructor(options: ScimSimulatorOptions = {}) {
    this.basePath = `/${(options.basePath ?? '/scim/v2').replace(/^\/+|\/+$/g, '')}`;
    this.features = { ...DEFAULT_FEATURES, ...options.features };
    const credentials = options.credentials ?? DEFAULT_CREDENTIALS;
    if (credentials.oauthClients?.length) this.features.oauth = true;
    if (credentials.basic) this.features.basicAuth = true;
    this.server = new SimulatorServer({
      name: 'SCIM',
      ...(options.faults ? { faults: options.faults } : {}),
      seed: options.faultSeed ?? 42,
      exemptFromFaults: (req) => req.path === '/oauth/token',
      responders: {
        // RFC 7644 §3.12: 429 (RFC 6585) with Retry-After and a SCIM error body.
        tooManyRequests: (_req, res, retryAfterSeconds) => {
          res.set('Retry-After', String(retryAfterSeconds));
          sendScimError(
            res,
            new ScimProtocolError(429, 'Too many requests; retry after the Retry-After delay'),
          );
        },
        serverError: (_req, res, status) => {
          sendScimError(res, new ScimProtocolError(status, 'The service provider failed (simulated)'));
        },
      },
    });
    this.tokens = new TokenStore<string>(() => this.server.faults.settings.tokenTtlSeconds);

    const app = this.server.app;
    app.post('/_sim/expire-tokens', (_req, res) => {
      this.tokens.expireAll();
      res.status(204).end();
    });
    app.get('/_sim/stats', (_req, res) => {
      res.json({ users: this.store.count('User'), groups: this.store.count('Group') });
    });
    if (credentials.oauthClients?.length) {
      app.post(
        '/oauth/token',
        express.urlencoded({ extended: false }),
        tokenEndpoint(credentials, this.tokens),
      );
    }
    const baseUrlOf = (req: Request): string =>
      `${req.protocol}://${req.get('host') ?? 'localhost'}${this.basePath}`;
    app.use(
      this.basePath,
      simulatorAuth(credentials, this.tokens),
      scimRoutes(this.store, () => this.features, baseUrlOf),
    );
    app.use((req: Request, res: Response) => {
      sendScimError(
        res,
        new ScimProtocolError(404, `nothing at ${req.path}; the SCIM base is ${this.basePath}`),
      );
    });
    app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      sendScimError(res, asProtocolError(error));
    });
  }

  get faults(): SimulatorServer['faults'] {
    return this.server.faults;
  }

  /** Adds the accounts of a generated organisation: deterministic for a seed, fast enough for 100,000. */
  seed(options: SeedOptions): { users: number; groups: number } {
    return seedUsers(this.store, options);
  }

  /** Listens on loopback; port 0 (the default) picks a free one. Returns the SCIM base URL. */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const handle = await this.server.start(port, host);
    return `${handle.url}${this.basePath}`;
  }

  close(): Promise<void> {
    return this.server.stop();
  }
}

function asProtocolError(error: unknown): ScimProtocolError {
  if (error instanceof ScimProtocolError) return error;
  // body-parser's malformed JSON: RFC 7644 §3.12 invalidSyntax.
  if (isBodyParserError(error)) {
    if (error.type === 'entity.parse.failed')
      return new ScimProtocolError(400, 'the body is not valid JSON', 'invalidSyntax');
    if (error.type === 'entity.too.large') return new ScimProtocolError(413, 'the request body is too large');
  }
  return new ScimProtocolError(500, error instanceof Error ? error.message : String(error));
}

function isBodyParserError(error: unknown): error is { type: string } {
  return (
    typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string'
  );
}
