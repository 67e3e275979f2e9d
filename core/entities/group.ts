import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecord } from './base.js';
import { Tenant } from './tenant.js';

/** A group that a source (an inbound SCIM client, LDAP) manages; role rules can match on membership. */
@Entity({ name: 'groups' })
@Index(['sourceConnectionId', 'externalId'], { unique: true })
@Index(['tenantId', 'displayName'])
export class Group extends BaseRecord {
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
  displayName!: string;
}
