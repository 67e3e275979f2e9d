import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type SyncEventAction =
  'create' | 'update' | 'disable' | 'enable' | 'delete' | 'move' | 'leaver' | 'skip';
export type SyncEventStatus = 'ok' | 'planned' | 'failed' | 'quarantined';

/** One object a run touched, with the field diff or the vendor's error. Many rows per run, so bigint ids. */
@Entity({ name: 'sync_events' })
@Index(['runId', 'id'])
@Index(['runId', 'action', 'status'])
@Index(['connectionId', 'externalId'])
export class SyncEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid' })
  runId!: string;

  @Column({ type: 'uuid', nullable: true })
  tenantId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  connectionId!: string | null;

  @Column({ type: 'varchar', length: 24 })
  objectType!: 'person' | 'department' | 'account' | 'group' | 'employee_record';

  /** Our id for the object (person / department / account), when it has one. */
  @Column({ type: 'uuid', nullable: true })
  @Index()
  objectId!: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  externalId!: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  label!: string | null;

  @Column({ type: 'varchar', length: 16 })
  action!: SyncEventAction;

  @Column({ type: 'varchar', length: 16 })
  status!: SyncEventStatus;

  /** Field → { from, to }. */
  @Column({ type: 'jsonb', nullable: true })
  diff!: Record<string, { from: unknown; to: unknown }> | null;

  /** The vendor's code and message (never a stack trace). */
  @Column({ type: 'jsonb', nullable: true })
  error!: { code: string; message: string; vendorCode?: string; vendorMessage?: string } | null;

  @Column({ type: 'integer', default: 1 })
  attempts!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
