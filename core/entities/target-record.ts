import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecord } from './base.js';
import { Connection } from './connection.js';

export type TargetRecordType = 'department' | 'employee_record' | 'group';

/**
 * A non-account object Junction keeps in a target (a department in an office org tree, an employee master record
 * in a finance system, a group's member list), with the target's id for it and a hash of what was last pushed,
 * so an unchanged object costs no vendor call.
 */
@Entity({ name: 'target_records' })
@Index(['connectionId', 'objectType', 'objectKey'], { unique: true })
export class TargetRecord extends BaseRecord {
  @Column({ type: 'uuid' })
  @Index()
  tenantId!: string;

  @Column({ type: 'uuid' })
  connectionId!: string;

  @ManyToOne(() => Connection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id' })
  connection?: Relation<Connection>;

  @Column({ type: 'varchar', length: 24 })
  objectType!: TargetRecordType;

  /** Our key: a department or person id, or a group's name in the target. */
  @Column({ type: 'varchar', length: 300 })
  objectKey!: string;

  @Column({ type: 'varchar', length: 512, nullable: true })
  externalId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  stateHash!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  lastPushed!: Record<string, unknown>;
}
