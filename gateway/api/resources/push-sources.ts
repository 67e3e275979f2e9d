/**
 * Source connections that are pushed to rather than read: an inbound SCIM client (Okta, Entra) writes people and
 * groups through `/scim/v2` with a token bound to such a connection. They have no config, no credentials and no
 * schedule, and the sync engine never reads from them; they are not in the connector registry for that reason.
 */
export const SCIM_INBOUND_CONNECTOR = 'scim-inbound';

export const PUSH_SOURCE_CONNECTORS = [SCIM_INBOUND_CONNECTOR] as const;

export function isPushSource(connectorId: string): boolean {
  return (PUSH_SOURCE_CONNECTORS as readonly string[]).includes(connectorId);
}
