import { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { Logger } from '../../core/logger.js';
import type { Vault } from '../../core/vault/vault.js';
import { ensureHousekeepingSchedule } from '../../workers/schedules.js';
import { connectClient, type TemporalTarget } from '../../workers/temporal-connection.js';

/** Starts the HTTP gateway with its Temporal client, and makes sure the periodic schedules exist. */
export async function runGateway(options: {
  target: TemporalTarget;
  dataSource: DataSource;
  log: Logger;
  port: number;
  publicUrl: string;
  vault: Vault;
}): Promise<{ url: string; stop: () => Promise<void> }> {
  const connection = await connectClient(options.target);
  const client = new Client({ connection, namespace: options.target.namespace });
  await ensureHousekeepingSchedule(client, options.target.taskQueue);
  // The HTTP app (and the SSO stack in it) is loaded only after Temporal answered, so a configuration error stays
  // one line instead of following oidc-provider's runtime notice.
  const { startGateway } = await import('../../gateway/server.js');
  const gateway = await startGateway(
    {
      dataSource: options.dataSource,
      temporal: { client, namespace: options.target.namespace, taskQueue: options.target.taskQueue },
      log: options.log,
      publicUrl: options.publicUrl,
      vault: options.vault,
    },
    options.port,
  );
  options.log.info({ url: options.publicUrl }, 'gateway listening');
  return {
    url: gateway.url,
    stop: async () => {
      await gateway.close();
      await connection.close();
    },
  };
}
