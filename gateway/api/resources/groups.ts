import { z } from 'zod';
import { Group } from '../../../core/entities/index.js';
import { resourceRoutes } from '../http/crud.js';
import { presentRecord, recordFields } from '../http/record-fields.js';
import { escapeLike } from './tenants.js';

export const GroupOut = z
  .object({
    ...recordFields,
    tenantId: z.uuid(),
    source: z.object({ connectionId: z.uuid().nullable(), externalId: z.string().nullable() }),
    displayName: z.string(),
    memberCount: z.number().int(),
  })
  .meta({ id: 'Group' });

/** Groups a source manages (an inbound SCIM client, LDAP); role rules match on membership. Read-only here. */
export const groupRoutes = resourceRoutes({
  plural: 'groups',
  singular: 'group',
  title: 'Group',
  tag: 'Directory',
  entity: Group,
  output: GroupOut,
  tenantOf: (g) => g.tenantId,
  tenantColumn: 'x.tenantId',
  present: async (g, ctx) => {
    const [{ count }] = (await ctx.manager.query(
      'SELECT count(*)::int AS count FROM group_memberships WHERE group_id = $1',
      [g.id],
    )) as [{ count: number }];
    return {
      ...presentRecord(g),
      tenantId: g.tenantId,
      source: { connectionId: g.sourceConnectionId, externalId: g.externalId },
      displayName: g.displayName,
      memberCount: count,
    };
  },
  list: {
    sorts: {
      displayName: { property: 'displayName', cast: 'text' },
      createdAt: { property: 'createdAt', cast: 'timestamptz' },
    },
    defaultSort: 'displayName',
    filters: {
      tenantId: z.uuid().optional(),
      q: z.string().max(200).optional(),
      sourceConnectionId: z.uuid().optional(),
    },
    applyFilters: (qb, query) => {
      if (query.tenantId) qb.andWhere('x.tenantId = :tenantId', { tenantId: query.tenantId });
      if (query.sourceConnectionId) {
        qb.andWhere('x.sourceConnectionId = :sourceConnectionId', {
          sourceConnectionId: query.sourceConnectionId,
        });
      }
      if (query.q) qb.andWhere('x.displayName ILIKE :q', { q: `%${escapeLike(String(query.q))}%` });
    },
  },
});
