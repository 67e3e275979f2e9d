import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecord } from './base.js';
import { Tenant } from './tenant.js';

export type IdentityProviderKind = 'oidc' | 'saml' | 'ldap' | 'password';

/** How an upstream identity is matched to an HR person. Never an unverified email. */
export type LinkStrategy = 'employee_number' | 'verified_email';

/** A subsidiary's own sign-in: its OIDC or SAML IdP, its LDAP / AD, or Junction's password + second factor. */
@Entity({ name: 'identity_providers' })
@Index(['tenantId', 'slug'], { unique: true })
export class IdentityProvider extends BaseRecord {
  @Column({ type: 'uuid' })
  @Index()
  tenantId!: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  @Column({ type: 'varchar', length: 16 })
  kind!: IdentityProviderKind;

  @Column({ type: 'varchar', length: 63 })
  slug!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** Non-secret settings (issuer, client id, entry point, LDAP URL, attribute names…), validated per kind. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  config!: Record<string, unknown>;

  /** Secret settings (client secret, bind password…) sealed by the vault; null when there are none. */
  @Column({ type: 'text', nullable: true })
  secretsSealed!: string | null;

  @Column({ type: 'varchar', length: 32, default: 'verified_email' })
  linkBy!: LinkStrategy;

  /** The upstream claim / attribute that carries the employee number, when linking by it. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  linkClaim!: string | null;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** Order in the chooser when a tenant has several providers; lowest first. */
  @Column({ type: 'integer', default: 100 })
  priority!: number;
}
