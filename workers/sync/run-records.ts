import type { DataSource, EntityManager } from 'typeorm';
import type { SyncEvent } from '../../core/entities/index.js';
import type {
  SyncRunCounts,
  SyncRunKind,
  SyncRunStatus,
  SyncRunTrigger,
} from '../../core/entities/sync-run.js';

type Db = DataSource | EntityManager;

export interface BeginRunInput {
  runId: string;
  tenantId: string | null;
  connectionId: string | null;
  kind: SyncRunKind;
  trigger: SyncRunTrigger;
  mode: 'full' | 'incremental';
  dryRun: boolean;
  workflowId: string;
  requestedBy?: string | null;
}

/** Creates the SyncRun row; a retried activity finds it already there and returns its start time. */
export async function beginRun(db: Db, input: BeginRunInput): Promise<{ startedAt: string }> {
  await db.query(
    `INSERT INTO sync_runs (id, tenant_id, connection_id, kind, trigger, mode, dry_run, status, workflow_id, requested_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'running', $8, $9) ON CONFLICT (id) DO NOTHING`,
    [
      input.runId,
      input.tenantId,
      input.connectionId,
      input.kind,
      input.trigger,
      input.mode,
      input.dryRun,
      input.workflowId,
      input.requestedBy ?? null,
    ],
  );
  const [row] = (await db.query(`SELECT started_at FROM sync_runs WHERE id = $1`, [input.runId])) as [
    { started_at: Date },
  ];
  return { startedAt: row.started_at.toISOString() };
}

/** Adds to the live counts the console shows while a run is going (exact figures are recomputed at the end). */
export async function bumpCounts(db: Db, runId: string, delta: SyncRunCounts): Promise<void> {
  const entries = Object.entries(delta).filter(([, n]) => typeof n === 'number' && n !== 0);
  if (entries.length === 0) return;
  await db.query(
    `UPDATE sync_runs SET updated_at = now(), counts = counts || (
       SELECT jsonb_object_agg(k, COALESCE((counts ->> k)::int, 0) + v)
         FROM jsonb_each_text($2::jsonb) AS d(k, vt), LATERAL (SELECT vt::int AS v) AS x
     ) WHERE id = $1`,
    [runId, JSON.stringify(Object.fromEntries(entries))],
  );
}

export async function setRunStatus(
  db: Db,
  runId: string,
  status: SyncRunStatus,
  error?: { code: string; message: string } | null,
): Promise<void> {
  await db.query(
    `UPDATE sync_runs SET status = $2, error = COALESCE($3, error), updated_at = now() WHERE id = $1`,
    [runId, status, error ? JSON.stringify(error) : null],
  );
}

/**
 * Closes the run: counts are recomputed from its events (so retried pages never double-count), keeping the
 * read-side figures (read, unchanged, adopted, unmanaged) the pages accumulated.
 */
export async function finishRun(
  db: Db,
  runId: string,
  status: SyncRunStatus,
  error?: { code: string; message: string } | null,
): Promise<SyncRunCounts> {
  const rows = (await db.query(
    `SELECT action, status, count(*)::int AS n FROM sync_events WHERE run_id = $1 GROUP BY action, status`,
    [runId],
  )) as { action: string; status: string; n: number }[];
  const [run] = (await db.query(`SELECT counts FROM sync_runs WHERE id = $1`, [runId])) as [
    { counts: SyncRunCounts } | undefined,
  ];
  const counts: SyncRunCounts = {};
  for (const key of ['read', 'unchanged', 'adopted', 'unmanaged'] as const) {
    const value = run?.counts[key];
    if (value) counts[key] = value;
  }
  const add = (key: keyof SyncRunCounts, n: number): void => {
    counts[key] = (counts[key] ?? 0) + n;
  };
  for (const row of rows) {
    if (row.status === 'planned') add('planned', row.n);
    else if (row.status === 'failed') add('failed', row.n);
    else if (row.status === 'quarantined') add('quarantined', row.n);
    else if (row.status === 'ok') {
      if (row.action === 'create') add('created', row.n);
      else if (row.action === 'update' || row.action === 'move' || row.action === 'enable')
        add('updated', row.n);
      else if (row.action === 'disable') add('disabled', row.n);
      else if (row.action === 'delete') add('deleted', row.n);
      else if (row.action === 'leaver') add('leavers', row.n);
    }
  }
  const final =
    status === 'succeeded' && ((counts.quarantined ?? 0) > 0 || (counts.failed ?? 0) > 0)
      ? 'partially_failed'
      : status;
  await db.query(
    `UPDATE sync_runs SET status = $2, counts = $3, error = COALESCE($4, error), finished_at = now(), updated_at = now()
      WHERE id = $1`,
    [runId, final, JSON.stringify(counts), error ? JSON.stringify(error) : null],
  );
  return counts;
}

export type NewSyncEvent = Pick<SyncEvent, 'objectType' | 'action' | 'status'> &
  Partial<Pick<SyncEvent, 'objectId' | 'externalId' | 'label' | 'diff' | 'error' | 'attempts'>>;

/** Writes a page's events in one statement. */
export async function insertEvents(
  db: Db,
  run: { runId: string; tenantId: string | null; connectionId: string | null },
  events: NewSyncEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `INSERT INTO sync_events (run_id, tenant_id, connection_id, object_type, object_id, external_id, label, action, status, diff, error, attempts)
     SELECT $1, $2, $3, * FROM unnest($4::varchar[], $5::uuid[], $6::varchar[], $7::varchar[], $8::varchar[],
       $9::varchar[], $10::jsonb[], $11::jsonb[], $12::int[])`,
    [
      run.runId,
      run.tenantId,
      run.connectionId,
      events.map((e) => e.objectType),
      events.map((e) => e.objectId ?? null),
      events.map((e) => e.externalId?.slice(0, 512) ?? null),
      events.map((e) => e.label?.slice(0, 300) ?? null),
      events.map((e) => e.action),
      events.map((e) => e.status),
      events.map((e) => (e.diff ? JSON.stringify(e.diff) : null)),
      events.map((e) => (e.error ? JSON.stringify(e.error) : null)),
      events.map((e) => e.attempts ?? 1),
    ],
  );
}
