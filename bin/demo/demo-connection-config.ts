import type { RunningSimulator } from '../../connectors/simulators.js';
import type { DemoConnectionPlan } from './demo-plan.js';

/** A demo connection's raw config: what its simulator says a connection needs, plus the demo's own settings. */
export function demoConnectionConfig(
  simulator: RunningSimulator,
  plan: Pick<DemoConnectionPlan, 'extraConfig'>,
): Record<string, unknown> {
  return { ...simulator.connectionConfig, ...plan.extraConfig };
}
