import type { DataSource } from 'typeorm';
import type { AccountWriter } from '../../connectors/kit/contract.js';
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
import { AccountWriteBack, requestCreates, type RequestedCreate } from './account-writeback.js';
import { mapPool, withObjectRetry, type ObjectError, type RetryOptions } from './failure-policy.js';
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
    const requested = await requestCreates(
      ds,
      connection,
      now.filter((p) => p.kind === 'create').map((p) => p.desired.personId),
    );
    const writeBack = new AccountWriteBack(ds);
    let done = 0;
    const results = await mapPool(now, input.concurrency, async (plan) => {
      const request = requested.get(plan.desired.personId);
      // Only the very first try may skip the lookup: a retry follows a call that may have reached the vendor.
      let firstAttempt = request?.fresh ?? false;
      const outcome = await withObjectRetry(() => {
        const attempt = firstAttempt;
        firstAttempt = false;
        return writeAccount(connector, plan, request, attempt);
      }, input.retry);
      if (outcome.ok) {
        writeBack.add({
          accountId: outcome.value.id,
          externalId: outcome.value.externalId,
          stateHash: plan.desired.hash,
          pushed: plan.desired.pushed,
          groups: plan.desired.groups,
        });
      }
      done += 1;
      if (done % 25 === 0) input.heartbeat({ done });
      return { plan, outcome };
    });
    const refused = await writeBack.done();
    for (const { plan, outcome } of results) {
      const rejected = outcome.ok ? refused.get(outcome.value.id) : undefined;
      events.push(
        outcome.ok && !rejected
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
              objectId: plan.account?.id ?? (outcome.ok ? outcome.value.id : null),
              externalId: plan.account?.externalId ?? null,
              label: plan.desired.label,
              action: plan.kind,
              status: 'quarantined',
              error: outcome.ok ? (rejected as ObjectError) : outcome.error,
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

/**
 * Writes one account to the target; safe to repeat after a crash at any point. A create whose "requested" mark
 * was made by this attempt goes straight to the vendor (whose conflict answer still adopts what exists); any
 * other create looks the account up first, since an earlier attempt may have made it.
 */
async function writeAccount(
  connector: OpenedConnector & AccountWriter,
  plan: Plan,
  requested: RequestedCreate | undefined,
  firstAttempt: boolean,
): Promise<{ id: string; externalId: string }> {
  const { desired } = plan;
  let externalId = plan.account?.status !== 'deleted' ? (plan.account?.externalId ?? null) : null;
  let accountId = plan.account?.id ?? null;
  if (plan.kind === 'create') {
    if (!requested) throw new Error(`no create requested for person ${desired.personId}`);
    accountId = requested.accountId;
    externalId = requested.externalId;
    if (!externalId && !firstAttempt && canListAccounts(connector)) {
      const found = await connector.findAccount({
        correlationId: desired.input.correlationId,
        userName: desired.input.userName,
        email: desired.input.email,
      });
      externalId = found?.externalId ?? null;
    }
  }
  if (!accountId) throw new Error(`no account row for person ${desired.personId}`);
  const result = externalId
    ? await connector.updateAccount(externalId, desired.input)
    : await connector.createAccount(desired.input, { firstAttempt });
  return { id: accountId, externalId: result.externalId };
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
