import type { DataSource } from 'typeorm';
import { SyncRun } from '../../core/entities/index.js';

export interface HousekeepingDeps {
  dataSource: DataSource;
}

/** Tables whose rows carry their own expiry, pruned in batches so one run never holds a long lock. */
const EXPIRING_TABLES = [
  { table: 'oidc_payloads', column: 'expires_at' },
  { table: 'expiring_entries', column: 'expires_at' },
  { table: 'sso_sessions', column: 'expires_at' },
] as const;

const BATCH = 5_000;

export function createHousekeepingActivities({ dataSource }: HousekeepingDeps) {
  return {
    /** Deletes rows past their expiry and records the run (kind `housekeeping`) with what it removed. */
    async pruneExpiredRows(): Promise<{ runId: string; deleted: number; perTable: Record<string, number> }> {
      const started = new Date();
      const perTable: Record<string, number> = {};
      for (const { table, column } of EXPIRING_TABLES) {
        let total = 0;
        for (;;) {
          const [{ n }] = (await dataSource.query(
            `WITH gone AS (
               DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${column} < now() LIMIT ${BATCH})
               RETURNING 1
             ) SELECT count(*)::int AS n FROM gone`,
          )) as [{ n: number }];
          total += n;
          if (n < BATCH) break;
        }
        perTable[table] = total;
      }
      const deleted = Object.values(perTable).reduce((sum, n) => sum + n, 0);
      const run = await dataSource.getRepository(SyncRun).save({
        kind: 'housekeeping',
        trigger: 'schedule',
        mode: 'full',
        status: 'succeeded',
        counts: { deleted },
        startedAt: started,
        finishedAt: new Date(),
      });
      return { runId: run.id, deleted, perTable };
    },
  };
}
