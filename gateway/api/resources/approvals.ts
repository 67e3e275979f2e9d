import { z } from 'zod';
import { Approval } from '../../../core/entities/index.js';
import { resourceRoutes } from '../http/crud.js';
import { isoOrNull, presentRecord, recordFields } from '../http/record-fields.js';
import { Timestamp } from '../http/schemas.js';

const STATUSES = ['pending', 'approved', 'rejected', 'expired'] as const;

export const ApprovalOut = z
  .object({
    ...recordFields,
    tenantId: z.uuid(),
    runId: z.uuid(),
    connectionId: z.uuid(),
    reason: z.string(),
    summary: z.record(z.string(), z.unknown()),
    status: z.enum(STATUSES),
    decidedBy: z.string().nullable(),
    decidedAt: Timestamp.nullable(),
  })
  .meta({ id: 'Approval' });

export function presentApproval(a: Approval) {
  return {
    ...presentRecord(a),
    tenantId: a.tenantId,
    runId: a.runId,
    connectionId: a.connectionId,
    reason: a.reason,
    summary: a.summary,
    status: a.status,
    decidedBy: a.decidedBy,
    decidedAt: isoOrNull(a.decidedAt),
  };
}

/** Runs held by the deletion threshold; approve / reject are actions (actions/approvals.ts). */
export const approvalRoutes = resourceRoutes({
  plural: 'approvals',
  singular: 'approval',
  title: 'Approval',
  tag: 'Sync',
  entity: Approval,
  output: ApprovalOut,
  tenantOf: (a) => a.tenantId,
  tenantColumn: 'x.tenantId',
  present: presentApproval,
  list: {
    sorts: { createdAt: { property: 'createdAt', cast: 'timestamptz' } },
    defaultSort: '-createdAt',
    filters: {
      tenantId: z.uuid().optional(),
      connectionId: z.uuid().optional(),
      status: z.enum(STATUSES).optional(),
    },
    applyFilters: (qb, query) => {
      for (const key of ['tenantId', 'connectionId', 'status'] as const) {
        if (query[key]) qb.andWhere(`x.${key} = :${key}`, { [key]: query[key] });
      }
    },
  },
});
