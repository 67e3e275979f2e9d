import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who did what to which object, with before / after (secrets masked). Append-only. */
@Entity({ name: 'audit_events' })
@Index(['tenantId', 'createdAt'])
@Index(['targetType', 'targetId'])
@Index(['action', 'createdAt'])
export class AuditEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'uuid', nullable: true })
  tenantId!: string | null;

  /** `admin`, `api_token`, `system`, `person` (a sign-in), `scim`. */
  @Column({ type: 'varchar', length: 16 })
  actorType!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  actorId!: string | null;

  /** The actor as a person reads it (email, token name) at the time, so the log stays readable after deletions. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  actorLabel!: string | null;

  @Column({ type: 'varchar', length: 100 })
  action!: string;

  @Column({ type: 'varchar', length: 50, nullable: true })
  targetType!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  targetId!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'success' })
  outcome!: 'success' | 'failure' | 'denied';

  /** Why a sign-in was refused, and the like: for admins, never shown to the person refused. */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before!: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  after!: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
