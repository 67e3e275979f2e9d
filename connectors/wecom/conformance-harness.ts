import type { ConformanceHarness } from '../kit/conformance/index.js';
import type { WeComConfig } from './index.js';
import { DEFAULT_CORP_ID, DEFAULT_SECRET, WeComSimulator } from './simulator.js';

/** The conformance harness for the WeCom simulator, for either way of listing members. */
export function wecomConformanceHarness(
  memberListing: WeComConfig['memberListing'],
): ConformanceHarness<WeComConfig> {
  return {
    // Listing members costs a user/get each (WeCom has no batch read): a few hundred keep the suite quick.
    people: 240,
    start: async ({ people, seed }) => {
      const sim = new WeComSimulator({ people, seed, extattrNames: ['工号'] });
      const { url } = await sim.start();
      const config: WeComConfig = {
        corpId: DEFAULT_CORP_ID,
        corpSecret: DEFAULT_SECRET,
        baseUrl: url,
        rootDepartmentId: 1,
        useridFrom: 'correlationId',
        emailField: 'email',
        invite: false,
        matchByEmail: false,
        memberListing,
        requestsPerSecond: 1000,
      };
      return {
        config,
        badCredentials: () => ({ ...config, corpSecret: 'not-the-contacts-secret' }),
        faults: sim.faults,
        counts: () => ({ accounts: sim.members.size, departments: sim.tree.size - 1 }),
        accountInput: (n) => ({
          correlationId: `C${String(n).padStart(5, '0')}`,
          userName: `conformance.${n}`,
          email: `conformance.${n}@example.com`,
          displayName: `Conformance ${n}`,
          active: true,
          attributes: {
            position: 'Tester',
            mobile: `+86 139${String(n).padStart(8, '0')}`,
            'extattr.工号': `C${n}`,
          },
        }),
        changedAccountInput: (input) => ({
          ...input,
          displayName: `${input.displayName} (changed)`,
          email: `changed.${input.email ?? 'x@example.com'}`,
          attributes: { ...input.attributes, position: 'Lead Tester', 'extattr.工号': 'C-changed' },
        }),
        roundTripAttributes: ['position', 'mobile', 'extattr.工号'],
        departmentInput: (n, parentExternalId) => ({
          correlationId: `conformance-department-${n}`,
          name: `Conformance ${n}`,
          parentExternalId,
        }),
        stop: () => sim.stop(),
      };
    },
  };
}
