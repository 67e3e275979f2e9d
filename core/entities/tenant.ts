import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecord } from './base.js';

export type UnknownIdentityPolicy = 'deny' | 'pending';

export interface TenantSettings {
  /** What happens when someone signs in upstream and matches no HR person. */
  unknownIdentityPolicy?: UnknownIdentityPolicy;
  sessionIdleMinutes?: number;
  sessionAbsoluteHours?: number;
}

/** The group company is a tenant without a parent; each subsidiary is a tenant under it. */
@Entity({ name: 'tenants' })
export class Tenant extends BaseRecord {
  @Column({ type: 'uuid', nullable: true })
  @Index()
  parentId!: string | null;

  @ManyToOne(() => Tenant, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'parent_id' })
  parent?: Relation<Tenant> | null;

  @Column({ type: 'varchar', length: 63, unique: true })
  slug!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  settings!: TenantSettings;
}
