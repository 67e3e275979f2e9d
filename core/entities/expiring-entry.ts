import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Short-lived keyed state that must survive across gateway replicas: SAML request ids awaiting their response,
 * assertion ids already used (replay), upstream login state, webhook delivery ids, sign-in attempt counters.
 * Housekeeping prunes expired rows.
 */
@Entity({ name: 'expiring_entries' })
@Index(['expiresAt'])
export class ExpiringEntry {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  namespace!: string;

  @PrimaryColumn({ type: 'varchar', length: 512 })
  key!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  value!: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}
