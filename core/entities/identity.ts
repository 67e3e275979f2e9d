import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { BaseRecord } from './base.js';
import { IdentityProvider } from './identity-provider.js';
import { Person } from './person.js';

/** One upstream login subject (the `sub`, NameID or LDAP DN a provider vouches for), linked to a person. */
@Entity({ name: 'identities' })
@Index(['providerId', 'subject'], { unique: true })
export class Identity extends BaseRecord {
  @Column({ type: 'uuid' })
  @Index()
  tenantId!: string;

  @Column({ type: 'uuid' })
  providerId!: string;

  @ManyToOne(() => IdentityProvider, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id' })
  provider?: Relation<IdentityProvider>;

  @Column({ type: 'varchar', length: 512 })
  subject!: string;

  /** Null until the identity is linked (a pending first sign-in waits for an admin). */
  @Column({ type: 'uuid', nullable: true })
  @Index()
  personId!: string | null;

  @ManyToOne(() => Person, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person> | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  @Column({ type: 'boolean', default: false })
  emailVerified!: boolean;

  /** The claims of the last sign-in, for the admin's "why was this linked" view. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  lastClaims!: Record<string, unknown>;

  @Column({ type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;
}
