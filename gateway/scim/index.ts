import express, { Router } from 'express';
import { provisionPersonNow } from '../../workers/client.js';
import type { GatewayDeps } from '../deps.js';
import { resourceTypes, schemas, serviceProviderConfig } from './discovery.js';
import { groupRoutes } from './groups.js';
import type { ScimDeps } from './scim-context.js';
import { scimErrorBody, scimErrorHandler, scimNotFound } from './scim-error.js';
import { wrap, userRoutes } from './users.js';
import { URN } from './urns.js';

export const SCIM_BASE = '/scim/v2';

/**
 * `/scim/v2`: the inbound SCIM 2.0 service provider (RFC 7643, RFC 7644) a group IdP such as Okta or Microsoft Entra
 * provisions people into. Each token belongs to one source connection; what it writes becomes directory records
 * that flow into role rules like HR people.
 */
export function scimServer(gatewayDeps: GatewayDeps, hooks: Pick<ScimDeps, 'onPeopleChanged'> = {}): Router {
  const deps: ScimDeps = {
    ...gatewayDeps,
    onPeopleChanged: hooks.onPeopleChanged ?? provisionChangedPeople(gatewayDeps),
  };
  const router = Router();
  router.use(
    express.json({ limit: '5mb', type: ['application/scim+json', 'application/json', 'application/*+json'] }),
  );
  const base = `${deps.publicUrl}${SCIM_BASE}`;
  // Discovery needs a token too (RFC 7644 §4 lets the provider decide); clients probe it with their token.
  router.get(
    '/ServiceProviderConfig',
    wrap(deps, async (_req, res) => void res.type('application/scim+json').json(serviceProviderConfig(base))),
  );
  router.get(
    '/ResourceTypes',
    wrap(deps, async (_req, res) => void res.type('application/scim+json').json(listOf(resourceTypes(base)))),
  );
  router.get(
    '/ResourceTypes/:id',
    wrap(deps, async (req, res) => {
      const found = resourceTypes(base).find((r) => r.id === req.params.id);
      if (!found)
        res
          .status(404)
          .type('application/scim+json')
          .json(scimErrorBody(404, `No resource type ${String(req.params.id)}`));
      else res.type('application/scim+json').json(found);
    }),
  );
  router.get(
    '/Schemas',
    wrap(deps, async (_req, res) => void res.type('application/scim+json').json(listOf(schemas(base)))),
  );
  router.get(
    '/Schemas/:id',
    wrap(deps, async (req, res) => {
      const found = schemas(base).find((s) => s.id === req.params.id);
      if (!found)
        res
          .status(404)
          .type('application/scim+json')
          .json(scimErrorBody(404, `No schema ${String(req.params.id)}`));
      else res.type('application/scim+json').json(found);
    }),
  );
  router.use(userRoutes(deps));
  router.use(groupRoutes(deps));
  router.use(scimNotFound);
  router.use(scimErrorHandler(deps.log));
  return router;
}

function listOf(resources: unknown[]) {
  return {
    schemas: [URN.listResponse],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

/**
 * A SCIM change reaches the targets at once: one provisionPerson run per changed person (the sync engine applies the
 * role rules and writes the accounts). Started in the background, one after another, so a large group PUT neither
 * waits for Temporal nor floods it; the scheduled runs converge anyway if a start fails.
 */
function provisionChangedPeople(deps: GatewayDeps): NonNullable<ScimDeps['onPeopleChanged']> {
  let queue = Promise.resolve();
  return (personIds, caller) => {
    queue = queue.then(async () => {
      for (const personId of personIds) {
        await provisionPersonNow(deps.temporal.client, deps.temporal.taskQueue, personId, {
          trigger: 'person_change',
          requestedBy: `scim token ${caller.tokenName}`,
        }).catch((error: unknown) =>
          deps.log.warn({ err: error, personId }, 'could not start provisioning after a SCIM change'),
        );
      }
    });
    return Promise.resolve();
  };
}
