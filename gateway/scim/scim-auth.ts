import type { Request } from 'express';
import { IsNull, type EntityManager } from 'typeorm';
import { ApiToken, Connection } from '../../core/entities/index.js';
import { bearerToken, hashToken, tokenKind } from '../api/auth/token-secret.js';
import { SCIM_INBOUND_CONNECTOR } from '../api/resources/push-sources.js';
import { scimErrors } from './scim-error.js';

/** Who is provisioning: one SCIM token, bound to one source connection of one tenant. */
export interface ScimCaller {
  tokenId: string;
  tokenName: string;
  tenantId: string;
  connectionId: string;
}

const LAST_USED_RESOLUTION_MS = 60_000;

/** RFC 7644 §2: bearer token (RFC 6750). An admin API token is not a SCIM token, and vice versa. */
export async function authenticateScim(req: Request, manager: EntityManager): Promise<ScimCaller> {
  const token = bearerToken(req.headers.authorization);
  if (!token || tokenKind(token) !== 'scim')
    throw scimErrors.unauthorized('A Junction SCIM bearer token is required');
  const repo = manager.getRepository(ApiToken);
  const row = await repo.findOne({
    where: { tokenHash: hashToken(token), kind: 'scim', revokedAt: IsNull() },
  });
  if (!row?.connectionId) throw scimErrors.unauthorized('The SCIM token is unknown or revoked');
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now())
    throw scimErrors.unauthorized('The SCIM token has expired');
  const connection = await manager.getRepository(Connection).findOne({ where: { id: row.connectionId } });
  if (!connection || connection.connectorId !== SCIM_INBOUND_CONNECTOR) {
    throw scimErrors.unauthorized('The SCIM token’s connection no longer exists');
  }
  if (!connection.enabled) throw scimErrors.unauthorized('The SCIM connection is disabled');
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await repo.update({ id: row.id }, { lastUsedAt: new Date(), version: () => 'version' });
  }
  return { tokenId: row.id, tokenName: row.name, tenantId: connection.tenantId, connectionId: connection.id };
}
