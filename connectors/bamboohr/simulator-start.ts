import type { RunningSimulator, SimulatorStartOptions } from '../simulators.js';
import { startBambooHrSimulator } from './simulator.js';

/** `junction simulate bamboohr` (and the benches): the simulator plus what to print about it. */
export async function startBambooHrSimulatorForCli(
  options: SimulatorStartOptions,
): Promise<RunningSimulator> {
  const { simulator, handle } = await startBambooHrSimulator(options);
  const { state, companyDomain } = simulator;
  return {
    url: handle.url,
    faults: simulator.faults,
    connectionConfig: simulator.connectionConfig(handle.url),
    notes: [
      `company domain ${companyDomain}; ${state.employees.length.toLocaleString('en')} employees (${state.activeCount.toLocaleString('en')} active), ${state.lists.department.options.length.toLocaleString('en')} departments`,
      `API: ${handle.url}/api/v1/… (OpenAPI form) and ${handle.url}/api/gateway.php/${companyDomain}/v1/… (documented gateway form); HTTP Basic with the API key as user name`,
      `try: curl -u '${String(simulator.connectionConfig(handle.url).apiKey)}:x' '${handle.url}/api/v1/employees?page%5Blimit%5D=5&fields=workEmail,departmentName'`,
    ],
    stop: handle.stop,
  };
}
