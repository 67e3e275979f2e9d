import type { Server } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { FaultInjector, type FaultSettings } from '../kit/simulator/fault-injector.js';
import { TokenStore } from '../kit/simulator/token-store.js';
import { ScimProtocolError, sendScimError } from './simulator/protocol-error.js';
import { type ProviderFeatures } from './simulator/discovery.js';
import { scimRoutes } from './simulator/routes.js';
import { ScimStore } from './simulator/store.js';
import { simulatorAuth, tokenEndpoint, type SimulatorCredentials } from './simulator/auth.js';
import { seedUsers, type SeedOptions } from './simulator/seed.js';

export interface ScimSimulatorOptions {
  /** Where the SCIM endpoints live. Default `/scim/v2` (vendors use `/scim/v2`, `/api/scim/v2`, `/v2`…). */
  basePath?: string;
  credentials?: SimulatorCredentials;
  features?: Partial<ProviderFeatures>;
  faults?: Partial<FaultSettings>;
  /** Seeds the fault sequence (and nothing else): the same seed replays the same 429s. */
  faultSeed?: number;
}

export const DEFAULT_FEATURES: ProviderFeatures = {
  patch: true,
  etag: true,
  maxResults: 200,
  patchNoContent: false,
  basicAuth: false,
  oauth: false,
};

export const DEFAULT_CREDENTIALS: SimulatorCredentials = { bearerTokens: ['scim-simulator-token'] };

/**
 * A SCIM 2.0 service provider (RFC 7643, RFC 7644) for the `scim` connector's tests, benchmarks and for
 * `junction simulate scim`: discovery endpoints, Users and Groups with filters, sorting, index paging, PATCH,
 * ETags and RFC 7644 §3.12 error bodies, behind bearer / basic / OAuth client-credentials authentication and the
 * kit's fault injector (latency, 429 with Retry-After, 5xx bursts, token expiry).
 */
export class ScimSimulator {
  readonly store = new ScimStore();
  readonly faults: FaultInjector;
  readonly tokens: TokenStore<string>;
  features: ProviderFeatures;
  readonly basePath: string;
  readonly app: Express;
  private server: Server | undefined;

  constructor(options: ScimSimulatorOptions = {}) {
    this.basePath = `/${(options.basePath ?? '/scim/v2').replace(/^\/+|\/+$/g, '')}`;
    this.features = { ...DEFAULT_FEATURES, ...options.features };
    const credentials = options.credentials ?? DEFAULT_CREDENTIALS;
    if (credentials.oauthClients?.length) this.features.oauth = true;
    if (credentials.basic) this.features.basicAuth = true;
    this.faults = new FaultInjector(options.faults ?? {}, {
      seed: options.faultSeed ?? 42,
      exempt: (req) => req.path === '/oauth/token',
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
    this.tokens = new TokenStore<string>(() => this.faults.settings.tokenTtlSeconds);

    const app = express();
    app.disable('x-powered-by');
    app.use('/_sim', this.controlRoutes());
    app.use(this.faults.middleware());
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
    this.app = app;
  }

  /** Adds generated users (and groups of them): deterministic for a seed, fast enough for 100,000. */
  seed(options: SeedOptions): { users: number; groups: number } {
    return seedUsers(this.store, options);
  }

  /** Listens on loopback; port 0 (the default) picks a free one. Returns the SCIM base URL. */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = await new Promise<Server>((resolve, reject) => {
      const started = this.app.listen(port, host, (error?: Error) =>
        error ? reject(error) : resolve(started),
      );
    });
    this.server = server;
    const address = server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    return `http://${host}:${bound}${this.basePath}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // Test and CLI controls, outside the vendor API and never faulted.
  private controlRoutes(): express.Router {
    const router = express.Router();
    router.use(express.json());
    router.get(
      '/faults',
      (_req, res) => void res.json({ settings: this.faults.settings, stats: this.faults.stats }),
    );
    router.post('/faults', (req, res) => {
      this.faults.set(req.body as Partial<FaultSettings>);
      res.json({ settings: this.faults.settings });
    });
    router.post('/expire-tokens', (_req, res) => {
      this.tokens.expireAll();
      res.status(204).end();
    });
    router.get('/stats', (_req, res) => {
      res.json({
        users: this.store.count('User'),
        groups: this.store.count('Group'),
        faults: this.faults.stats,
      });
    });
    return router;
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
