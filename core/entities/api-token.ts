import { Column, Entity, Index } from 'typeorm';
import { BaseRecord } from './base.js';
import type { AdminRole } from './admin-grant.js';

/** A bearer token for automation (admin API) or for an inbound SCIM client. Only its hash is stored. */
@Entity({ name: 'api_tokens' })
export class ApiToken extends BaseRecord {
  @Column({ type: 'uuid' })
  @Index()
  tenantId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** SHA-256 of the token, hex. */
  @Column({ type: 'varchar', length: 64, unique: true })
  tokenHash!: string;

  /** First characters of the token, shown so an admin can tell tokens apart. */
  @Column({ type: 'varchar', length: 16 })
  prefix!: string;

  /** `admin` (with `role`) or `scim`. */
  @Column({ type: 'varchar', length: 16 })
  kind!: 'admin' | 'scim';

  @Column({ type: 'varchar', length: 32, nullable: true })
  role!: AdminRole | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  scopes!: string[];

  /** For SCIM tokens: the connection their people are recorded under as a source. */
  @Column({ type: 'uuid', nullable: true })
  connectionId!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  createdBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
