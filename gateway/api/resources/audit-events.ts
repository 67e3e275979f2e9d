import type { SelectQueryBuilder } from 'typeorm';
import { z } from 'zod';
import { AuditEvent } from '../../../core/entities/index.js';
import type { Principal } from '../auth/principal.js';
import { paginate } from '../http/pagination.js';
import { problems } from '../http/problem.js';
import { defineRoute } from '../http/route.js';
import { listQuery, pageOf, Timestamp, TimestampInput } from '../http/schemas.js';

export const AuditEventOut = z
  .object({
    id: z.string(),
    tenantId: z.uuid().nullable(),
    actor: z.object({ type: z.string(), id: z.string().nullable(), label: z.string().nullable() }),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    outcome: z.enum(['success', 'failure', 'denied']),
    reason: z.string().nullable(),
    before: z.record(z.string(), z.unknown()).nullable(),
    after: z.record(z.string(), z.unknown()).nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'AuditEvent' });

function present(e: AuditEvent) {
  return {
    id: String(e.id),
    tenantId: e.tenantId,
    actor: { type: e.actorType, id: e.actorId, label: e.actorLabel },
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    outcome: e.outcome,
    reason: e.reason,
    before: e.before,
    after: e.after,
    ip: e.ip,
    userAgent: e.userAgent,
    createdAt: e.createdAt.toISOString(),
  };
}

const filters = {
  tenantId: z.uuid().optional(),
  action: z.string().max(100).optional().describe('Exact action, or a prefix ending in `.` (`connection.`)'),
  actorId: z.string().max(255).optional(),
  targetType: z.string().max(50).optional(),
  targetId: z.string().max(255).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  from: TimestampInput.optional().describe('Inclusive'),
  to: TimestampInput.optional().describe('Exclusive'),
};
const AuditQuery = listQuery(['createdAt'], '-createdAt', filters);
type Filters = { [K in keyof typeof filters]?: string };

function scoped(qb: SelectQueryBuilder<AuditEvent>, principal: Principal, query: Filters): boolean {
  const tenants = principal.tenants('audit.read');
  if (tenants.length === 0) return false;
  qb.where('x.tenantId IN (:...tenants)', { tenants });
  if (query.tenantId) qb.andWhere('x.tenantId = :tenantId', { tenantId: query.tenantId });
  if (query.action?.endsWith('.')) {
    qb.andWhere('x.action LIKE :actionPrefix', {
      actionPrefix: `${query.action.replace(/[\\%_]/g, '\\$&')}%`,
    });
  } else if (query.action) qb.andWhere('x.action = :action', { action: query.action });
  for (const key of ['actorId', 'targetType', 'targetId', 'outcome'] as const) {
    if (query[key]) qb.andWhere(`x.${key} = :${key}`, { [key]: query[key] });
  }
  if (query.from) qb.andWhere('x.createdAt >= :from', { from: query.from });
  if (query.to) qb.andWhere('x.createdAt < :to', { to: query.to });
  return true;
}

const CSV_COLUMNS = [
  'id',
  'createdAt',
  'tenantId',
  'actorType',
  'actorId',
  'actorLabel',
  'action',
  'targetType',
  'targetId',
  'outcome',
  'reason',
  'ip',
  'before',
  'after',
] as const;

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading = + - @ is defused for spreadsheets. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The audit log: who changed what, queryable and exportable as CSV. */
export const auditEventRoutes = [
  defineRoute({
    method: 'get',
    path: '/audit-events',
    operationId: 'listAuditEvents',
    summary: 'Query the audit log',
    tag: 'Audit',
    permission: 'audit.read',
    query: AuditQuery,
    responses: { 200: { description: 'A page', schema: pageOf(AuditEventOut, 'AuditEventPage') } },
    handle: async (ctx) => {
      const qb = ctx.deps.dataSource.manager.getRepository(AuditEvent).createQueryBuilder('x');
      if (!scoped(qb, ctx.principal, ctx.query))
        return { status: 200, body: { items: [], nextCursor: null } };
      const page = await paginate(qb, {
        alias: 'x',
        sort: ctx.query.sort,
        sorts: { createdAt: { property: 'createdAt', cast: 'timestamptz' } },
        limit: ctx.query.limit,
        cursor: ctx.query.cursor,
        idCast: 'bigint',
      });
      return { status: 200, body: { items: page.items.map(present), nextCursor: page.nextCursor } };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/audit-events/export',
    operationId: 'exportAuditEvents',
    summary: 'Export the matching audit events as CSV (oldest first, streamed)',
    tag: 'Audit',
    permission: 'audit.read',
    query: z.object(filters),
    responses: { 200: { description: 'CSV, RFC 4180, with a header row', contentType: 'text/csv' } },
    handle: async (ctx) => {
      const res = ctx.res;
      const page = async (after: string | null): Promise<AuditEvent[]> => {
        const qb = ctx.deps.dataSource.manager.getRepository(AuditEvent).createQueryBuilder('x');
        if (!scoped(qb, ctx.principal, ctx.query)) return [];
        if (after !== null) qb.andWhere('x.id > CAST(:after AS bigint)', { after });
        return qb.orderBy('x.id', 'ASC').limit(1000).getMany();
      };
      // The first page is read before the headers go out, so a bad query is still a clean error response.
      let rows = await page(null);
      res.status(200).type('text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', 'attachment; filename="junction-audit.csv"');
      res.write(`${CSV_COLUMNS.join(',')}\r\n`);
      // Keyset pages of 1,000 keep memory flat however long the log is.
      try {
        for (;;) {
          for (const row of rows) {
            const line = CSV_COLUMNS.map((column) =>
              csvField((row as unknown as Record<string, unknown>)[column]),
            );
            res.write(`${line.join(',')}\r\n`);
          }
          if (rows.length < 1000) break;
          rows = await page(String(rows.at(-1)?.id));
        }
      } catch (error) {
        // Headers are gone: all we can do is cut the stream so the client sees an incomplete download.
        ctx.deps.log.error({ err: error }, 'audit export failed mid-stream');
        res.destroy();
        return { status: 200, streamed: true };
      }
      res.end();
      return { status: 200, streamed: true };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/audit-events/{id}',
    operationId: 'getAuditEvent',
    summary: 'Read one audit event',
    tag: 'Audit',
    permission: 'audit.read',
    params: z.object({ id: z.string().regex(/^\d{1,18}$/) }),
    responses: { 200: { description: 'The event', schema: AuditEventOut } },
    handle: async (ctx) => {
      const event = await ctx.deps.dataSource.manager
        .getRepository(AuditEvent)
        .findOne({ where: { id: ctx.params.id } });
      if (!event || !ctx.principal.can('audit.read', event.tenantId)) throw problems.notFound('Audit event');
      return { status: 200, body: present(event) };
    },
  }),
];
