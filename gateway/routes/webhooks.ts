import { createHmac, timingSafeEqual, createHash } from 'node:crypto';
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { openConnector } from '../../connectors/open-connector.js';
import { findConnector } from '../../connectors/registry.js';
import type { RegisteredConnector } from '../../connectors/kit/contract.js';
import { Connection } from '../../core/entities/index.js';
import { JunctionError, NotFoundError } from '../../core/errors.js';
import { signalWebhookSync } from '../../workers/client.js';
import type { GatewayDeps } from '../deps.js';

/** The vault context a connection's generic webhook secret is sealed under (the admin API seals with it). */
export function webhookSecretContext(connectionId: string): string {
  return `connection:${connectionId}:webhook`;
}

/** Generic signature for vendors that do not sign their own way: hex HMAC-SHA256 of the raw body. */
export const SIGNATURE_HEADER = 'x-junction-signature';
export const DELIVERY_HEADER = 'x-junction-delivery';

/** How long a delivery id is remembered: vendors retry for hours, not weeks. */
const DEDUPE_DAYS = 7;
const MAX_BODY = '1mb';

const params = z.object({ connectionId: z.uuid() });

/**
 * `POST /hooks/:connectionId`: a vendor says something changed. The signature is checked the vendor's way (the
 * connector's `verifyWebhook`) or, for vendors that do not sign, against the connection's webhook secret; a delivery
 * already seen is acknowledged and dropped; otherwise an incremental sync is signalled-with-start, so a burst of
 * deliveries becomes one run plus one follow-up read.
 */
export function webhookRoutes(
  deps: GatewayDeps,
  options: { findConnector?: (id: string) => RegisteredConnector | undefined } = {},
): Router {
  const router = Router();
  router.post(
    '/hooks/:connectionId',
    express.raw({ type: () => true, limit: MAX_BODY }),
    async (req, res, next) => {
      try {
        const parsed = params.safeParse(req.params);
        if (!parsed.success) throw new NotFoundError('webhook');
        const { connectionId } = parsed.data;
        const connection = await deps.dataSource.getRepository(Connection).findOneBy({ id: connectionId });
        // One answer for "no such connection" and "not a source that takes webhooks": nothing to probe.
        if (!connection || !connection.enabled || connection.direction !== 'source')
          throw new NotFoundError('webhook');
        const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const deliveryId = verify(deps, connection, req, rawBody, options.findConnector ?? findConnector);

        const key = `${connection.id}:${deliveryId}`.slice(0, 512);
        const fresh = (await deps.dataSource.query(
          `INSERT INTO expiring_entries (namespace, key, value, expires_at)
         VALUES ('webhook-delivery', $1, '{}', now() + ($2 || ' days')::interval)
         ON CONFLICT (namespace, key) DO NOTHING RETURNING key`,
          [key, String(DEDUPE_DAYS)],
        )) as unknown[];
        if (fresh.length === 0) {
          res.status(200).json({ status: 'duplicate', deliveryId });
          return;
        }
        try {
          const started = await signalWebhookSync(
            deps.temporal.client,
            deps.temporal.taskQueue,
            connection.id,
            deliveryId,
          );
          res.status(202).json({ status: 'accepted', deliveryId, workflowId: started.workflowId });
        } catch (error) {
          // Forget the delivery so the vendor's retry is not taken for a duplicate.
          await deps.dataSource.query(
            `DELETE FROM expiring_entries WHERE namespace = 'webhook-delivery' AND key = $1`,
            [key],
          );
          deps.log.error({ err: error, connectionId: connection.id }, 'webhook: could not start the sync');
          throw new JunctionError({
            code: 'sync_unavailable',
            status: 503,
            publicMessage: 'the sync engine is unavailable; retry later',
          });
        }
      } catch (error) {
        next(error);
      }
    },
  );
  return router;
}

function verify(
  deps: GatewayDeps,
  connection: Connection,
  req: Request,
  rawBody: Buffer,
  find: (id: string) => RegisteredConnector | undefined,
): string {
  const definition = find(connection.connectorId);
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : v]),
  );
  if (definition?.capabilities.includes('verifyWebhook')) {
    const { instance } = openConnector(connection, { vault: deps.vault, log: deps.log, findConnector: find });
    const result = instance.verifyWebhook?.({ headers, rawBody }) ?? null;
    if (!result) throw invalidSignature();
    return result.deliveryId;
  }
  if (!connection.webhookSecretSealed) throw new NotFoundError('webhook');
  const secret = deps.vault.open(connection.webhookSecretSealed, webhookSecretContext(connection.id));
  const given = (headers[SIGNATURE_HEADER] ?? '').replace(/^sha256=/, '');
  const expected = createHmac('sha256', secret).update(rawBody).digest('hex');
  const a = Buffer.from(given, 'hex');
  const b = Buffer.from(expected, 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw invalidSignature();
  return headers[DELIVERY_HEADER]?.slice(0, 200) || createHash('sha256').update(rawBody).digest('hex');
}

function invalidSignature(): JunctionError {
  return new JunctionError({
    code: 'webhook_signature_invalid',
    status: 401,
    publicMessage: 'the webhook signature is missing or wrong',
  });
}
