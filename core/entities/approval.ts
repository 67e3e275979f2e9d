import { Column, Entity, Index } from 'typeorm';
import { BaseRecord } from './base.js';

/** A run held by the deletion threshold, waiting for an admin to approve or reject it. */
@Entity({ name: 'approvals' })
@Index(['tenantId', 'status'])
export class Approval extends BaseRecord {
  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'uuid' })
  @Index()
  runId!: string;

  @Column({ type: 'uuid' })
  connectionId!: string;

  @Column({ type: 'varchar', length: 255 })
  workflowId!: string;

  @Column({ type: 'text' })
  reason!: string;

  /** What the held run would do: counts per action and a sample of the objects. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  summary!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: 'pending' | 'approved' | 'rejected' | 'expired';

  @Column({ type: 'varchar', length: 200, nullable: true })
  decidedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;
}
