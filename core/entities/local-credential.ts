import {
  Column,
  Entity,
  JoinColumn,
  OneToOne,
  PrimaryColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { Identity } from './identity.js';

/** Junction's own password (argon2id) and TOTP for an identity of a `password` provider. */
@Entity({ name: 'local_credentials' })
export class LocalCredential {
  @PrimaryColumn({ type: 'uuid' })
  identityId!: string;

  @OneToOne(() => Identity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'identity_id' })
  identity?: Relation<Identity>;

  @Column({ type: 'text', nullable: true })
  passwordHash!: string | null;

  /** TOTP shared secret, sealed by the vault. */
  @Column({ type: 'text', nullable: true })
  totpSecretSealed!: string | null;

  @Column({ type: 'boolean', default: false })
  totpEnabled!: boolean;

  /** Last accepted TOTP time step, so a code cannot be used twice. */
  @Column({ type: 'bigint', nullable: true })
  totpLastStep!: string | null;

  @Column({ type: 'integer', default: 0 })
  failedAttempts!: number;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  passwordChangedAt!: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
