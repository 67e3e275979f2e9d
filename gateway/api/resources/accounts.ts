import { z } from 'zod';
import { Account } from '../../../core/entities/index.js';
import { resourceRoutes } from '../http/crud.js';
import { isoOrNull, presentRecord, recordFields } from '../http/record-fields.js';
import { Timestamp } from '../http/schemas.js';

const STATUSES = ['active', 'disabled', 'deleted'] as const;

export const AccountOut = z
  .object({
    ...recordFields,
    tenantId: z.uuid(),
    connectionId: z.uuid(),
    personId: z.uuid(),
    externalId: z.string().nullable(),
    status: z.enum(STATUSES),
    groups: z.array(z.string()),
    lastPushed: z
      .record(z.string(), z.unknown())
      .describe('The attributes Junction last wrote to the target'),
    disabledAt: Timestamp.nullable(),
    deleteAfter: Timestamp.nullable(),
    lastSyncedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Account' });

export function presentAccount(a: Account) {
  return {
    ...presentRecord(a),
    tenantId: a.tenantId,
    connectionId: a.connectionId,
    personId: a.personId,
    externalId: a.externalId,
    status: a.status,
    groups: a.groups,
    lastPushed: a.lastPushed,
    disabledAt: isoOrNull(a.disabledAt),
    deleteAfter: isoOrNull(a.deleteAfter),
    lastSyncedAt: isoOrNull(a.lastSyncedAt),
  };
}

/** Accounts: a person's account in each target connection, as the sync engine keeps them. Read-only. */
export const accountRoutes = resourceRoutes({
  plural: 'accounts',
  singular: 'account',
  title: 'Account',
  tag: 'Sync',
  entity: Account,
  output: AccountOut,
  tenantOf: (a) => a.tenantId,
  tenantColumn: 'x.tenantId',
  present: presentAccount,
  list: {
    sorts: {
      createdAt: { property: 'createdAt', cast: 'timestamptz' },
      updatedAt: { property: 'updatedAt', cast: 'timestamptz' },
    },
    defaultSort: '-updatedAt',
    filters: {
      tenantId: z.uuid().optional(),
      connectionId: z.uuid().optional(),
      personId: z.uuid().optional(),
      status: z.enum(STATUSES).optional(),
      externalId: z.string().max(512).optional(),
    },
    applyFilters: (qb, query) => {
      for (const key of ['tenantId', 'connectionId', 'personId', 'status', 'externalId'] as const) {
        if (query[key]) qb.andWhere(`x.${key} = :${key}`, { [key]: query[key] });
      }
    },
  },
});
