import type { Logger } from '../../core/logger.js';
import type { Page, ReadRequest, TargetGroup } from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import { context } from './accounts.js';
import { filterString, type ScimClient } from './client.js';
import { readCursor, writeCursor } from './cursor.js';
import type { PatchOperation } from './mapping.js';
import { isNotImplemented, isPreconditionFailed } from './scim-errors.js';
import { GROUP_SCHEMA } from './urns.js';
import type { ScimGroup } from './wire-schemas.js';

const MAX_VERSION_RETRIES = 3;

/**
 * Groups as SCIM Groups (RFC 7643 §4.2): paged listing and "make this group's members exactly these", found or
 * created by displayName, changed by member diffs sent as PATCH add / remove in chunks (RFC 7644 §3.5.2), or by
 * PUT of the whole member list where PATCH is not supported.
 */
export class ScimGroups {
  constructor(
    private readonly client: ScimClient,
    private readonly log: Logger,
  ) {}

  async listGroups(request: ReadRequest): Promise<Page<TargetGroup>> {
    const startIndex = readCursor(request.cursor);
    const { maxResults } = await this.client.providerCapabilities();
    const wanted = request.pageSize ?? this.client.config.pageSize;
    const count = Math.max(1, Math.min(wanted, maxResults ?? wanted));
    const page = await this.client.listGroups({ startIndex, count });
    const next = startIndex + page.items.length;
    const done = page.items.length === 0 || next > page.totalResults;
    return { items: page.items.map(toTargetGroup), nextCursor: done ? null : writeCursor(next) };
  }

  async setGroupMembers(
    groupName: string,
    memberExternalIds: string[],
  ): Promise<{ groupExternalId: string }> {
    const what = `setting the members of group ${groupName}`;
    const wanted = [...new Set(memberExternalIds)];
    try {
      let group = await this.findGroup(groupName);
      if (!group) {
        const created = await this.createGroup(groupName, wanted);
        if (created.complete) return { groupExternalId: created.group.id };
        group = created.group;
      }
      await this.converge(group, wanted);
      return { groupExternalId: group.id };
    } catch (error) {
      throw context(error, what);
    }
  }

  /** RFC 7643 §4.2: displayName is not unique by the RFC; more than one match is for an admin to sort out. */
  private async findGroup(name: string): Promise<ScimGroup | null> {
    const page = await this.client.listGroups({
      startIndex: 1,
      count: 10,
      filter: `displayName eq ${filterString(name)}`,
    });
    const matches = page.items.filter((group) => group.displayName.toLowerCase() === name.toLowerCase());
    if (matches.length > 1) {
      throw new ConnectorError('conflict', {
        message: `${matches.length} SCIM groups are named "${name}" (${matches.map((group) => group.id).join(', ')}); rename or delete the duplicates in the target`,
      });
    }
    return matches[0] ?? null;
  }

  /**
   * Creates the group with its first chunk of members (a huge POST is refused by some servers); when PATCH is
   * available the rest is added by `converge`. A 409 means it appeared meanwhile: use that one.
   */
  private async createGroup(
    name: string,
    wanted: string[],
  ): Promise<{ group: ScimGroup; complete: boolean }> {
    const patch = await this.client.usePatch();
    const first = patch ? wanted.slice(0, this.client.config.groupMemberChunkSize) : wanted;
    try {
      const group = await this.client.createGroup({
        schemas: [GROUP_SCHEMA],
        displayName: name,
        ...(first.length > 0 ? { members: first.map((value) => ({ value })) } : {}),
      });
      return { group, complete: first.length === wanted.length };
    } catch (error) {
      if (!(error instanceof ConnectorError && error.httpStatus === 409)) throw error;
      const existing = await this.findGroup(name);
      if (!existing) throw error;
      return { group: existing, complete: false };
    }
  }

  /** Reads the current members, then adds what is missing and removes what is extra. */
  private async converge(group: ScimGroup, wanted: string[]): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const { group: current, etag } = await this.client.getGroup(group.id);
      const have = new Set((current.members ?? []).map((member) => member.value));
      const want = new Set(wanted);
      const add = wanted.filter((id) => !have.has(id));
      const remove = [...have].filter((id) => !want.has(id));
      if (add.length === 0 && remove.length === 0) return;
      if (await this.client.usePatch()) {
        try {
          await this.patchMembers(group.id, add, remove);
          return;
        } catch (error) {
          if (!(isNotImplemented(error) && this.client.config.patchSupported === 'auto')) throw error;
          this.client.patchRefused = true;
          this.log.warn({ group: group.id }, 'the SCIM server refused PATCH; using PUT for this connection');
        }
      }
      try {
        // RFC 7644 §3.5.1: the whole group, with If-Match (§3.14); 412 means it changed since read.
        const capabilities = await this.client.providerCapabilities();
        const { meta: _meta, ...body } = current as Record<string, unknown>;
        await this.client.replaceGroup(
          group.id,
          { ...body, schemas: [GROUP_SCHEMA], members: wanted.map((value) => ({ value })) },
          capabilities.etag ? etag : undefined,
        );
        return;
      } catch (error) {
        if (isPreconditionFailed(error) && attempt < MAX_VERSION_RETRIES) continue;
        throw error;
      }
    }
  }

  /**
   * Member changes as PATCH operations of at most `groupMemberChunkSize` members per request: `add` on `members`
   * with the new values (RFC 7644 §3.5.2.1), `remove` with a value filter naming the members to drop
   * (§3.5.2.2, `members[value eq "a" or value eq "b"]`). Adding or removing a given member is idempotent, so
   * these requests need no If-Match: concurrent changes to other members are not lost.
   */
  private async patchMembers(groupId: string, add: string[], remove: string[]): Promise<void> {
    const size = this.client.config.groupMemberChunkSize;
    const requests: PatchOperation[][] = [];
    for (let i = 0; i < remove.length; i += size) {
      const chunk = remove.slice(i, i + size);
      const filter = chunk.map((id) => `value eq ${JSON.stringify(id)}`).join(' or ');
      requests.push([{ op: 'remove', path: `members[${filter}]` }]);
    }
    for (let i = 0; i < add.length; i += size) {
      requests.push([
        { op: 'add', path: 'members', value: add.slice(i, i + size).map((value) => ({ value })) },
      ]);
    }
    for (const operations of requests) await this.client.patchGroup(groupId, operations);
  }
}

function toTargetGroup(group: ScimGroup): TargetGroup {
  return {
    externalId: group.id,
    name: group.displayName,
    memberExternalIds: (group.members ?? []).map((member) => member.value),
  };
}
