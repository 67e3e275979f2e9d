import { z } from 'zod';
import { secretFieldNames } from '../../../connectors/kit/config-schema.js';
import type { RegisteredConnector } from '../../../connectors/kit/contract.js';
import { CONNECTORS } from '../../../connectors/registry.js';
import { defineRoute } from '../http/route.js';
import { SCIM_INBOUND_CONNECTOR } from './push-sources.js';

export const ConnectorOut = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    category: z.string(),
    directions: z.array(z.enum(['source', 'target'])),
    capabilities: z.array(z.string()),
    docsUrl: z.string(),
    secretFields: z.array(z.string()),
    configSchema: z
      .record(z.string(), z.unknown())
      .describe('JSON Schema (2020-12) of the config; secrets are writeOnly'),
    pushOnly: z.boolean().describe('Pushed to (inbound SCIM) rather than read by the sync engine'),
  })
  .meta({ id: 'Connector' });

type ConnectorView = z.infer<typeof ConnectorOut>;

function describeConnector(definition: RegisteredConnector): ConnectorView {
  return {
    id: definition.id,
    title: definition.title,
    description: definition.description,
    category: definition.category,
    directions: [...definition.directions],
    capabilities: [...definition.capabilities],
    docsUrl: definition.docsUrl,
    secretFields: secretFieldNames(definition.configSchema),
    configSchema: z.toJSONSchema(definition.configSchema, {
      target: 'draft-2020-12',
      io: 'input',
      unrepresentable: 'any',
    }) as Record<string, unknown>,
    pushOnly: false,
  };
}

const SCIM_INBOUND: ConnectorView = {
  id: SCIM_INBOUND_CONNECTOR,
  title: 'Inbound SCIM (Okta, Microsoft Entra…)',
  description:
    'Your group identity provider provisions people and groups into Junction at /scim/v2 with a SCIM token bound to this connection.',
  category: 'directory',
  directions: ['source'],
  capabilities: [],
  docsUrl: 'https://datatracker.ietf.org/doc/html/rfc7644',
  secretFields: [],
  configSchema: { type: 'object', properties: {}, additionalProperties: false },
  pushOnly: true,
};

/** The catalogue, built once: every registered connector and the inbound SCIM push source. */
export function connectorCatalogue(): ConnectorView[] {
  return [...Object.values(CONNECTORS).map((d) => describeConnector(d as RegisteredConnector)), SCIM_INBOUND];
}

export const connectorRoutes = [
  defineRoute({
    method: 'get',
    path: '/connectors',
    operationId: 'listConnectors',
    summary:
      'The connector kinds this Junction has, with their config schemas (the console builds forms from them)',
    tag: 'Connections',
    permission: 'read',
    responses: {
      200: { description: 'Every connector', schema: z.object({ items: z.array(ConnectorOut) }) },
    },
    handle: () => Promise.resolve({ status: 200, body: { items: connectorCatalogue() } }),
  }),
];
