import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecord } from './base.js';
import { Tenant } from './tenant.js';

export interface ConnectionSchedule {
  /** Incremental runs: every N seconds, or a cron expression. */
  intervalSeconds?: number;
  cron?: string;
  /** A full reconcile (repairs drift), as a cron expression; default nightly. */
  fullReconcileCron?: string;
  overlap?: 'skip' | 'buffer_one' | 'cancel_other' | 'allow_all';
  paused?: boolean;
}

export interface DeletionPolicy {
  /** What a leaver gets: disabled, deleted after `graceDays`, or left alone ("upsert only"). */
  leaverAction: 'disable' | 'delete' | 'none';
  graceDays: number;
  /** A run that would disable / delete more than this share or count holds for approval. */
  thresholdPercent: number;
  thresholdCount: number;
}

/** A configured connector: which vendor, for which tenant, with what credentials, schedule and mappings. */
@Entity({ name: 'connections' })
@Index(['tenantId', 'slug'], { unique: true })
export class Connection extends BaseRecord {
  @Column({ type: 'uuid' })
  @Index()
  tenantId!: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  /** The connector id in the registry (`bamboohr`, `wecom`, …). */
  @Column({ type: 'varchar', length: 64 })
  connectorId!: string;

  @Column({ type: 'varchar', length: 63 })
  slug!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** A source feeds the directory; a target receives accounts and data. */
  @Column({ type: 'varchar', length: 8 })
  direction!: 'source' | 'target';

  /** Non-secret part of the connector's config schema. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  config!: Record<string, unknown>;

  /** Secret fields of the config, sealed by the vault with the connection id as context. */
  @Column({ type: 'text', nullable: true })
  secretsSealed!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  schedule!: ConnectionSchedule;

  /** Which people are in scope: a filter expression over person attributes; null means everyone. */
  @Column({ type: 'text', nullable: true })
  scopeFilter!: string | null;

  /** Target attribute → source field, constant or expression. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  mappings!: Record<string, unknown>;

  /** Target attributes Junction owns; others it never overwrites. Empty means every mapped attribute. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  ownedAttributes!: string[];

  // Written the way PostgreSQL prints jsonb (sorted keys), so the schema diff sees no change.
  @Column({
    type: 'jsonb',
    default: () =>
      `'{"graceDays": 30, "leaverAction": "disable", "thresholdCount": 50, "thresholdPercent": 10}'`,
  })
  deletion!: DeletionPolicy;

  /** Durable incremental state (vendor cursor / changed-since watermark), written only after a page commits. */
  @Column({ type: 'jsonb', nullable: true })
  syncState!: Record<string, unknown> | null;

  /** Shared secret for verifying the vendor's webhook signatures, sealed. */
  @Column({ type: 'text', nullable: true })
  webhookSecretSealed!: string | null;

  /**
   * Who gets an account in a target: only people holding an `account` entitlement for it (`entitled`, like
   * Entra's "sync only assigned users"), or everyone the scope filter lets through (`all`).
   */
  @Column({ type: 'varchar', length: 16, default: 'entitled' })
  accountScope!: 'entitled' | 'all';

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;
}
