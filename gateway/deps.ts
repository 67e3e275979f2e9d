import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { Logger } from '../core/logger.js';

/** Everything the HTTP app needs, passed in so tests build the app against their own database and queue. */
export interface GatewayDeps {
  dataSource: DataSource;
  temporal: { client: Client; namespace: string; taskQueue: string };
  log: Logger;
  publicUrl: string;
}
