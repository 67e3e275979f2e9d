import { createLogger } from '../../core/logger.js';
import type { FaultSettings } from '../../connectors/kit/simulator/fault-injector.js';
import { CONNECTORS, isConnectorId } from '../../connectors/registry.js';
import { SIMULATORS, type RunningSimulator } from '../../connectors/simulators.js';
import { Lifecycle } from '../runtime/lifecycle.js';

export interface SimulateOptions {
  port: number;
  host: string;
  people: number;
  seed: number;
  faults: Partial<FaultSettings>;
}

/**
 * `junction simulate <vendor>`: one vendor simulator, standalone, seeded with generated people; prints its URL,
 * how to turn the fault knobs, and a connection config to paste. Runs until Ctrl-C.
 */
export async function simulateCommand(vendor: string, options: SimulateOptions): Promise<void> {
  const running = await startSimulator(vendor, options, (line) => process.stdout.write(`${line}\n`));
  const life = new Lifecycle(createLogger({ name: 'junction-simulate' }));
  life.add(`${vendor} simulator`, running.stop);
  life.handleSignals();
}

/** Starts the simulator and prints what a connector author needs (in-process, so tests can call it). */
export async function startSimulator(
  vendor: string,
  options: SimulateOptions,
  print: (line: string) => void,
): Promise<RunningSimulator> {
  if (!isConnectorId(vendor)) {
    throw new Error(`no simulator for "${vendor}"; available: ${Object.keys(SIMULATORS).join(', ')}`);
  }
  const running = await SIMULATORS[vendor]({
    people: options.people,
    seed: options.seed,
    port: options.port,
    host: options.host,
    faults: options.faults,
  });
  print(`${CONNECTORS[vendor].title} simulator listening on ${running.url}`);
  for (const note of running.notes) print(`  ${note}`);
  print(`  fault knobs: GET/PUT ${running.url}/_sim/faults, e.g.`);
  print(
    `    curl -X PUT -H 'content-type: application/json' -d '{"rate429":0.1,"burst5xx":3}' ${running.url}/_sim/faults`,
  );
  const active = Object.entries(running.faults.settings).filter(
    ([key, value]) => key !== 'tokenTtlSeconds' && value !== 0 && key !== 'retryAfterSeconds',
  );
  if (active.length > 0) print(`  faults on: ${active.map(([k, v]) => `${k}=${String(v)}`).join(', ')}`);
  print('');
  print(`Connection config (connector "${vendor}"; paste into the admin API or console):`);
  print(JSON.stringify(running.connectionConfig, null, 2));
  print('');
  print('Ctrl-C stops it.');
  return running;
}
