import type { RouteContext } from '../http/route.js';
import { recordAudit } from '../http/audit.js';

/** Audits an action (run, check, approve…) outside any data change: who asked for what, and how it went. */
export async function auditAction(
  ctx: RouteContext<unknown, unknown, unknown>,
  entry: {
    tenantId: string | null;
    action: string;
    targetType: string;
    targetId: string;
    outcome?: 'success' | 'failure' | 'denied';
    reason?: string | null;
    after?: unknown;
  },
): Promise<void> {
  await recordAudit(ctx.deps.dataSource.manager, {
    actor: ctx.principal.actor,
    ip: ctx.ip,
    userAgent: ctx.req.header('user-agent') ?? null,
    targetType: entry.targetType,
    targetId: entry.targetId,
    tenantId: entry.tenantId,
    action: entry.action,
    outcome: entry.outcome ?? 'success',
    reason: entry.reason ?? null,
    after: entry.after,
  });
}

/** Who asked, as the sync engine records it on a run (`requestedBy`). */
export function requester(ctx: RouteContext<unknown, unknown, unknown>): string {
  return ctx.principal.actor.label.slice(0, 200);
}
