import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecord } from './base.js';
import { Role } from './role.js';

/**
 * What a role grants: an account in a target connection (`kind: 'account'`), a permission scope there
 * (`group`, `role`, `department`, `permission_set` with `value` naming it in the target), or sign-in to an
 * application (`app_access`).
 */
export type EntitlementKind = 'account' | 'group' | 'role' | 'department' | 'permission_set' | 'app_access';

@Entity({ name: 'entitlements' })
@Index(['roleId', 'kind', 'connectionId', 'applicationId', 'value'], { unique: true })
export class Entitlement extends BaseRecord {
  @Column({ type: 'uuid' })
  @Index()
  tenantId!: string;

  @Column({ type: 'uuid' })
  roleId!: string;

  @ManyToOne(() => Role, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'role_id' })
  role?: Relation<Role>;

  @Column({ type: 'varchar', length: 16 })
  kind!: EntitlementKind;

  @Column({ type: 'uuid', nullable: true })
  @Index()
  connectionId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  @Index()
  applicationId!: string | null;

  /** The target-side name of the scope (group name, role key, permission set); empty for `account`. */
  @Column({ type: 'varchar', length: 300, default: '' })
  value!: string;
}
