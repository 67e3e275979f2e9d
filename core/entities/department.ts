import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecord } from './base.js';
import { Tenant } from './tenant.js';

/** One node of a tenant's department tree, as HR knows it. */
@Entity({ name: 'departments' })
@Index(['sourceConnectionId', 'externalId'], { unique: true })
export class Department extends BaseRecord {
  @Column({ type: 'uuid' })
  @Index()
  tenantId!: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  @Column({ type: 'uuid', nullable: true })
  sourceConnectionId!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  externalId!: string | null;

  @Column({ type: 'varchar', length: 300 })
  name!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  code!: string | null;

  @Column({ type: 'uuid', nullable: true })
  @Index()
  parentId!: string | null;

  /** The parent's id in the source; resolved to `parentId` after a read (a child may arrive before its parent). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  parentExternalId!: string | null;

  @ManyToOne(() => Department, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'parent_id' })
  parent?: Relation<Department> | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  costCenter!: string | null;

  @Column({ type: 'uuid', nullable: true })
  managerPersonId!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: 'active' | 'deleted';

  /** Fields an admin set by hand (name, code, costCenter, managerPersonId…); they win over the source's values. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  overrides!: Record<string, unknown>;

  /** What the source last said for each overridden field (same keys as `overrides`), put back when one is cleared. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  sourceValues!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 64, nullable: true })
  sourceHash!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastSeenAt!: Date | null;
}
