import type { ConnectorDefinition, RateLimit } from '../kit/contract.js';
import { ScimAccounts } from './accounts.js';
import { checkConnection } from './check.js';
import { ScimClient } from './client.js';
import { scimConfigSchema } from './config.js';
import { ScimGroups } from './groups.js';

export { scimConfigSchema, type ScimConfig } from './config.js';

/** No RFC sets a rate; a conservative default that a connection overrides with `requestsPerSecond`. */
const DEFAULT_RATE_LIMIT: RateLimit = { requestsPerSecond: 10, burst: 20 };

const CAPABILITIES = ['check', 'listAccounts', 'listGroups', 'writeAccounts', 'writeGroupMembers'] as const;

/**
 * Generic outbound SCIM 2.0 provisioning (RFC 7643, RFC 7644): the target side of Slack, Zoom, Atlassian,
 * GitHub and any other service provider that speaks SCIM.
 */
export const scimConnector: ConnectorDefinition<
  'scim',
  typeof scimConfigSchema,
  (typeof CAPABILITIES)[number]
> = {
  id: 'scim',
  category: 'office',
  title: 'SCIM 2.0',
  description:
    'Provisions users and group memberships to any SCIM 2.0 service provider (Slack, Zoom, Atlassian, GitHub, …): PATCH or PUT with ETags, externalId correlation, the enterprise extension.',
  docsUrl: 'https://www.rfc-editor.org/rfc/rfc7644',
  directions: ['target'],
  configSchema: scimConfigSchema,
  capabilities: CAPABILITIES,
  rateLimit: DEFAULT_RATE_LIMIT,
  create(ctx) {
    const client = new ScimClient(ctx.config, {
      connectionId: ctx.connectionId,
      log: ctx.log,
      rateLimit: DEFAULT_RATE_LIMIT,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const accounts = new ScimAccounts(client, ctx.log);
    const groups = new ScimGroups(client, ctx.log);
    return {
      check: () => checkConnection(client),
      listAccounts: (request) => accounts.listAccounts(request),
      findAccount: (input) => accounts.findAccount(input),
      createAccount: (input, options) => accounts.createAccount(input, options),
      updateAccount: (externalId, input) => accounts.updateAccount(externalId, input),
      disableAccount: (externalId) => accounts.disableAccount(externalId),
      deleteAccount: (externalId) => accounts.deleteAccount(externalId),
      listGroups: (request) => groups.listGroups(request),
      setGroupMembers: (name, members) => groups.setGroupMembers(name, members),
    };
  },
};
