import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { Identity } from './identity.js';

/** A registered security key or passkey, used as a second factor for a password identity. */
@Entity({ name: 'webauthn_credentials' })
export class WebauthnCredential {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  @Index()
  identityId!: string;

  @ManyToOne(() => Identity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'identity_id' })
  identity?: Relation<Identity>;

  /** base64url credential id, as the authenticator reports it. */
  @Column({ type: 'varchar', length: 1024, unique: true })
  credentialId!: string;

  /** COSE public key, base64url. */
  @Column({ type: 'text' })
  publicKey!: string;

  @Column({ type: 'bigint', default: 0 })
  signCount!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  transports!: string[];

  @Column({ type: 'varchar', length: 200, nullable: true })
  label!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}
