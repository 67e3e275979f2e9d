import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** `role_rules`: a tenant's people re-evaluated after a role rule changed (workers/activities/role-rules.ts). */
export type SyncRunKind = 'source' | 'target' | 'person' | 'data' | 'housekeeping' | 'role_rules';
export type SyncRunTrigger = 'schedule' | 'manual' | 'webhook' | 'person_change' | 'api';
export type SyncRunStatus =
  'running' | 'held' | 'succeeded' | 'partially_failed' | 'failed' | 'cancelled' | 'rejected';

export interface SyncRunCounts {
  read?: number;
  created?: number;
  updated?: number;
  disabled?: number;
  deleted?: number;
  unchanged?: number;
  failed?: number;
  quarantined?: number;
  /** Source runs: people who became leavers. Target runs: accounts found in the target and linked to a person. */
  leavers?: number;
  adopted?: number;
  /** Target accounts no person maps to; left alone, never deleted. */
  unmanaged?: number;
  /** Actions recorded but not (yet) written: a dry run's plan, or a held run's disables and deletes. */
  planned?: number;
  /** Role-rule evaluations: rule-given role assignments added and removed. */
  rolesGranted?: number;
  rolesRevoked?: number;
}

/** One execution of a sync workflow, with its counts as they grow (the console shows progress from here). */
@Entity({ name: 'sync_runs' })
@Index(['connectionId', 'startedAt'])
@Index(['tenantId', 'startedAt'])
@Index(['status'])
export class SyncRun {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  connectionId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  kind!: SyncRunKind;

  @Column({ type: 'varchar', length: 16 })
  trigger!: SyncRunTrigger;

  @Column({ type: 'varchar', length: 16, default: 'incremental' })
  mode!: 'full' | 'incremental';

  @Column({ type: 'boolean', default: false })
  dryRun!: boolean;

  @Column({ type: 'varchar', length: 20, default: 'running' })
  status!: SyncRunStatus;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  counts!: SyncRunCounts;

  /** Temporal workflow id; stays the same across continue-as-new. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  workflowId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  error!: { code: string; message: string } | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  requestedBy!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
