import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecord } from './base.js';
import { Connection } from './connection.js';
import { Person } from './person.js';

export type AccountStatus = 'active' | 'disabled' | 'deleted';

/** A person's account in a target connection, and what Junction last pushed there. */
@Entity({ name: 'accounts' })
@Index(['connectionId', 'personId'], { unique: true })
@Index(['connectionId', 'externalId'], { unique: true, where: 'external_id IS NOT NULL' })
@Index(['connectionId', 'status'])
export class Account extends BaseRecord {
  @Column({ type: 'uuid' })
  @Index()
  tenantId!: string;

  @Column({ type: 'uuid' })
  connectionId!: string;

  @ManyToOne(() => Connection, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'connection_id' })
  connection?: Relation<Connection>;

  @Column({ type: 'uuid' })
  @Index()
  personId!: string;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  /** The target's id for the account; null only between "create requested" and "create confirmed". */
  @Column({ type: 'varchar', length: 512, nullable: true })
  externalId!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: AccountStatus;

  /** Hash of the attributes and groups last pushed; equal hash means nothing to write. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  stateHash!: string | null;

  /** The attributes last pushed, for diffs in sync events. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  lastPushed!: Record<string, unknown>;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  groups!: string[];

  @Column({ type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  /** A disabled leaver's account is deleted after this time (the connection's grace period). */
  @Column({ type: 'timestamptz', nullable: true })
  deleteAfter!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastSyncedAt!: Date | null;

  /** When a full reconcile last saw the account in the target; one it stopped seeing is recreated. */
  @Column({ type: 'timestamptz', nullable: true })
  lastSeenInTargetAt!: Date | null;
}
