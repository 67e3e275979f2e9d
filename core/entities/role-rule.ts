import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecord } from './base.js';
import { Role } from './role.js';

/**
 * A condition over person attributes that, when true, assigns the role. `condition` is a structured tree
 * (all / any / not over attribute tests such as department-in-subtree, equals, in, matches), never code.
 */
@Entity({ name: 'role_rules' })
export class RoleRule extends BaseRecord {
  @Column({ type: 'uuid' })
  @Index()
  tenantId!: string;

  @Column({ type: 'uuid' })
  @Index()
  roleId!: string;

  @ManyToOne(() => Role, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'role_id' })
  role?: Relation<Role>;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'jsonb' })
  condition!: Record<string, unknown>;

  /** Rules of a group tenant may apply to its subsidiaries too. */
  @Column({ type: 'boolean', default: true })
  includeSubsidiaries!: boolean;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;
}
