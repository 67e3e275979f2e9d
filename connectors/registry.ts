import { bamboohrConnector } from './bamboohr/index.js';
import { kingdeeConnector } from './kingdee/index.js';
import type { RegisteredConnector } from './kit/contract.js';
import { ldapConnector } from './ldap/index.js';
import { scimConnector } from './scim/index.js';
import { wecomConnector } from './wecom/index.js';

/**
 * Every connector kind Junction knows. Adding a connector: add its id here AND its entry to CONNECTORS (and to
 * SIMULATORS in simulators.ts) in the same change — `satisfies` makes a missing or extra entry a compile error.
 */
export type ConnectorId = 'bamboohr' | 'kingdee' | 'ldap' | 'scim' | 'wecom';

export const CONNECTORS = {
  bamboohr: bamboohrConnector,
  kingdee: kingdeeConnector,
  ldap: ldapConnector,
  scim: scimConnector,
  wecom: wecomConnector,
} as const satisfies { [K in ConnectorId]: RegisteredConnector<K> };

export const CONNECTOR_IDS = Object.keys(CONNECTORS) as ConnectorId[];

export function isConnectorId(id: string): id is ConnectorId {
  return Object.hasOwn(CONNECTORS, id);
}

/** The definition for a stored connector id, or undefined when this build does not know it. */
export function findConnector(id: string): RegisteredConnector | undefined {
  return isConnectorId(id) ? CONNECTORS[id] : undefined;
}
