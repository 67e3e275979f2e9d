import type { Logger } from '../../core/logger.js';
import { findSlapd } from '../../connectors/ldap/slapd/find-slapd.js';
import { SIMULATORS, type RunningSimulator } from '../../connectors/simulators.js';
import { DEMO_SIMULATORS, type DemoSimulatorKey } from './demo-plan.js';

export interface RunningDemoSimulators {
  running: Partial<Record<DemoSimulatorKey, RunningSimulator>>;
  /** Simulators this machine cannot run (LDAP without slapd), with why. */
  skipped: { key: DemoSimulatorKey; reason: string }[];
  /** One line per simulator for the start-up banner. */
  describe(): string[];
  stop(): Promise<void>;
}

/**
 * Starts the demo's vendor simulators in this process, each on `basePort + offset` (or a free port when `basePort`
 * is 0, as tests do). The ports are fixed so that the connection configs the demo stored keep pointing at the
 * simulators after a restart. The simulators keep nothing across restarts: the HR ones regenerate the same people
 * from their seeds, the targets come back empty. LDAP runs a real slapd and is skipped, with a log line, on a
 * machine without one.
 */
export async function startDemoSimulators(options: {
  basePort: number;
  log: Logger;
  /** Only these (the ones a seeded demo's connections still use); default all. */
  only?: DemoSimulatorKey[];
  env?: NodeJS.ProcessEnv;
}): Promise<RunningDemoSimulators> {
  const running: Partial<Record<DemoSimulatorKey, RunningSimulator>> = {};
  const skipped: { key: DemoSimulatorKey; reason: string }[] = [];
  const stopAll = async (): Promise<void> => {
    // Reverse order, each on its own: one that fails to stop must not keep slapd (a child process) running.
    for (const key of (Object.keys(running) as DemoSimulatorKey[]).reverse()) {
      await running[key]?.stop().catch((error: unknown) => {
        options.log.warn({ err: error, simulator: key }, 'demo simulator did not stop cleanly');
      });
    }
  };

  try {
    for (const [key, plan] of Object.entries(DEMO_SIMULATORS) as [
      DemoSimulatorKey,
      (typeof DEMO_SIMULATORS)[DemoSimulatorKey],
    ][]) {
      if (options.only && !options.only.includes(key)) continue;
      if (plan.vendor === 'ldap') {
        const reason = slapdMissing(options.env);
        if (reason) {
          skipped.push({ key, reason });
          options.log.info(
            { simulator: key, reason },
            'slapd is not installed: the demo runs without its LDAP directory',
          );
          continue;
        }
      }
      const port = options.basePort === 0 ? 0 : options.basePort + plan.offset;
      try {
        running[key] = await SIMULATORS[plan.vendor]({
          people: plan.people,
          seed: plan.seed,
          port,
          host: '127.0.0.1',
          ...(plan.emailDomain ? { emailDomain: plan.emailDomain } : {}),
          ...(plan.departments ? { departments: plan.departments } : {}),
        });
      } catch (error) {
        const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
        throw new Error(
          inUse
            ? `the demo's ${plan.title} simulator cannot listen on port ${port}: it is in use; set JUNCTION_DEMO_SIMULATOR_BASE_PORT to a free range of ${Object.keys(DEMO_SIMULATORS).length} ports, or JUNCTION_SEED_DEMO=false`
            : `the demo's ${plan.title} simulator did not start: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    running,
    skipped,
    describe: () => [
      ...(Object.keys(running) as DemoSimulatorKey[]).map(
        (key) => `${DEMO_SIMULATORS[key].title.padEnd(32)} ${running[key]?.url ?? ''}`,
      ),
      ...skipped.map((s) => `${DEMO_SIMULATORS[s.key].title.padEnd(32)} not running: ${s.reason}`),
    ],
    stop: stopAll,
  };
}

function slapdMissing(env: NodeJS.ProcessEnv | undefined): string | undefined {
  try {
    findSlapd(env);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
