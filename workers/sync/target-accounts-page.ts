import type { DataSource } from 'typeorm';
import type { AccountInput, TargetAccount } from '../../connectors/kit/contract.js';
import { Account, type Connection } from '../../core/entities/index.js';
import { loadAccessContext, loadPersonViews, tenantSubtree } from '../access/access-context.js';
import { compileTargetProfile, desiredAccount, type DesiredAccount } from '../access/desired-account.js';
import { grantedKinds, loadConnectionGrants } from '../access/entitlements.js';
import { fieldDiff } from '../access/field-diff.js';
import { applyRoleRules } from '../access/role-rules.js';
import {
  canWriteAccounts,
  canWriteDepartments,
  canWriteGroups,
  canListAccounts,
  type OpenedConnector,
} from './connector-port.js';
import { mapPool, withObjectRetry, type RetryOptions } from './failure-policy.js';
import type { NewSyncEvent } from './run-records.js';
import { selectPeoplePage, type PeopleSelection } from './target-selection.js';

export interface TargetPageInput {
  connection: Connection;
  connector: OpenedConnector;
  selection: PeopleSelection;
  after: string | null;
  pageSize: number;
  dryRun: boolean;
  concurrency: number;
  retry: RetryOptions;
  heartbeat: (details?: unknown) => void;
}

export interface TargetPageResult {
  /** Keyset position for the next page; null when the selection is exhausted. */
  nextAfter: string | null;
  read: number;
  unchanged: number;
  events: NewSyncEvent[];
  /** Group names whose membership may have changed (their member lists are rewritten after the pass). */
  affectedGroups: string[];
}

type Plan =
  | { kind: 'create'; desired: DesiredAccount; account: Account | undefined }
  | { kind: 'update' | 'enable' | 'move'; desired: DesiredAccount; account: Account }
  | { kind: 'disable' | 'delete'; desired: DesiredAccount; account: Account };

/**
 * One page of people → their accounts in one target. Creates, updates, moves and re-enables are written here
 * (idempotently: a "create requested" row is saved before the vendor call, and a retry looks the account up before
 * creating); disables and deletes are only recorded as planned events, written after the run's threshold check.
 */
export async function provisionAccountsPage(
  ds: DataSource,
  input: TargetPageInput,
): Promise<TargetPageResult> {
  const { connection, connector } = input;
  const ctx = await loadAccessContext(ds, connection.tenantId);
  const people = await selectPeoplePage(
    ds,
    tenantSubtree(ctx.tenants, connection.tenantId),
    input.selection,
    input.after,
    input.pageSize,
  );
  const nextAfter = people.length === input.pageSize ? (people[people.length - 1]?.id ?? null) : null;
  if (people.length === 0) return { nextAfter: null, read: 0, unchanged: 0, events: [], affectedGroups: [] };

  const views = await loadPersonViews(ds, ctx, people);
  if (!input.dryRun) await applyRoleRules(ds, ctx, views);
  const ids = views.map((v) => v.id);
  const grants = await loadConnectionGrants(ds, connection.id, ids);
  const profile = compileTargetProfile(connection, {
    kinds: await grantedKinds(ds, connection.id),
    writesGroups: canWriteGroups(connector),
    writesDepartments: canWriteDepartments(connector),
  });
  const links = await departmentLinks(
    ds,
    connection.id,
    views.map((v) => v.departmentId),
  );
  const accountRows = await ds
    .getRepository(Account)
    .createQueryBuilder('a')
    .where('a.connectionId = :c AND a.personId IN (:...ids)', { c: connection.id, ids })
    .getMany();
  const accounts = new Map(accountRows.map((a) => [a.personId, a]));

  const plans: Plan[] = [];
  const events: NewSyncEvent[] = [];
  let unchanged = 0;
  for (const view of views) {
    const desired = await desiredAccount(profile, view, grants.get(view.id), links);
    const account = accounts.get(view.id);
    const plan = decide(connection, desired, account);
    if (!plan) {
      unchanged += 1;
      continue;
    }
    if (Object.keys(desired.errors).length > 0 && plan.kind !== 'disable' && plan.kind !== 'delete') {
      events.push({
        objectType: 'account',
        objectId: account?.id ?? null,
        externalId: account?.externalId ?? null,
        label: desired.label,
        action: plan.kind,
        status: 'quarantined',
        error: {
          code: 'mapping_failed',
          message: Object.entries(desired.errors)
            .map(([k, m]) => `${k}: ${m}`)
            .join('; ')
            .slice(0, 1000),
        },
      });
      continue;
    }
    plans.push(plan);
  }

  const affectedGroups = new Set<string>();
  for (const plan of plans) {
    const before = plan.account?.groups ?? [];
    const after = plan.kind === 'disable' || plan.kind === 'delete' ? [] : plan.desired.groups;
    for (const g of before) if (!after.includes(g)) affectedGroups.add(g);
    for (const g of after) if (!before.includes(g)) affectedGroups.add(g);
    if (plan.kind === 'create' || plan.kind === 'enable') for (const g of after) affectedGroups.add(g);
  }

  // Disables and deletes wait for the threshold check; a dry run only plans everything.
  const deferred = plans.filter((p) => input.dryRun || p.kind === 'disable' || p.kind === 'delete');
  for (const plan of deferred) events.push(plannedEvent(plan));
  const now = plans.filter((p) => !input.dryRun && p.kind !== 'disable' && p.kind !== 'delete');
  if (now.length > 0) {
    if (!canWriteAccounts(connector))
      throw new Error(`connector ${connection.connectorId} cannot write accounts`);
    let done = 0;
    const results = await mapPool(now, input.concurrency, async (plan) => {
      const outcome = await withObjectRetry(() => writeAccount(ds, connection, connector, plan), input.retry);
      done += 1;
      if (done % 25 === 0) input.heartbeat({ done });
      return { plan, outcome };
    });
    for (const { plan, outcome } of results) {
      events.push(
        outcome.ok
          ? {
              objectType: 'account',
              objectId: outcome.value.id,
              externalId: outcome.value.externalId,
              label: plan.desired.label,
              action: plan.kind,
              status: 'ok',
              diff: fieldDiff(plan.account?.lastPushed ?? {}, plan.desired.pushed),
              attempts: outcome.attempts,
            }
          : {
              objectType: 'account',
              objectId: plan.account?.id ?? null,
              externalId: plan.account?.externalId ?? null,
              label: plan.desired.label,
              action: plan.kind,
              status: 'quarantined',
              error: outcome.error,
              attempts: outcome.attempts,
            },
      );
    }
  }
  return { nextAfter, read: views.length, unchanged, events, affectedGroups: [...affectedGroups] };
}

