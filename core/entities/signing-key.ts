import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A key Junction signs with (OIDC tokens, SAML assertions). The private part is sealed by the vault.
 * `active` signs; `retiring` no longer signs but is still published until tokens it signed have expired.
 * Purpose `cookie` holds a symmetric secret (cookie signatures, CSRF tokens) that every gateway replica shares;
 * it is never published.
 */
@Entity({ name: 'signing_keys' })
@Index(['purpose', 'status'])
export class SigningKey {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  kid!: string;

  @Column({ type: 'varchar', length: 16 })
  purpose!: 'oidc' | 'saml' | 'cookie';

  @Column({ type: 'varchar', length: 16 })
  alg!: string;

  @Column({ type: 'text' })
  privateKeySealed!: string;

  @Column({ type: 'jsonb' })
  publicJwk!: Record<string, unknown>;

  /** Self-signed X.509 certificate (PEM) for SAML metadata. */
  @Column({ type: 'text', nullable: true })
  certificatePem!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: 'active' | 'retiring' | 'retired';

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  /** When a retiring key may be dropped from the JWKS. */
  @Column({ type: 'timestamptz', nullable: true })
  retireAfter!: Date | null;
}
