import type { Filter } from 'scim2-parse-filter';
import { LIST_RESPONSE_SCHEMA } from '../urns.js';
import { resolveAttribute, type ResourceKind } from './attribute-schema.js';
import { compileFilter, parseFilter } from './filter.js';
import { project, type Projection } from './projection.js';
import { badRequest } from './protocol-error.js';
import { renderResource } from './render.js';
import { isObject } from './resource-validation.js';
import type { KindName, ScimStore, StoredResource } from './store.js';

export interface ListQuery {
  filter: string | null;
  startIndex: number | null;
  count: number | null;
  sortBy: string | null;
  sortOrder: 'ascending' | 'descending';
  projection: Projection;
}

/** Reads query parameters (GET, RFC 7644 §3.4.2) or a SearchRequest body (POST /.search, §3.4.3). */
export function readListQuery(source: Record<string, unknown>, projection: Projection): ListQuery {
  const text = (value: unknown): string | null =>
    typeof value === 'string' && value.length > 0 ? value : null;
  const integer = (name: string, value: unknown): number | null => {
    if (value === undefined || value === null || value === '') return null;
    const parsed = typeof value === 'number' ? value : Number(value);
    if (!Number.isInteger(parsed)) throw badRequest('invalidValue', `${name} must be an integer`);
    return parsed;
  };
  const order = text(source.sortOrder);
  if (order !== null && order !== 'ascending' && order !== 'descending') {
    throw badRequest('invalidValue', 'sortOrder must be "ascending" or "descending"');
  }
  return {
    filter: text(source.filter),
    startIndex: integer('startIndex', source.startIndex),
    count: integer('count', source.count),
    sortBy: text(source.sortBy),
    sortOrder: order === 'descending' ? 'descending' : 'ascending',
    projection,
  };
}

/**
 * Answers a query with a ListResponse (RFC 7644 §3.4.2). Paging per §3.4.2.4: `startIndex` is 1-based and a
 * value below 1 means 1; a negative `count` means 0; `count` is capped at the provider's maxResults, so a client
 * must page by the `itemsPerPage` it gets, not the count it asked for. Equality on userName, externalId and id
 * uses an index; any other filter scans.
 */
export function listResources(
  store: ScimStore,
  kind: ResourceKind,
  query: ListQuery,
  limits: { maxResults: number; unfilterable: string[] },
  baseUrl: string,
): Record<string, unknown> {
  const maxResults = limits.maxResults;
  const name = kind.name;
  const startIndex = Math.max(1, query.startIndex ?? 1);
  const count = Math.min(Math.max(0, query.count ?? maxResults), maxResults);
  let total: number;
  let page: StoredResource[];
  if (query.filter === null && query.sortBy === null) {
    const ids = store.ids(name);
    total = ids.length;
    page = ids.slice(startIndex - 1, startIndex - 1 + count).flatMap((id) => store.get(name, id) ?? []);
  } else {
    let matched =
      query.filter === null
        ? [...store.all(name)]
        : matching(store, kind, filterable(parseFilter(query.filter), limits.unfilterable));
    if (query.sortBy !== null) matched = sorted(store, kind, matched, query.sortBy, query.sortOrder);
    total = matched.length;
    page = matched.slice(startIndex - 1, startIndex - 1 + count);
  }
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: total,
    startIndex,
    itemsPerPage: page.length,
    Resources: page.map((resource) =>
      project(kind, renderResource(store, resource, baseUrl), query.projection),
    ),
  };
}

function filterable(filter: Filter, unfilterable: string[]): Filter {
  const refused = new Set(unfilterable.map((name) => name.toLowerCase()));
  const visit = (node: Filter): void => {
    if ('filters' in node) node.filters.forEach(visit);
    else if ('filter' in node) visit(node.filter);
    else if (refused.has(node.attrPath.toLowerCase())) {
      throw badRequest('invalidFilter', `this service provider cannot filter on ${node.attrPath}`);
    }
  };
  visit(filter);
  return filter;
}

function matching(store: ScimStore, kind: ResourceKind, filter: Filter): StoredResource[] {
  const name: KindName = kind.name;
  const predicate = compileFilter(kind, filter);
  if (filter.op === 'eq' && typeof filter.compValue === 'string') {
    const path = filter.attrPath.toLowerCase();
    if (path === 'id') return [store.get(name, filter.compValue)].flatMap((found) => found ?? []);
    if (path === 'externalid') return store.findByExternalId(name, filter.compValue);
    if (path === 'username' && name === 'User') {
      return [store.findByUserName(filter.compValue)].flatMap((found) => found ?? []);
    }
  }
  const out: StoredResource[] = [];
  for (const resource of store.all(name)) {
    if (predicate(renderResource(store, resource, null))) out.push(resource);
  }
  return out;
}

// RFC 7644 §3.4.2.3: sort by one attribute; a multi-valued one sorts by its primary value, if any.
function sorted(
  store: ScimStore,
  kind: ResourceKind,
  resources: StoredResource[],
  sortBy: string,
  order: 'ascending' | 'descending',
): StoredResource[] {
  const resolved = resolveAttribute(kind, sortBy);
  if (!resolved)
    throw badRequest('invalidValue', `cannot sort by "${sortBy}": not an attribute of ${kind.name}`);
  const definition = resolved.sub ?? resolved.attribute;
  const keyOf = (resource: StoredResource): string | number | null => {
    const view = renderResource(store, resource, null);
    const holder = resolved.extension ? view[resolved.extension.id] : view;
    if (!isObject(holder)) return null;
    let value = holder[resolved.attribute.name];
    if (Array.isArray(value))
      value = value.find((item) => isObject(item) && item.primary === true) ?? value[0];
    if (resolved.sub && isObject(value)) value = value[resolved.sub.name];
    else if (!resolved.sub && resolved.attribute.multiValued && isObject(value)) value = value.value;
    if (typeof value === 'string') return definition.caseExact ? value : value.toLowerCase();
    if (typeof value === 'number') return value;
    if (typeof value === 'boolean') return value ? 1 : 0;
    return null;
  };
  const keyed = resources.map((resource) => ({ resource, key: keyOf(resource) }));
  const direction = order === 'descending' ? -1 : 1;
  keyed.sort((a, b) => {
    // Resources without a value sort last whatever the order (RFC 7644 §3.4.2.3).
    if (a.key === null || b.key === null) return a.key === b.key ? 0 : a.key === null ? 1 : -1;
    if (a.key === b.key) return 0;
    return (a.key < b.key ? -1 : 1) * direction;
  });
  return keyed.map((entry) => entry.resource);
}
