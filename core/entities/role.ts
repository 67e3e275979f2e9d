import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecord } from './base.js';
import { Tenant } from './tenant.js';

/** A bundle of entitlements, given to people by rules or by hand. */
@Entity({ name: 'roles' })
@Index(['tenantId', 'key'], { unique: true })
export class Role extends BaseRecord {
  @Column({ type: 'uuid' })
  @Index()
  tenantId!: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  /** Stable machine name, the value apps see in the `roles` claim. */
  @Column({ type: 'varchar', length: 100 })
  key!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;
}
