import express, { type Request, type Response, type Router } from 'express';
import { LIST_RESPONSE_SCHEMA, SCIM_MEDIA_TYPE, SEARCH_REQUEST_SCHEMA } from '../urns.js';
import type { ResourceKind } from './attribute-schema.js';
import {
  RESOURCE_KINDS,
  SCHEMAS,
  resourceType,
  schemaResource,
  serviceProviderConfig,
  type ProviderFeatures,
} from './discovery.js';
import { applyPatch, readPatchRequest } from './patch.js';
import { project, readProjection } from './projection.js';
import { ScimProtocolError, badRequest } from './protocol-error.js';
import { listResources, readListQuery } from './query.js';
import { etagOf, renderResource } from './render.js';
import { isObject, normalizeResource } from './resource-validation.js';
import type { ScimStore, StoredResource } from './store.js';

/** The base URL resources' `meta.location` is built from: what the client called, up to the SCIM base path. */
export type BaseUrlOf = (req: Request) => string;

function sendResource(res: Response, status: number, body: unknown): void {
  res.status(status).type(SCIM_MEDIA_TYPE).send(JSON.stringify(body));
}

/**
 * The SCIM 2.0 protocol endpoints (RFC 7644 §3.2), mounted under the simulator's base path. Authentication and
 * fault injection run in front of this router.
 */
export function scimRoutes(store: ScimStore, features: () => ProviderFeatures, baseUrlOf: BaseUrlOf): Router {
  const router = express.Router();
  router.use(
    express.json({
      type: ['application/json', SCIM_MEDIA_TYPE, 'application/*+json'],
      limit: '20mb',
    }),
  );

  // RFC 7644 §4 / RFC 7643 §5: the service provider's capabilities.
  router.get('/ServiceProviderConfig', (req, res) => {
    sendResource(res, 200, serviceProviderConfig(features(), baseUrlOf(req)));
  });

  // RFC 7644 §4 / RFC 7643 §6: the resource types, as a ListResponse, and one by id.
  router.get('/ResourceTypes', (req, res) => {
    const items = RESOURCE_KINDS.map((kind) => resourceType(kind, baseUrlOf(req)));
    sendResource(res, 200, listOf(items));
  });
  router.get('/ResourceTypes/:id', (req, res) => {
    const kind = RESOURCE_KINDS.find((candidate) => candidate.name === req.params.id);
    if (!kind) throw new ScimProtocolError(404, `resource type "${req.params.id}" not found`);
    sendResource(res, 200, resourceType(kind, baseUrlOf(req)));
  });

  // RFC 7644 §4 / RFC 7643 §7: the schemas, as a ListResponse, and one by URN.
  router.get('/Schemas', (req, res) => {
    sendResource(res, 200, listOf(SCHEMAS.map((schema) => schemaResource(schema, baseUrlOf(req)))));
  });
  router.get('/Schemas/:id', (req, res) => {
    const schema = SCHEMAS.find((candidate) => candidate.id === req.params.id);
    if (!schema) throw new ScimProtocolError(404, `schema "${req.params.id}" not found`);
    sendResource(res, 200, schemaResource(schema, baseUrlOf(req)));
  });

  for (const kind of RESOURCE_KINDS) mountResource(router, store, kind, features, baseUrlOf);

  router.use((req, _res, next) =>
    next(new ScimProtocolError(404, `no SCIM endpoint ${req.method} ${req.path}`)),
  );
  return router;
}

