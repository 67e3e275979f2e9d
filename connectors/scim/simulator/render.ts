import { membersOf, type ScimStore, type StoredResource } from './store.js';

/** RFC 7644 §3.14: the weak entity tag of a version, as both `meta.version` and the ETag header carry it. */
export function etagOf(resource: StoredResource): string {
  return `W/"${resource.version}"`;
}

/**
 * A stored resource as the service provider returns it: `schemas` naming the core schema and each extension in
 * use (RFC 7643 §3), `id` and `meta` (§3.1), write-only `password` left out (§4.1.1 "returned": "never"), member
 * references with `$ref`, `type` and `display` (§4.2), and the derived read-only `groups` of a User (§4.1.2).
 * `baseUrl` null renders without URIs (for filtering, where they are never compared).
 */
export function renderResource(
  store: ScimStore,
  resource: StoredResource,
  baseUrl: string | null,
): Record<string, unknown> {
  const kind = store.kindOf(resource.kind);
  const { password: _never, members: _members, ...attributes } = resource.attributes;
  const schemas = [
    kind.core.id,
    ...kind.extensions.filter((extension) => extension.id in attributes).map((extension) => extension.id),
  ];
  const out: Record<string, unknown> = { schemas, id: resource.id, ...attributes };
  if (resource.kind === 'Group') {
    const members = membersOf(resource.attributes).map((member) => {
      const target = store.get(resolveKind(store, member.value), member.value);
      return {
        value: member.value,
        ...(baseUrl
          ? { $ref: `${baseUrl}/${target?.kind === 'Group' ? 'Groups' : 'Users'}/${member.value}` }
          : {}),
        type: target?.kind ?? member.type,
        ...(target ? { display: displayOf(target) } : {}),
      };
    });
    if (members.length > 0) out.members = members;
  } else {
    const groups = store.groupsOf(resource.id).map((group) => ({
      value: group.id,
      ...(baseUrl ? { $ref: `${baseUrl}/Groups/${group.id}` } : {}),
      display: displayOf(group),
      type: 'direct',
    }));
    if (groups.length > 0) out.groups = groups;
  }
  out.meta = {
    resourceType: resource.kind,
    created: resource.created,
    lastModified: resource.lastModified,
    ...(baseUrl
      ? { location: `${baseUrl}/${resource.kind === 'User' ? 'Users' : 'Groups'}/${resource.id}` }
      : {}),
    version: etagOf(resource),
  };
  return out;
}

function resolveKind(store: ScimStore, id: string): 'User' | 'Group' {
  return store.get('Group', id) ? 'Group' : 'User';
}

function displayOf(resource: StoredResource): string | undefined {
  const { displayName, userName } = resource.attributes;
  if (typeof displayName === 'string') return displayName;
  return typeof userName === 'string' ? userName : undefined;
}
