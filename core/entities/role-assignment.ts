import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecord } from './base.js';
import { Person } from './person.js';
import { Role } from './role.js';

export type AssignmentSource = 'rule' | 'manual';

/**
 * Person holds role, either because a rule matched (`ruleId` set; removed when the rule stops matching) or
 * because an admin said so (`reason` required, optional `expiresAt`). One row per person, role and source.
 */
@Entity({ name: 'role_assignments' })
@Index(['personId', 'roleId', 'source'], { unique: true })
export class RoleAssignment extends BaseRecord {
  @Column({ type: 'uuid' })
  @Index()
  tenantId!: string;

  @Column({ type: 'uuid' })
  @Index()
  roleId!: string;

  @ManyToOne(() => Role, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'role_id' })
  role?: Relation<Role>;

  @Column({ type: 'uuid' })
  personId!: string;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  @Column({ type: 'varchar', length: 8 })
  source!: AssignmentSource;

  @Column({ type: 'uuid', nullable: true })
  ruleId!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  createdBy!: string | null;
}
