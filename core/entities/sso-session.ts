import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A person's sign-in at the gateway, shared by every app they reach through it. The cookie holds a random token;
 * the row is keyed by its SHA-256 so a database read does not yield usable cookies.
 */
@Entity({ name: 'sso_sessions' })
@Index(['personId'])
@Index(['expiresAt'])
export class SsoSession {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  tokenHash!: string;

  /**
   * A second random id that may leave the gateway (SAML SessionIndex, audit, admin views) without revealing
   * anything that opens the session.
   */
  @Column({ type: 'varchar', length: 64, unique: true })
  sessionRef!: string;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  identityId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  providerId!: string | null;

  /** Authentication methods used (`pwd`, `otp`, `hwk`, `fed`), for the `amr` claim. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  amr!: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  lastSeenAt!: Date;

  /** Absolute end; the idle end is lastSeenAt + the tenant's idle timeout. */
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;
}
