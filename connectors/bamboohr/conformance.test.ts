import { describeConformance } from '../kit/conformance/describe-conformance.js';
import { bamboohrConnector } from './index.js';
import { startBambooHrSimulator } from './simulator.js';

/** BambooHR against its simulator: 3,000 people, pages of 500, a 429 and a 5xx burst mid-read. */
describeConformance({
  definition: bamboohrConnector,
  harness: {
    people: 3000,
    pageSize: 500,
    start: async ({ people, seed }) => {
      const { simulator, handle } = await startBambooHrSimulator({ people, seed });
      const config = simulator.connectionConfig(handle.url);
      return {
        config,
        badCredentials: () => ({ ...config, apiKey: '0123456789abcdef0123456789abcdef01234567' }),
        faults: simulator.faults,
        counts: () => ({
          people: simulator.state.employees.length,
          departments: simulator.state.lists.department.options.filter((o) => o.archived === 'no').length,
        }),
        changePerson: () => {
          const employee = simulator.state.employees[1234];
          if (!employee) throw new Error('the simulator has fewer people than the harness asked for');
          simulator.state.update(employee.id, { jobTitle: 'Principal Engineer' });
          return String(employee.id);
        },
        stop: handle.stop,
      };
    },
  },
});
