import type { Server } from 'node:http';
import express, { type Express, type Request } from 'express';
import { ExchangeRecorder } from './exchange-recorder.js';
import { FaultInjector, type FaultResponders, type FaultSettings } from './fault-injector.js';

export interface SimulatorHandle {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface SimulatorServerOptions {
  /** The vendor, for messages. */
  name: string;
  faults?: Partial<FaultSettings>;
  /** The vendor's answers to rate limits and failures. */
  responders?: Partial<FaultResponders>;
  /** Requests never faulted (say, a token endpoint). */
  exemptFromFaults?: (req: Request) => boolean;
  /** Seed of the fault sequence (rate429). */
  seed?: number;
}

/**
 * What every vendor simulator is built on: an express app with the exchange recorder and the fault injector in
 * front, and `/_sim/faults` to read or change the fault knobs from outside (`junction simulate` prints it).
 * The vendor's routes are added to `app` after construction, then `start()`.
 */
export class SimulatorServer {
  readonly app: Express;
  readonly faults: FaultInjector;
  readonly recorder = new ExchangeRecorder();
  private server: Server | undefined;

  constructor(readonly options: SimulatorServerOptions) {
    this.faults = new FaultInjector(options.faults, {
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.responders ? { responders: options.responders } : {}),
      ...(options.exemptFromFaults ? { exempt: options.exemptFromFaults } : {}),
    });
    this.app = express();
    this.app.disable('x-powered-by');
    this.app.disable('etag');
    this.app.get('/_sim/faults', (_req, res) => {
      res.json({ settings: this.faults.settings, stats: this.faults.stats });
    });
    this.app.put('/_sim/faults', express.json(), (req, res) => {
      const patch = parseFaultPatch(req.body);
      if (typeof patch === 'string') return void res.status(400).json({ error: patch });
      this.faults.set(patch);
      res.json({ settings: this.faults.settings, stats: this.faults.stats });
    });
    this.app.use(this.recorder.middleware());
    this.app.use(this.faults.middleware());
  }

  /** Listens on `port` (0: a free one) on loopback unless `host` says otherwise. */
  async start(port = 0, host = '127.0.0.1'): Promise<SimulatorHandle> {
    if (this.server) throw new Error(`${this.options.name} simulator already started`);
    const server = await new Promise<Server>((resolve, reject) => {
      const listening = this.app.listen(port, host, (error?: Error) =>
        error ? reject(error) : resolve(listening),
      );
    });
    this.server = server;
    const address = server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    return {
      url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${actualPort}`,
      port: actualPort,
      stop: () => this.stop(),
    };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  }
}

const KNOBS = [
  'latencyMs',
  'rate429',
  'next429',
  'retryAfterSeconds',
  'burst5xx',
  'tokenTtlSeconds',
] as const;

export function parseFaultPatch(body: unknown): Partial<FaultSettings> | string {
  if (typeof body !== 'object' || body === null) return 'expected a JSON object of fault settings';
  const patch: Partial<FaultSettings> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!(KNOBS as readonly string[]).includes(key))
      return `unknown fault setting "${key}" (known: ${KNOBS.join(', ')})`;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      return `${key} must be a number >= 0`;
    if (key === 'rate429' && value > 1) return 'rate429 is a probability between 0 and 1';
    patch[key as (typeof KNOBS)[number]] = value;
  }
  return patch;
}