function mountResource(
  router: Router,
  store: ScimStore,
  kind: ResourceKind,
  features: () => ProviderFeatures,
  baseUrlOf: BaseUrlOf,
): void {
  const endpoint = kind.endpoint;
  const name = kind.name;
  const present = (req: Request, resource: StoredResource): Record<string, unknown> => {
    const rendered = renderResource(store, resource, baseUrlOf(req));
    if (!features().etag) delete (rendered.meta as Record<string, unknown>).version;
    return rendered;
  };
  const withEtag = (res: Response, resource: StoredResource): void => {
    if (features().etag) res.set('ETag', etagOf(resource));
  };
  // RFC 7644 §3.14: a write with If-Match that does not name the current version fails with 412.
  const checkIfMatch = (req: Request, resource: StoredResource): void => {
    const wanted = req.get('If-Match');
    if (!features().etag || wanted === undefined) return;
    const tags = wanted.split(',').map((tag) => tag.trim());
    if (tags.includes('*') || tags.includes(etagOf(resource))) return;
    throw new ScimProtocolError(
      412,
      `${name} "${resource.id}" has changed; it is now at ${etagOf(resource)}`,
    );
  };
  const projectionOf = (req: Request): ReturnType<typeof readProjection> =>
    readProjection(req.query.attributes, req.query.excludedAttributes);

  // RFC 7644 §3.4.2: query with filter, sort and paging.
  router.get(endpoint, (req, res) => {
    const query = readListQuery(req.query as Record<string, unknown>, projectionOf(req));
    sendResource(res, 200, listResources(store, kind, query, features(), baseUrlOf(req)));
  });

  // RFC 7644 §3.4.3: the same query as a SearchRequest body.
  router.post(`${endpoint}/.search`, (req, res) => {
    const body: unknown = req.body;
    if (!isObject(body) || !Array.isArray(body.schemas) || !body.schemas.includes(SEARCH_REQUEST_SCHEMA)) {
      throw badRequest('invalidSyntax', `a search body must list "${SEARCH_REQUEST_SCHEMA}" in "schemas"`);
    }
    const join = (value: unknown): unknown => (Array.isArray(value) ? value.join(',') : value);
    const query = readListQuery(body, readProjection(join(body.attributes), join(body.excludedAttributes)));
    sendResource(res, 200, listResources(store, kind, query, features(), baseUrlOf(req)));
  });

  // RFC 7644 §3.3: create; 201 with Location, 409 uniqueness on a taken userName.
  router.post(endpoint, (req, res) => {
    const attributes = normalizeResource(kind, req.body, { requireSchemas: true });
    const created = store.create(name, attributes);
    const body = present(req, created);
    res.set('Location', String((body.meta as Record<string, unknown>).location));
    withEtag(res, created);
    sendResource(res, 201, project(kind, body, projectionOf(req)));
  });

  // RFC 7644 §3.4.1: read one; If-None-Match naming the current version is 304 (RFC 7644 §3.14).
  router.get(`${endpoint}/:id`, (req, res) => {
    const resource = store.mustGet(name, req.params.id as string);
    if (features().etag && req.get('If-None-Match') === etagOf(resource)) {
      withEtag(res, resource);
      res.status(304).end();
      return;
    }
    withEtag(res, resource);
    sendResource(res, 200, project(kind, present(req, resource), projectionOf(req)));
  });

  // RFC 7644 §3.5.1: replace. Attributes left out are cleared, except the write-only password.
  router.put(`${endpoint}/:id`, (req, res) => {
    const current = store.mustGet(name, req.params.id as string);
    checkIfMatch(req, current);
    const attributes = normalizeResource(kind, req.body, { requireSchemas: true });
    if (attributes.password === undefined && current.attributes.password !== undefined) {
      attributes.password = current.attributes.password;
    }
    const replaced = store.replace(name, current.id, attributes);
    withEtag(res, replaced);
    sendResource(res, 200, project(kind, present(req, replaced), projectionOf(req)));
  });

  // RFC 7644 §3.5.2: modify with add / remove / replace operations.
  router.patch(`${endpoint}/:id`, (req, res) => {
    // RFC 7644 §3.12: 501 for an operation the provider does not support.
    if (!features().patch)
      throw new ScimProtocolError(501, 'PATCH is not supported by this service provider');
    const current = store.mustGet(name, req.params.id as string);
    checkIfMatch(req, current);
    const operations = readPatchRequest(req.body);
    const patched = store.replace(name, current.id, applyPatch(kind, current.attributes, operations));
    withEtag(res, patched);
    if (features().patchNoContent) {
      res.status(204).end();
      return;
    }
    sendResource(res, 200, project(kind, present(req, patched), projectionOf(req)));
  });

  // RFC 7644 §3.6: delete; 204 on success, 404 after.
  router.delete(`${endpoint}/:id`, (req, res) => {
    const current = store.mustGet(name, req.params.id as string);
    checkIfMatch(req, current);
    store.delete(name, current.id);
    res.status(204).end();
  });
}

function listOf(items: unknown[]): Record<string, unknown> {
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: items.length,
    startIndex: 1,
    itemsPerPage: items.length,
    Resources: items,
  };
}
