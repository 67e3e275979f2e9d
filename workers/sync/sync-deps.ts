import type { DataSource } from 'typeorm';
import type { Logger } from '../../core/logger.js';
import type { ConnectorOpener } from './connector-port.js';

/** What the sync activities need; bin builds it (database, connector registry + vault, logger, SSO hook). */
export interface SyncDeps {
  dataSource: DataSource;
  openConnector: ConnectorOpener;
  log: Logger;
  /**
   * Ends a leaver's SSO sessions and refresh tokens. Workers may not import sso/ (layers), so bin injects the SSO
   * module's function here; without it leavers lose accounts but keep live sessions until they expire.
   */
  endSessionsForPeople?: (personIds: string[]) => Promise<void>;
  tuning?: SyncTuning;
}

export interface SyncTuning {
  /** Records per page asked of connectors and read from the directory. */
  pageSize?: number;
  /** Vendor writes in flight at once inside one page activity. */
  writeConcurrency?: number;
  /** In-page attempts per object for transient vendor failures before the page activity itself is retried. */
  objectAttempts?: number;
  retryBaseDelayMs?: number;
}

export const DEFAULT_TUNING: Required<SyncTuning> = {
  pageSize: 500,
  writeConcurrency: 8,
  objectAttempts: 6,
  retryBaseDelayMs: 200,
};
