import type { AccountInput, DepartmentInput, EmployeeRecordInput } from '../contract.js';
import type { FaultInjector } from '../simulator/fault-injector.js';

/** What a connector's simulator (or real peer) looks like to the conformance suite once started. */
export interface ConformanceTarget<Config> {
  /** A config pointing at the running simulator, with credentials it accepts. */
  config: Config;
  /** The same config with credentials the simulator rejects. */
  badCredentials(): Config;
  /** The simulator's fault knobs; absent for real peers (slapd, scim2-server): fault tests are skipped then. */
  faults?: FaultInjector;
  /** What the vendor holds right now, read from its state (not through the connector). */
  counts(): { people?: number; departments?: number; accounts?: number; groups?: number };
  /** Sources with incremental reads: change one person as an HR admin would; returns its external id. */
  changePerson?(): Promise<string> | string;
  /** Targets: an account the target accepts; `n` makes it unique. */
  accountInput?(n: number): AccountInput;
  /** Targets: the update step's change (default: a new display name and e-mail). */
  changedAccountInput?(input: AccountInput): AccountInput;
  /** Attribute names written on create / update that must read back unchanged. */
  roundTripAttributes?: readonly string[];
  /** Department writers: a department the target accepts under `parentExternalId` (null: the root). */
  departmentInput?(n: number, parentExternalId: string | null): DepartmentInput;
  /** Employee-record writers (finance). */
  employeeRecordInput?(n: number): EmployeeRecordInput;
  stop(): Promise<void>;
}

export interface ConformanceHarness<Config> {
  /** Starts the simulator seeded with `people` people (targets may ignore it or pre-seed accounts). */
  start(options: { people: number; seed: number }): Promise<ConformanceTarget<Config>>;
  /** People to seed. Default 1,200. */
  people?: number;
  /** Page size for reads; default: a quarter of `people`, so a full read spans at least 4 pages. */
  pageSize?: number;
}
