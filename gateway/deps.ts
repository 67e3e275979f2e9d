import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { Logger } from '../core/logger.js';
import type { Vault } from '../core/vault/vault.js';

/** Everything the HTTP app needs, passed in so tests build the app against their own database and queue. */
export interface GatewayDeps {
  dataSource: DataSource;
  temporal: { client: Client; namespace: string; taskQueue: string };
  log: Logger;
  publicUrl: string;
  /** Seals and opens secrets at rest (connection credentials, client secrets, IdP secrets). */
  vault: Vault;
}
