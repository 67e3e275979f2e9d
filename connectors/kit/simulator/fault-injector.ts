import type { Request, RequestHandler, Response } from 'express';
import { SeededRandom } from './seeded-random.js';

/** Knobs a test (or `junction simulate --rate-429 …`) turns, also while a read is running. */
export interface FaultSettings {
  /** Added before every response. */
  latencyMs: number;
  /** Chance (0..1) that a request is answered with a rate-limit response. */
  rate429: number;
  /** The next N requests are rate limited (deterministic; counts down). */
  next429: number;
  /** Retry-After, in seconds, on injected rate-limit responses. */
  retryAfterSeconds: number;
  /** The next N requests fail with 500, 502, 503, 500, … (counts down). */
  burst5xx: number;
  /** Lifetime of the tokens / sessions the simulator issues. */
  tokenTtlSeconds: number;
}

export interface FaultStats {
  requests: number;
  injected429: number;
  injected5xx: number;
}

/** How the vendor answers when it limits or fails: simulators pass their vendor's shapes. */
export interface FaultResponders {
  tooManyRequests(req: Request, res: Response, retryAfterSeconds: number): void;
  serverError(req: Request, res: Response, status: number): void;
}

export const DEFAULT_FAULTS: FaultSettings = {
  latencyMs: 0,
  rate429: 0,
  next429: 0,
  retryAfterSeconds: 1,
  burst5xx: 0,
  tokenTtlSeconds: 7200,
};

const FAILURE_STATUSES = [500, 502, 503] as const;

const defaultResponders: FaultResponders = {
  tooManyRequests: (_req, res, retryAfterSeconds) => {
    res.status(429).set('retry-after', String(retryAfterSeconds)).json({ message: 'Too Many Requests' });
  },
  serverError: (_req, res, status) => {
    res.status(status).json({ message: 'simulated failure' });
  },
};

/**
 * Fault injection as middleware, mounted in front of a simulator's vendor routes. Settings change at run time
 * (`set`), and `stats` counts what was injected, so a test can prove a fault really happened mid-read.
 */
export class FaultInjector {
  settings: FaultSettings;
  readonly stats: FaultStats = { requests: 0, injected429: 0, injected5xx: 0 };
  private readonly random: SeededRandom;
  private readonly responders: FaultResponders;
  private failureIndex = 0;

  constructor(
    initial: Partial<FaultSettings> = {},
    private readonly options: {
      seed?: number;
      responders?: Partial<FaultResponders>;
      /** Requests never faulted (simulator controls, or a token endpoint the vendor keeps apart). */
      exempt?: (req: Request) => boolean;
    } = {},
  ) {
    this.settings = { ...DEFAULT_FAULTS, ...initial };
    this.random = new SeededRandom(options.seed ?? 42);
    this.responders = { ...defaultResponders, ...options.responders };
  }

  set(patch: Partial<FaultSettings>): void {
    this.settings = { ...this.settings, ...patch };
  }

  reset(): void {
    this.settings = { ...DEFAULT_FAULTS, tokenTtlSeconds: this.settings.tokenTtlSeconds };
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      if (req.path.startsWith('/_sim/') || this.options.exempt?.(req)) return next();
      this.stats.requests += 1;
      const act = (): void => {
        const s = this.settings;
        if (s.burst5xx > 0) {
          s.burst5xx -= 1;
          this.stats.injected5xx += 1;
          const status = FAILURE_STATUSES[this.failureIndex++ % FAILURE_STATUSES.length] ?? 500;
          return this.responders.serverError(req, res, status);
        }
        if (s.next429 > 0 || (s.rate429 > 0 && this.random.chance(s.rate429))) {
          if (s.next429 > 0) s.next429 -= 1;
          this.stats.injected429 += 1;
          return this.responders.tooManyRequests(req, res, s.retryAfterSeconds);
        }
        next();
      };
      if (this.settings.latencyMs > 0) setTimeout(act, this.settings.latencyMs);
      else act();
    };
  }
}
