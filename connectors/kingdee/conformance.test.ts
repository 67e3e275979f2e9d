import { describeConformance } from '../kit/conformance/index.js';
import type { KingdeeConfig } from './config.js';
import { kingdeeConnector } from './index.js';
import { KINGDEE_SIMULATOR_DEFAULTS as D, KingdeeSimulator } from './simulator.js';

/**
 * The shared conformance suite against the Kingdee simulator. Kingdee is a finance target, so the suite's source
 * cases (readPeople: paged reads, resume, faults mid-read, incremental) do not apply — it declares no readPeople;
 * paged reads with faults and session expiry mid-read are covered for listAccounts in connector.test.ts. Accounts
 * are 员工 records keyed by employee number (the user name here), departments 部门 records keyed by number.
 */
describeConformance<KingdeeConfig>({
  definition: kingdeeConnector,
  harness: {
    async start({ people, seed }) {
      const sim = new KingdeeSimulator({ people, seed });
      const handle = await sim.start();
      const config = kingdeeConnector.configSchema.parse({
        baseUrl: handle.baseUrl,
        acctId: D.acctId,
        username: D.userName,
        password: D.password,
        orgNumber: D.orgNumber,
      });
      return {
        config,
        badCredentials: () => ({ ...config, password: 'not-the-password' }),
        faults: sim.server.faults,
        counts: () => ({ accounts: sim.state.employees.size, departments: sim.state.departments.size }),
        accountInput: (n) => ({
          correlationId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
          userName: `CF${String(n).padStart(4, '0')}`,
          email: `conformance.${n}@example.com`,
          displayName: `Conformance ${n}`,
          active: true,
          attributes: { FMobile: `+86 1390000${String(n).padStart(4, '0')}` },
          departmentExternalIds: ['D0002'],
        }),
        changedAccountInput: (input) => ({
          ...input,
          displayName: `${input.displayName} (changed)`,
          email: `changed.${input.email ?? ''}`,
          attributes: { ...input.attributes, FMobile: '+86 13911112222' },
          departmentExternalIds: ['D0003'],
        }),
        roundTripAttributes: ['FMobile'],
        departmentInput: (n, parentExternalId) => ({
          correlationId: `dept-${n}`,
          name: `Conformance Department ${n}`,
          parentExternalId,
          code: `CD${String(n).padStart(3, '0')}`,
        }),
        employeeRecordInput: (n) => ({
          correlationId: `person-${n}`,
          employeeNumber: `ER${String(n).padStart(4, '0')}`,
          name: `Record ${n}`,
          email: `record.${n}@example.com`,
          phone: '+86 13800001111',
          departmentExternalId: 'D0002',
          jobTitle: 'Accountant',
          costCenter: 'CC-1002',
          active: true,
          attributes: {},
        }),
        stop: () => sim.stop(),
      };
    },
  },
});
