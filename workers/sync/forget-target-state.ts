import type { DataSource } from 'typeorm';

/**
 * The system behind a target connection was replaced by an empty one (a simulator restarted, a vendor sandbox
 * reset): forget what Junction pushed there, so the next full run creates accounts, departments and groups again
 * instead of updating ids that no longer exist. A full reconcile alone repairs vanished accounts, but it trusts the
 * department and group ids it stored, and every account placed in a vanished department would then fail.
 * Account rows stay (their history and sync events keep pointing at them); they lose their target ids and hashes.
 */
export async function forgetTargetState(
  ds: DataSource,
  connectionId: string,
): Promise<{ accounts: number; records: number }> {
  return ds.transaction(async (manager) => {
    const [accounts] = (await manager.query(
      `WITH forgotten AS (
         UPDATE accounts SET external_id = NULL, state_hash = NULL, last_seen_in_target_at = NULL,
                updated_at = now(), version = version + 1
          WHERE connection_id = $1 AND external_id IS NOT NULL
         RETURNING 1) SELECT count(*)::int AS n FROM forgotten`,
      [connectionId],
    )) as [{ n: number }];
    const [records] = (await manager.query(
      `WITH gone AS (DELETE FROM target_records WHERE connection_id = $1 RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [connectionId],
    )) as [{ n: number }];
    // The provisioning watermark: the next incremental run must not skip people "already provisioned".
    await manager.query(`UPDATE connections SET sync_state = NULL WHERE id = $1`, [connectionId]);
    return { accounts: accounts.n, records: records.n };
  });
}
