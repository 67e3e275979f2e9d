import { startBambooHrSimulator } from './bamboohr/simulator.js';
import { startKingdeeSimulator } from './kingdee/simulator.js';
import type { FaultInjector, FaultSettings } from './kit/simulator/fault-injector.js';
import { startLdapSimulatorForCli } from './ldap/simulator-start.js';
import type { ConnectorId } from './registry.js';
import { startScimSimulator } from './scim/simulator-start.js';
import { startWeComSimulator } from './wecom/simulator-start.js';

export interface SimulatorStartOptions {
  /** People to generate (at least 100,000 must work). */
  people: number;
  seed: number;
  /** 0 or absent: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  faults?: Partial<FaultSettings>;
}

export interface RunningSimulator {
  url: string;
  faults: FaultInjector;
  /** A complete config (secrets included) for a connection to this simulator: what `junction simulate` prints. */
  connectionConfig: Record<string, unknown>;
  /** Extra lines for the person starting it (credentials, limits). */
  notes: string[];
  stop(): Promise<void>;
}

export type SimulatorFactory = (options: SimulatorStartOptions) => Promise<RunningSimulator>;

/** Every connector kind has a simulator: a missing one is a compile error, as in the registry. */
export const SIMULATORS = {
  bamboohr: async (options) => {
    const { simulator, handle } = await startBambooHrSimulator(options);
    return {
      url: handle.url,
      faults: simulator.faults,
      connectionConfig: simulator.connectionConfig(handle.url),
      notes: [
        `company domain ${simulator.companyDomain}; ${simulator.state.employees.length.toLocaleString('en')} employees, ${simulator.state.lists.department.options.length} departments`,
        `API paths: ${handle.url}/api/v1/… and ${handle.url}/api/gateway.php/${simulator.companyDomain}/v1/…`,
      ],
      stop: handle.stop,
    };
  },
  kingdee: startKingdeeSimulator,
  ldap: startLdapSimulatorForCli,
  scim: startScimSimulator,
  wecom: startWeComSimulator,
} as const satisfies { [K in ConnectorId]: SimulatorFactory };
