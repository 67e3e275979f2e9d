/**
 * Names and inputs shared by the sync workflows and their client-side starters. No imports: workflow code (which
 * may not touch I/O) and the gateway's client both load this file.
 */
export type SyncTrigger = 'schedule' | 'manual' | 'webhook' | 'person_change' | 'api';
export type SyncMode = 'full' | 'incremental';

export const SIGNALS = {
  /** An admin approved a held run: `{ by }`. */
  approve: 'approve',
  /** An admin rejected a held run: `{ by }`. */
  reject: 'reject',
  /** A webhook said the source changed while a run was going: read again when this one ends. */
  changesPending: 'changesPending',
} as const;

export const QUERIES = { progress: 'progress' } as const;

export interface Decision {
  by: string | null;
}

export interface SyncSourceInput {
  connectionId: string;
  mode: SyncMode;
  dryRun?: boolean;
  trigger: SyncTrigger;
  requestedBy?: string | null;
  /** Provision every target of the tenant afterwards (default true; never on a dry run). */
  provisionTargets?: boolean;
  /** Pages per workflow execution before continue-as-new (default 100; tests lower it to exercise the path). */
  pagesPerExecution?: number;
  /** Set by continue-as-new: where the run had got to. */
  resume?: SourceResume;
}

export interface SourceResume {
  runId: string;
  startedAt: string;
  tenantId: string;
  mode: SyncMode;
  since: string | null;
  phase: 'departments' | 'people';
  cursor: string | null;
  watermark: string | null;
  read: number;
  /** Departments the read returned (a full read that returned some retires the ones it no longer saw). */
  departmentsRead?: number;
  pendingChanges: boolean;
}

export interface ProvisionTargetInput {
  connectionId: string;
  mode: SyncMode;
  dryRun?: boolean;
  trigger: SyncTrigger;
  requestedBy?: string | null;
  /** Only these people (provision on demand / provisionPerson). */
  personIds?: string[];
  pagesPerExecution?: number;
  resume?: TargetResume;
}

export interface TargetResume {
  runId: string;
  startedAt: string;
  mode: SyncMode;
  since: string | null;
  phase: 'reconcile' | 'people' | 'apply';
  cursor: string | null;
  affectedGroups: string[];
  capabilities: { departments: boolean; listAccounts: boolean; groups: boolean };
}

export interface ProvisionPersonInput {
  personId: string;
  trigger: SyncTrigger;
  requestedBy?: string | null;
  dryRun?: boolean;
}

export interface RunOutcome {
  runId: string;
  status: 'succeeded' | 'partially_failed' | 'failed' | 'rejected' | 'cancelled' | 'held' | 'running';
  counts: Record<string, number>;
  targets?: RunOutcome[];
}

export interface RunProgress {
  runId: string | null;
  phase: string;
  held: boolean;
  pages: number;
}

/** Workflow ids: stable per connection and trigger where de-duplication matters (webhooks), unique otherwise. */
export const workflowIds = {
  webhookSync: (connectionId: string): string => `sync-source:${connectionId}:webhook`,
  sourceRun: (connectionId: string, suffix: string): string => `sync-source:${connectionId}:${suffix}`,
  targetRun: (connectionId: string, suffix: string): string => `provision-target:${connectionId}:${suffix}`,
  personRun: (personId: string, suffix: string): string => `provision-person:${personId}:${suffix}`,
  schedule: (connectionId: string): string => `junction-sync-${connectionId}`,
  reconcileSchedule: (connectionId: string): string => `junction-reconcile-${connectionId}`,
};
