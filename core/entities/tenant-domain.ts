import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecord } from './base.js';
import { Tenant } from './tenant.js';

/**
 * An email domain that routes sign-in to a tenant (home-realm discovery). A tenant may own several; with
 * `includeSubdomains`, `mail.example.com` also matches `example.com`.
 */
@Entity({ name: 'tenant_domains' })
export class TenantDomain extends BaseRecord {
  @Column({ type: 'uuid' })
  @Index()
  tenantId!: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  /** Lower-case, no trailing dot. Unique: one domain cannot route to two tenants. */
  @Column({ type: 'varchar', length: 253, unique: true })
  domain!: string;

  @Column({ type: 'boolean', default: false })
  includeSubdomains!: boolean;
}
