import { ApplicationFailure } from '@temporalio/common';
import { createLogger } from '../../core/logger.js';
import type { SyncDeps } from '../sync/sync-deps.js';
import { createHousekeepingActivities, type HousekeepingDeps } from './housekeeping.js';
import { createRoleRuleActivities } from './role-rules.js';
import { createSyncActivities } from './sync.js';

/** Sync dependencies are optional so a worker without connectors (some tests) still runs housekeeping. */
export type ActivityDeps = HousekeepingDeps & Partial<Omit<SyncDeps, 'dataSource'>>;

/** Every activity the worker registers, built from its dependencies (no module-level state). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createHousekeepingActivities(deps),
    ...createRoleRuleActivities(deps),
    ...createSyncActivities({
      ...deps,
      log: deps.log ?? createLogger({ level: 'info', name: 'junction-worker' }),
      openConnector:
        deps.openConnector ??
        (() => {
          throw ApplicationFailure.nonRetryable(
            'this worker was started without connectors',
            'invalid_config',
          );
        }),
    }),
  };
}
