import type { RunningSimulator, SimulatorStartOptions } from '../simulators.js';
import { ScimSimulator } from './simulator.js';

const TOKEN = 'scim-simulator-token';
const OAUTH_CLIENT = { clientId: 'junction', clientSecret: 'scim-simulator-secret' };

/** `junction simulate scim`: the SCIM simulator seeded with a generated organisation's accounts. */
export async function startScimSimulator(options: SimulatorStartOptions): Promise<RunningSimulator> {
  const simulator = new ScimSimulator({
    credentials: { bearerTokens: [TOKEN], oauthClients: [OAUTH_CLIENT] },
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const seeded = simulator.seed({ people: options.people, seed: options.seed, divisionGroups: true });
  const scimBase = await simulator.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  // `url` is the server root, where /_sim/faults lives; the SCIM endpoints are below the base path.
  const origin = scimBase.slice(0, scimBase.length - simulator.basePath.length);
  return {
    url: origin,
    faults: simulator.faults,
    connectionConfig: { baseUrl: scimBase, authType: 'bearer', token: TOKEN },
    notes: [
      `${seeded.users.toLocaleString('en')} users in ${seeded.groups} groups; SCIM base ${scimBase} (RFC 7644: /ServiceProviderConfig, /ResourceTypes, /Schemas, /Users, /Groups)`,
      `bearer token ${TOKEN}; or OAuth client credentials at ${origin}/oauth/token (client ${OAUTH_CLIENT.clientId}, secret ${OAUTH_CLIENT.clientSecret})`,
    ],
    stop: () => simulator.close(),
  };
}
