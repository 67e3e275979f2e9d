import { describeConformance } from '../kit/conformance/describe-conformance.js';
import { startScim2Server } from '../../test/harness/scim2-server.js';
import {
  SCIM_ROUND_TRIP_ATTRIBUTES,
  scimAccountInput,
  scimChangedAccountInput,
  type ScimConfigInput,
} from './conformance-harness.js';
import { scimConnector } from './index.js';
import { ScimSimulator } from './simulator.js';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from './urns.js';

const TOKEN = 'conformance-token';

// Against our simulator: the full suite, faults included.
describe('against the SCIM simulator', () => {
  describeConformance<ScimConfigInput>({
    definition: scimConnector,
    harness: {
      people: 1200,
      async start({ people, seed }) {
        const simulator = new ScimSimulator({ credentials: { bearerTokens: [TOKEN] } });
        simulator.seed({ people, seed });
        const baseUrl = await simulator.listen();
        return {
          config: { baseUrl, token: TOKEN },
          badCredentials: () => ({ baseUrl, token: 'not-the-token' }),
          faults: simulator.faults,
          counts: () => ({ accounts: simulator.store.count('User'), groups: simulator.store.count('Group') }),
          accountInput: scimAccountInput,
          changedAccountInput: scimChangedAccountInput,
          roundTripAttributes: SCIM_ROUND_TRIP_ATTRIBUTES,
          stop: () => simulator.close(),
        };
      },
    },
  });
});

/**
 * Against the real scim2-server (PyPI): the whole suite except fault injection, which a real peer has no knobs
 * for. It starts empty, so the harness provisions `people` users over its own API first (as another client would).
 */
const SEEDED = 240;
describe('against scim2-server (PyPI)', () => {
  describeConformance<ScimConfigInput>({
    definition: scimConnector,
    injectsFaults: false,
    harness: {
      people: SEEDED,
      pageSize: 50,
      async start() {
        const server = await startScim2Server({ token: TOKEN });
        try {
          await seedOverHttp(server.baseUrl, SEEDED);
        } catch (error) {
          await server.stop();
          throw error;
        }
        const baseUrl = server.baseUrl;
        return {
          config: { baseUrl, token: TOKEN },
          badCredentials: () => ({ baseUrl, token: 'not-the-token' }),
          // Read once before any write: the list test runs first in the suite.
          counts: () => ({ accounts: SEEDED }),
          accountInput: scimAccountInput,
          changedAccountInput: scimChangedAccountInput,
          roundTripAttributes: SCIM_ROUND_TRIP_ATTRIBUTES,
          stop: () => server.stop(),
        };
      },
    },
  });
});

async function seedOverHttp(baseUrl: string, count: number): Promise<void> {
  for (let n = 1; n <= count; n += 1) {
    const response = await fetch(`${baseUrl}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({
        schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        userName: `seeded.${n}@example.org`,
        externalId: `seeded-${n}`,
        displayName: `Seeded ${n}`,
        active: true,
        emails: [{ value: `seeded.${n}@example.org`, type: 'work', primary: true }],
        [ENTERPRISE_USER_SCHEMA]: { employeeNumber: `S${n}`, department: 'Seeded' },
      }),
    });
    if (response.status !== 201)
      throw new Error(`seeding scim2-server: HTTP ${response.status} ${await response.text()}`);
  }
}