function decide(connection: Connection, desired: DesiredAccount, account: Account | undefined): Plan | null {
  const live = account && account.status !== 'deleted';
  if (desired.wanted) {
    if (!live || !account.externalId) return { kind: 'create', desired, account };
    if (account.status === 'disabled') return { kind: 'enable', desired, account };
    if (account.stateHash === desired.hash) return null;
    const moved =
      JSON.stringify(account.lastPushed.departmentExternalIds ?? null) !==
      JSON.stringify(desired.pushed.departmentExternalIds ?? null);
    return { kind: moved ? 'move' : 'update', desired, account };
  }
  if (!live || account.status !== 'active') return null;
  const action = connection.deletion.leaverAction;
  if (action === 'none') return null; // "upsert only": Junction never takes an account away
  if (action === 'delete' && connection.deletion.graceDays <= 0) return { kind: 'delete', desired, account };
  return { kind: 'disable', desired, account };
}

function plannedEvent(plan: Plan): NewSyncEvent {
  return {
    objectType: 'account',
    objectId: plan.account?.id ?? null,
    externalId: plan.account?.externalId ?? null,
    label: plan.desired.label,
    action: plan.kind,
    status: 'planned',
    diff:
      plan.kind === 'disable' || plan.kind === 'delete'
        ? { active: { from: true, to: false }, reason: { from: null, to: plan.desired.reason } }
        : fieldDiff(plan.account?.lastPushed ?? {}, plan.desired.pushed),
  };
}

/** Writes one account and records what was pushed; safe to repeat after a crash at any point. */
async function writeAccount(
  ds: DataSource,
  connection: Connection,
  connector: OpenedConnector & {
    createAccount(i: AccountInput): Promise<TargetAccount>;
    updateAccount(id: string, i: AccountInput): Promise<TargetAccount>;
  },
  plan: Plan,
): Promise<{ id: string; externalId: string }> {
  const { desired } = plan;
  let externalId = plan.account?.status !== 'deleted' ? (plan.account?.externalId ?? null) : null;
  let accountId = plan.account?.id ?? null;
  if (plan.kind === 'create') {
    // "Create requested": the row exists before the vendor call, so a worker killed mid-call leaves a trace.
    const [row] = (await ds.query(
      `INSERT INTO accounts (tenant_id, connection_id, person_id, status, version) VALUES ($1, $2, $3, 'active', 1)
       ON CONFLICT (connection_id, person_id) DO UPDATE SET updated_at = now() RETURNING id, external_id`,
      [connection.tenantId, connection.id, desired.personId],
    )) as [{ id: string; external_id: string | null }];
    accountId = row.id;
    externalId = row.external_id;
    if (!externalId && canListAccounts(connector)) {
      const found = await connector.findAccount({
        correlationId: desired.input.correlationId,
        userName: desired.input.userName,
        email: desired.input.email,
      });
      externalId = found?.externalId ?? null;
    }
  }
  const result = externalId
    ? await connector.updateAccount(externalId, desired.input)
    : await connector.createAccount(desired.input);
  await ds.query(
    `UPDATE accounts SET external_id = $2, status = $3, state_hash = $4, last_pushed = $5, groups = $6,
        disabled_at = NULL, delete_after = NULL, last_synced_at = now(), updated_at = now(), version = version + 1
      WHERE id = $1`,
    [accountId, result.externalId, 'active', desired.hash, JSON.stringify(desired.pushed), desired.groups],
  );
  return { id: accountId ?? '', externalId: result.externalId };
}

async function departmentLinks(
  ds: DataSource,
  connectionId: string,
  ids: (string | null)[],
): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map();
  const rows = (await ds.query(
    `SELECT object_key, external_id FROM target_records WHERE connection_id = $1 AND object_type = 'department'
       AND object_key = ANY($2) AND external_id IS NOT NULL`,
    [connectionId, wanted],
  )) as { object_key: string; external_id: string }[];
  return new Map(rows.map((r) => [r.object_key, r.external_id]));
}
