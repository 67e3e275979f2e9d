import { randomUUID } from 'node:crypto';
import { GROUP_KIND, USER_KIND, type ResourceKind } from './attribute-schema.js';
import { ScimProtocolError } from './protocol-error.js';
import { isObject, type ResourceAttributes } from './resource-validation.js';

export type KindName = 'User' | 'Group';

export interface StoredResource {
  id: string;
  kind: KindName;
  /** From one counter for the whole store, so a version never repeats (RFC 7644 §3.14 weak ETags). */
  version: number;
  created: string;
  lastModified: string;
  attributes: ResourceAttributes;
}

export interface MemberRef {
  value: string;
  type: KindName;
}

/**
 * The simulator's in-memory resources. Users and Groups keep creation order (so index paging is stable), with
 * indexes for the lookups a provisioning client makes on every write (userName, externalId) and for the
 * read-only `groups` attribute of a User (RFC 7643 §4.1.2), which the service provider derives from Group members.
 */
export class ScimStore {
  private readonly resources = {
    User: new Map<string, StoredResource>(),
    Group: new Map<string, StoredResource>(),
  };
  private readonly order: Record<KindName, string[]> = { User: [], Group: [] };
  private readonly userByUserName = new Map<string, string>();
  private readonly byExternalId = {
    User: new Map<string, Set<string>>(),
    Group: new Map<string, Set<string>>(),
  };
  private readonly memberOf = new Map<string, Set<string>>();
  private versionCounter = 0;

  constructor(private readonly clock: () => Date = () => new Date()) {}

  count(kind: KindName): number {
    return this.resources[kind].size;
  }

  get(kind: KindName, id: string): StoredResource | undefined {
    return this.resources[kind].get(id);
  }

  /** Resources in creation order. */
  *all(kind: KindName): Generator<StoredResource> {
    for (const id of this.order[kind]) {
      const resource = this.resources[kind].get(id);
      if (resource) yield resource;
    }
  }

  /** The ids in creation order, for paging without walking the whole map. */
  ids(kind: KindName): readonly string[] {
    return this.order[kind];
  }

  findByUserName(userName: string): StoredResource | undefined {
    const id = this.userByUserName.get(userName.toLowerCase());
    return id === undefined ? undefined : this.resources.User.get(id);
  }

  findByExternalId(kind: KindName, externalId: string): StoredResource[] {
    const ids = this.byExternalId[kind].get(externalId);
    return ids ? [...ids].flatMap((id) => this.resources[kind].get(id) ?? []) : [];
  }

  groupsOf(userId: string): StoredResource[] {
    const ids = this.memberOf.get(userId);
    return ids ? [...ids].flatMap((id) => this.resources.Group.get(id) ?? []) : [];
  }

  create(kind: KindName, attributes: ResourceAttributes, id: string = randomUUID()): StoredResource {
    this.checkUnique(kind, attributes, null);
    this.checkMembers(kind, attributes);
    const now = this.clock().toISOString();
    const resource: StoredResource = {
      id,
      kind,
      version: ++this.versionCounter,
      created: now,
      lastModified: now,
      attributes,
    };
    this.resources[kind].set(id, resource);
    this.order[kind].push(id);
    this.index(resource);
    return resource;
  }

  /** Replaces a resource's attributes (PUT, and PATCH once applied). No change keeps the version. */
  replace(kind: KindName, id: string, attributes: ResourceAttributes): StoredResource {
    const current = this.mustGet(kind, id);
    if (JSON.stringify(current.attributes) === JSON.stringify(attributes)) return current;
    this.checkUnique(kind, attributes, id);
    this.checkMembers(kind, attributes);
    this.unindex(current);
    const next: StoredResource = {
      ...current,
      version: ++this.versionCounter,
      lastModified: this.clock().toISOString(),
      attributes,
    };
    this.resources[kind].set(id, next);
    this.index(next);
    return next;
  }

  delete(kind: KindName, id: string): void {
    const current = this.mustGet(kind, id);
    this.unindex(current);
    this.resources[kind].delete(id);
    const position = this.order[kind].indexOf(id);
    if (position >= 0) this.order[kind].splice(position, 1);
    if (kind === 'User') this.dropFromGroups(id);
  }

  mustGet(kind: KindName, id: string): StoredResource {
    const resource = this.resources[kind].get(id);
    // RFC 7644 §3.12: 404 for a resource that does not exist.
    if (!resource) throw new ScimProtocolError(404, `${kind} "${id}" not found`);
    return resource;
  }

  kindOf(name: KindName): ResourceKind {
    return name === 'User' ? USER_KIND : GROUP_KIND;
  }

  private checkUnique(kind: KindName, attributes: ResourceAttributes, selfId: string | null): void {
    if (kind !== 'User') return;
    // RFC 7643 §4.1.1: userName is unique ("uniqueness": "server", case-insensitive). RFC 7644 §3.3: 409.
    const userName = attributes.userName;
    if (typeof userName !== 'string') return;
    const holder = this.userByUserName.get(userName.toLowerCase());
    if (holder !== undefined && holder !== selfId) {
      throw new ScimProtocolError(409, `userName "${userName}" is already in use`, 'uniqueness');
    }
  }

  private checkMembers(kind: KindName, attributes: ResourceAttributes): void {
    if (kind !== 'Group') return;
    for (const member of membersOf(attributes)) {
      if (!this.resources.User.has(member.value) && !this.resources.Group.has(member.value)) {
        throw new ScimProtocolError(
          400,
          `member "${member.value}" is not a User or Group here`,
          'invalidValue',
        );
      }
    }
  }

  private index(resource: StoredResource): void {
    const { attributes } = resource;
    if (resource.kind === 'User' && typeof attributes.userName === 'string') {
      this.userByUserName.set(attributes.userName.toLowerCase(), resource.id);
    }
    if (typeof attributes.externalId === 'string') {
      const map = this.byExternalId[resource.kind];
      const ids = map.get(attributes.externalId) ?? new Set<string>();
      ids.add(resource.id);
      map.set(attributes.externalId, ids);
    }
    if (resource.kind === 'Group') {
      for (const member of membersOf(attributes)) {
        const groups = this.memberOf.get(member.value) ?? new Set<string>();
        groups.add(resource.id);
        this.memberOf.set(member.value, groups);
      }
    }
  }

  private unindex(resource: StoredResource): void {
    const { attributes } = resource;
    if (resource.kind === 'User' && typeof attributes.userName === 'string') {
      this.userByUserName.delete(attributes.userName.toLowerCase());
    }
    if (typeof attributes.externalId === 'string') {
      this.byExternalId[resource.kind].get(attributes.externalId)?.delete(resource.id);
    }
    if (resource.kind === 'Group') {
      for (const member of membersOf(attributes)) this.memberOf.get(member.value)?.delete(resource.id);
    }
  }

  private dropFromGroups(userId: string): void {
    for (const group of this.groupsOf(userId)) {
      const members = membersOf(group.attributes).filter((member) => member.value !== userId);
      const { members: _dropped, ...rest } = group.attributes;
      this.replace('Group', group.id, members.length > 0 ? { ...rest, members } : rest);
    }
    this.memberOf.delete(userId);
  }
}

export function membersOf(attributes: ResourceAttributes): MemberRef[] {
  const members = attributes.members;
  if (!Array.isArray(members)) return [];
  return members.flatMap((member) =>
    isObject(member) && typeof member.value === 'string'
      ? [{ value: member.value, type: member.type === 'Group' ? 'Group' : 'User' }]
      : [],
  );
}
