import { fork, type ChildProcess } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../core/logger.js';
import type { ConnectorContext, RegisteredConnector } from '../connectors/kit/contract.js';
import { CONNECTORS } from '../connectors/registry.js';

/**
 * `npm run bench -- connectors [--n 100000] [--connectors bamboohr,ldap] [--page-size N]`: reads N simulated
 * people through the kit for each source connector, at the connector's documented rate limit, with the simulator
 * in its own process. Pages are dropped as they are read (as the sync engine checkpoints them), so memory must
 * stay flat: RSS and heap are sampled after a GC at 10,000 people and at the end.
 */
export async function runConnectorsBench(argv: string[]): Promise<void> {
  const n = Number(option(argv, '--n') ?? 100_000);
  const only = option(argv, '--connectors')?.split(',');
  const pageSize = option(argv, '--page-size');
  const all: RegisteredConnector[] = Object.values(CONNECTORS);
  const sources = all.filter((d) => d.capabilities.includes('readPeople') && (!only || only.includes(d.id)));
  for (const definition of sources) {
    try {
      print(await readAllPeople(definition, n, pageSize === undefined ? undefined : Number(pageSize)));
    } catch (error) {
      print({
        bench: 'connectors.read',
        connector: definition.id,
        n,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

async function readAllPeople(
  definition: RegisteredConnector,
  n: number,
  pageSize: number | undefined,
): Promise<Record<string, unknown>> {
  const simulator = await startSimulatorProcess(definition.id, n);
  try {
    const ctx = {
      connectionId: `bench-${definition.id}`,
      config: definition.configSchema.parse(simulator.connectionConfig),
      log: createLogger({ level: process.env.LOG_LEVEL ?? 'warn', name: 'bench-connectors' }),
    } as ConnectorContext<never>;
    const instance = definition.create(ctx);
    const readPeople = instance.readPeople?.bind(instance);
    if (!readPeople) throw new Error(`${definition.id} declares readPeople but has no readPeople method`);
    const gc = exposeGc();
    gc();
    const baseline = memory();
    let peakRss = baseline.rss;
    let at10k: ReturnType<typeof memory> | undefined;
    let read = 0;
    let pages = 0;
    let cursor: string | null = null;
    const started = performance.now();
    do {
      const page = await readPeople({ cursor, ...(pageSize ? { pageSize } : {}) });
      read += page.items.length;
      pages += 1;
      cursor = page.nextCursor;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (!at10k && read >= 10_000) {
        gc();
        at10k = memory();
      }
    } while (cursor !== null);
    const seconds = (performance.now() - started) / 1000;
    gc();
    const end = memory();
    await instance.close?.();
    if (read !== n) throw new Error(`read ${read} people, expected ${n}`);
    return {
      bench: 'connectors.read',
      connector: definition.id,
      n: read,
      pages,
      seconds: round(seconds, 2),
      per_s: Math.round(read / seconds),
      rate_limit_rps: definition.rateLimit.requestsPerSecond,
      peak_rss_mb: mb(peakRss),
      rss_mb_start: mb(baseline.rss),
      rss_mb_at_10k: at10k ? mb(at10k.rss) : null,
      [`rss_mb_at_${Math.round(n / 1000)}k`]: mb(end.rss),
      heap_mb_at_10k: at10k ? mb(at10k.heap) : null,
      [`heap_mb_at_${Math.round(n / 1000)}k`]: mb(end.heap),
    };
  } finally {
    await simulator.stop();
  }
}

function startSimulatorProcess(
  vendor: string,
  people: number,
): Promise<{ connectionConfig: Record<string, unknown>; stop(): Promise<void> }> {
  const script = fileURLToPath(new URL('./simulator-process.js', import.meta.url));
  const child: ChildProcess = fork(script, [vendor, String(people), '1'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.send('stop');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  return new Promise((resolve, reject) => {
    child.once(
      'message',
      (message: { url?: string; connectionConfig?: Record<string, unknown>; error?: string }) => {
        if (message.error || !message.connectionConfig) {
          reject(new Error(`${vendor} simulator did not start: ${message.error ?? 'no config'}`));
          return;
        }
        resolve({ connectionConfig: message.connectionConfig, stop });
      },
    );
    child.once('exit', (code) => reject(new Error(`${vendor} simulator exited with code ${code}`)));
  });
}

/**
 * `global.gc` without restarting node with --expose-gc (npm run bench runs plain `node`): the flag can be set at
 * run time, and a fresh context then exposes the function.
 */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  return gc ?? (() => undefined);
}

function memory(): { rss: number; heap: number } {
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed };
}

function mb(bytes: number): number {
  return round(bytes / 1024 / 1024, 1);
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function print(figure: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

function option(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
}
