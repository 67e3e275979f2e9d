import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * oidc-provider's storage (sessions, grants, codes, tokens, interactions…), one row per model instance. Keyed by
 * model name and id; the lookup columns are what the adapter interface finds by or revokes by.
 */
@Entity({ name: 'oidc_payloads' })
@Index(['grantId'])
@Index(['uid'], { where: 'uid IS NOT NULL' })
@Index(['userCode'], { where: 'user_code IS NOT NULL' })
@Index(['expiresAt'])
@Index(['accountId'], { where: 'account_id IS NOT NULL' })
export class OidcPayload {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  model!: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  id!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 255, nullable: true })
  grantId!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  uid!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  userCode!: string | null;

  /** The person a Session / Grant / token belongs to, so a leaver's sessions and grants are found by index. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  accountId!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  consumedAt!: Date | null;
}
