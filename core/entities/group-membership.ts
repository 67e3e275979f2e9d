import {
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { Group } from './group.js';
import { Person } from './person.js';

/** Person in group. The composite key makes adding a member twice a no-op, as SCIM clients expect. */
@Entity({ name: 'group_memberships' })
export class GroupMembership {
  @PrimaryColumn({ type: 'uuid' })
  groupId!: string;

  @PrimaryColumn({ type: 'uuid' })
  @Index()
  personId!: string;

  @ManyToOne(() => Group, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id' })
  group?: Relation<Group>;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id' })
  person?: Relation<Person>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
