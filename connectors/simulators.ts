import { startBambooHrSimulatorForCli } from './bamboohr/simulator-start.js';
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
  /** Work e-mail domain of the generated people, where the simulator generates any (each has its default). */
  emailDomain?: string;
  /** Departments of the generated organisation (default one per 40 people); more departments, more divisions. */
  departments?: number;
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
  bamboohr: startBambooHrSimulatorForCli,
  kingdee: startKingdeeSimulator,
  ldap: startLdapSimulatorForCli,
  scim: startScimSimulator,
  wecom: startWeComSimulator,
} as const satisfies { [K in ConnectorId]: SimulatorFactory };
