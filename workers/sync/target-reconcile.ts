import type { DataSource } from 'typeorm';
import { Person, type Connection } from '../../core/entities/index.js';
import { loadAccessContext, loadPersonViews, tenantSubtree } from '../access/access-context.js';
import { compileTargetProfile, desiredAccount } from '../access/desired-account.js';
import { grantedKinds, loadConnectionGrants } from '../access/entitlements.js';
import {
  canListAccounts,
  canWriteDepartments,
  canWriteGroups,
  type OpenedConnector,
} from './connector-port.js';

/**
 * Full reconcile, first pass: one page of the target's real accounts. Known accounts are marked seen, and drift
 * (changed by hand in the target) clears their hash so the people pass rewrites them. Unknown accounts are linked
 * ("adopted") only when they belong to a person who should have an account here; everything else is left alone
 * and counted as unmanaged, never deleted.
 */
export async function reconcileTargetPage(
  ds: DataSource,
  input: {
    connection: Connection;
    connector: OpenedConnector;
    cursor: string | null;
    pageSize: number;
    seenAt: Date;
  },
): Promise<{ nextCursor: string | null; read: number; drifted: number; adopted: number; unmanaged: number }> {
  const { connection, connector } = input;
  if (!canListAccounts(connector)) return { nextCursor: null, read: 0, drifted: 0, adopted: 0, unmanaged: 0 };
  const page = await connector.listAccounts({ cursor: input.cursor, pageSize: input.pageSize });
  const items = page.items;
  if (items.length === 0)
    return { nextCursor: page.nextCursor, read: 0, drifted: 0, adopted: 0, unmanaged: 0 };
  const known = (await ds.query(
    `SELECT id, external_id, status, last_pushed FROM accounts WHERE connection_id = $1 AND external_id = ANY($2)`,
    [connection.id, items.map((i) => i.externalId)],
  )) as { id: string; external_id: string; status: string; last_pushed: Record<string, unknown> }[];
  const byExternal = new Map(known.map((k) => [k.external_id, k]));
  const drifted: string[] = [];
  for (const item of items) {
    const row = byExternal.get(item.externalId);
    if (!row || row.status !== 'active') continue;
    const pushed = row.last_pushed;
    let drift = pushed.active !== undefined && item.active !== pushed.active;
    for (const [key, value] of Object.entries(pushed)) {
      if (!key.startsWith('attributes.')) continue;
      const name = key.slice('attributes.'.length);
      if (
        name in item.attributes &&
        JSON.stringify(item.attributes[name] ?? null) !== JSON.stringify(value ?? null)
      )
        drift = true;
    }
    if (drift) drifted.push(row.id);
  }
  await ds.query(`UPDATE accounts SET last_seen_in_target_at = $2 WHERE id = ANY($1)`, [
    known.map((k) => k.id),
    input.seenAt,
  ]);
  if (drifted.length > 0)
    await ds.query(`UPDATE accounts SET state_hash = NULL WHERE id = ANY($1)`, [drifted]);

  const unknown = items.filter((i) => !byExternal.has(i.externalId));
  let adopted = 0;
  if (unknown.length > 0) {
    const ctx = await loadAccessContext(ds, connection.tenantId);
    const keys = [
      ...new Set(
        unknown
          .flatMap((u) => [u.email, u.userName])
          .filter((k): k is string => !!k)
          .map((k) => k.toLowerCase()),
      ),
    ];
    const candidates = keys.length
      ? await ds
          .getRepository(Person)
          .createQueryBuilder('p')
          .where('p.tenantId IN (:...tenants)', { tenants: tenantSubtree(ctx.tenants, connection.tenantId) })
          .andWhere('(lower(p.email) IN (:...keys) OR lower(p.employeeNumber) IN (:...keys))', { keys })
          .andWhere(
            'NOT EXISTS (SELECT 1 FROM accounts a WHERE a.connection_id = :c AND a.person_id = p.id)',
            { c: connection.id },
          )
          .getMany()
      : [];
    if (candidates.length > 0) {
      const views = await loadPersonViews(ds, ctx, candidates);
      const grants = await loadConnectionGrants(
        ds,
        connection.id,
        views.map((v) => v.id),
      );
      const profile = compileTargetProfile(connection, {
        kinds: await grantedKinds(ds, connection.id),
        writesGroups: canWriteGroups(connector),
        writesDepartments: canWriteDepartments(connector),
      });
      const taken = new Set<string>();
      for (const view of views) {
        const desired = await desiredAccount(profile, view, grants.get(view.id), new Map());
        if (!desired.wanted) continue;
        const match = unknown.find(
          (u) =>
            !taken.has(u.externalId) &&
            [u.email, u.userName].some(
              (k) =>
                k && [view.email, view.employeeNumber].some((v) => v && v.toLowerCase() === k.toLowerCase()),
            ),
        );
        if (!match) continue;
        taken.add(match.externalId);
        await ds.query(
          `INSERT INTO accounts (tenant_id, connection_id, person_id, external_id, status, last_seen_in_target_at, version)
           VALUES ($1, $2, $3, $4, 'active', $5, 1) ON CONFLICT DO NOTHING`,
          [connection.tenantId, connection.id, view.id, match.externalId, input.seenAt],
        );
        adopted += 1;
      }
    }
  }
  return {
    nextCursor: page.nextCursor,
    read: items.length,
    drifted: drifted.length,
    adopted,
    unmanaged: unknown.length - adopted,
  };
}

/**
 * After a complete listing: accounts we hold as active that the target no longer has lose their external id, so
 * the people pass creates them again (someone deleted them by hand).
 */
export async function forgetVanishedAccounts(
  ds: DataSource,
  connectionId: string,
  seenAt: Date,
): Promise<number> {
  const rows = (await ds.query(
    `WITH gone AS (
       UPDATE accounts SET external_id = NULL, state_hash = NULL, updated_at = now()
        WHERE connection_id = $1 AND status = 'active' AND external_id IS NOT NULL AND created_at < $2
          AND (last_seen_in_target_at IS NULL OR last_seen_in_target_at < $2)
       RETURNING 1) SELECT count(*)::int AS n FROM gone`,
    [connectionId, seenAt],
  )) as [{ n: number }];
  return rows[0].n;
}
