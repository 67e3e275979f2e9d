import type { DataSource } from 'typeorm';
import type { Connection } from '../../core/entities/index.js';
import { stateHash } from '../access/state-hash.js';
import { canWriteGroups, type OpenedConnector } from './connector-port.js';
import { withObjectRetry, type RetryOptions } from './failure-policy.js';
import type { NewSyncEvent } from './run-records.js';

/**
 * Makes each granted group's members in the target exactly the active accounts that hold it. `onlyGroups` limits
 * the pass to groups a run touched; a group whose member list hashes the same as last time costs no vendor call.
 */
export async function syncTargetGroups(
  ds: DataSource,
  input: {
    connection: Connection;
    connector: OpenedConnector;
    onlyGroups: string[] | null;
    dryRun: boolean;
    retry: RetryOptions;
    heartbeat: (details?: unknown) => void;
  },
): Promise<NewSyncEvent[]> {
  const { connection, connector } = input;
  if (!canWriteGroups(connector)) return [];
  const names =
    input.onlyGroups ??
    (
      (await ds.query(
        `SELECT value AS name FROM entitlements WHERE connection_id = $1 AND kind = 'group'
         UNION SELECT object_key FROM target_records WHERE connection_id = $1 AND object_type = 'group'`,
        [connection.id],
      )) as { name: string }[]
    ).map((r) => r.name);
  const events: NewSyncEvent[] = [];
  for (const name of [...new Set(names)].sort()) {
    input.heartbeat({ group: name });
    const members = (
      (await ds.query(
        `SELECT external_id FROM accounts WHERE connection_id = $1 AND status = 'active' AND external_id IS NOT NULL
           AND $2 = ANY(groups) ORDER BY external_id`,
        [connection.id, name],
      )) as { external_id: string }[]
    ).map((r) => r.external_id);
    const hash = stateHash(members);
    const [record] = (await ds.query(
      `SELECT state_hash, last_pushed FROM target_records WHERE connection_id = $1 AND object_type = 'group' AND object_key = $2`,
      [connection.id, name],
    )) as { state_hash: string | null; last_pushed: { count?: number } }[];
    if (record?.state_hash === hash) continue;
    const diff = { members: { from: record?.last_pushed.count ?? 0, to: members.length } };
    if (input.dryRun) {
      events.push({
        objectType: 'group',
        label: name,
        action: record ? 'update' : 'create',
        status: 'planned',
        diff,
      });
      continue;
    }
    const outcome = await withObjectRetry(() => connector.setGroupMembers(name, members), input.retry);
    if (outcome.ok) {
      await ds.query(
        `INSERT INTO target_records (tenant_id, connection_id, object_type, object_key, external_id, state_hash, last_pushed, version)
         VALUES ($1, $2, 'group', $3, $4, $5, $6, 1)
         ON CONFLICT (connection_id, object_type, object_key) DO UPDATE SET external_id = EXCLUDED.external_id,
           state_hash = EXCLUDED.state_hash, last_pushed = EXCLUDED.last_pushed, updated_at = now(),
           version = target_records.version + 1`,
        [
          connection.tenantId,
          connection.id,
          name,
          outcome.value.groupExternalId,
          hash,
          JSON.stringify({ count: members.length }),
        ],
      );
    }
    events.push({
      objectType: 'group',
      externalId: outcome.ok ? outcome.value.groupExternalId : null,
      label: name,
      action: record ? 'update' : 'create',
      status: outcome.ok ? 'ok' : 'quarantined',
      diff,
      ...(outcome.ok ? {} : { error: outcome.error }),
      attempts: outcome.attempts,
    });
  }
  return events;
}
