import { isConnectorId } from '../connectors/registry.js';
import { SIMULATORS } from '../connectors/simulators.js';

/**
 * A simulator in its own process, so a benchmark's memory figures are the reader's alone. Started with
 * `fork(simulator-process.js, [vendor, people, seed])`; reports `{ url, connectionConfig }` over IPC and stops
 * on the message "stop" (or when its parent goes away).
 */
async function main(): Promise<void> {
  const [vendor = '', people = '0', seed = '1'] = process.argv.slice(2);
  if (!isConnectorId(vendor)) throw new Error(`no simulator for "${vendor}"`);
  const running = await SIMULATORS[vendor]({ people: Number(people), seed: Number(seed) });
  const stop = async (): Promise<void> => {
    await running.stop();
    process.exit(0);
  };
  process.on('message', (message) => {
    if (message === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
  process.send?.({ url: running.url, connectionConfig: running.connectionConfig });
}

main().catch((error: unknown) => {
  process.send?.({ error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
