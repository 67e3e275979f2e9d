import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecord } from './base.js';
import { Person } from './person.js';
import { Tenant } from './tenant.js';

export type AdminRole = 'group_admin' | 'subsidiary_admin' | 'connector_operator' | 'auditor';

/** Makes a person an admin of a tenant and everything under it. */
@Entity({ name: 'admin_grants' })
@Index(['personId', 'tenantId', 'role'], { unique: true })
export class AdminGrant extends BaseRecord {
  @Column({ type: 'uuid' })
  personId!: string;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  /** The root of the subtree this grant covers. */
  @Column({ type: 'uuid' })
  @Index()
  tenantId!: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  @Column({ type: 'varchar', length: 32 })
  role!: AdminRole;
}
