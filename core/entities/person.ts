import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecord } from './base.js';
import { Department } from './department.js';
import { Tenant } from './tenant.js';

/**
 * `active` works today; `inactive` is on leave or not yet started; `leaver` has gone (accounts are disabled);
 * `pending` signed in upstream without an HR match and waits for an admin.
 */
export type PersonStatus = 'active' | 'inactive' | 'leaver' | 'pending';

/** A directory record: what HR (or a SCIM client) says about one person. */
@Entity({ name: 'people' })
@Index(['sourceConnectionId', 'externalId'], { unique: true })
@Index(['tenantId', 'employeeNumber'], { unique: true, where: 'employee_number IS NOT NULL' })
@Index(['tenantId', 'email'])
@Index(['tenantId', 'status'])
export class Person extends BaseRecord {
  @Column({ type: 'uuid' })
  @Index()
  tenantId!: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  /** The connection that feeds this record; null for people created by hand or by a first sign-in. */
  @Column({ type: 'uuid', nullable: true })
  sourceConnectionId!: string | null;

  /** The id the source system gives the person. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  externalId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  employeeNumber!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  givenName!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  familyName!: string | null;

  @Column({ type: 'varchar', length: 400 })
  displayName!: string;

  /** Lower-cased work email. */
  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  phone!: string | null;

  @Column({ type: 'uuid', nullable: true })
  @Index()
  departmentId!: string | null;

  @ManyToOne(() => Department, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'department_id' })
  department?: Relation<Department> | null;

  @Column({ type: 'uuid', nullable: true })
  @Index()
  managerId!: string | null;

  /** The manager's id in the source; resolved to `managerId` once that person is in the directory too. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  managerExternalId!: string | null;

  @ManyToOne(() => Person, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'manager_id' })
  manager?: Relation<Person> | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  jobTitle!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  rank!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  grade!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  costCenter!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  division!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  location!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: PersonStatus;

  @Column({ type: 'date', nullable: true })
  hireDate!: string | null;

  @Column({ type: 'date', nullable: true })
  terminationDate!: string | null;

  /** Source fields Junction has no column for (custom HR fields), kept for mappings and role rules. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  attributes!: Record<string, unknown>;

  /**
   * Fields an admin set by hand (column name → value), which win over what the source says: the admin API writes
   * them onto the columns at once, and a source sync must apply them again on top of the mapped record.
   */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  overrides!: Record<string, unknown>;

  /**
   * What the source last said for each overridden field (same keys as `overrides`): clearing an override puts this
   * value back at once, since an incremental read returns the person again only when HR changes them.
   */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  sourceValues!: Record<string, unknown>;

  /** Hash of the mapped source record last written; an unchanged hash means the sync writes nothing. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  sourceHash!: string | null;

  /** When the last full read of the source still saw this person (leavers are those it stopped seeing). */
  @Column({ type: 'timestamptz', nullable: true })
  lastSeenAt!: Date | null;
}
