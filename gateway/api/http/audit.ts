import type { EntityManager } from 'typeorm';
import { AuditEvent } from '../../../core/entities/index.js';
import { SECRET_FIELD_NAMES } from '../../../core/logger.js';
import type { Actor } from '../auth/principal.js';
import { SECRET_MASK } from './schemas.js';

export interface AuditEntry {
  actor: Actor;
  tenantId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before?: unknown;
  after?: unknown;
  outcome?: 'success' | 'failure' | 'denied';
  reason?: string | null;
  ip: string | null;
  userAgent?: string | null;
}

const SECRET_KEYS = new Set<string>(SECRET_FIELD_NAMES.map((name) => name.toLowerCase()));

/**
 * Writes one audit event inside the caller's transaction, so a change and its record commit together. Before /
 * after are the API's own read representations (secrets already masked); string values under secret-looking keys
 * are masked again here in case a representation ever leaks one.
 */
export async function recordAudit(manager: EntityManager, entry: AuditEntry): Promise<void> {
  const repo = manager.getRepository(AuditEvent);
  await repo.save(
    repo.create({
      tenantId: entry.tenantId,
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      actorLabel: entry.actor.label.slice(0, 255),
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      outcome: entry.outcome ?? 'success',
      reason: entry.reason ?? null,
      before: entry.before === undefined ? null : (maskSecrets(entry.before) as Record<string, unknown>),
      after: entry.after === undefined ? null : (maskSecrets(entry.after) as Record<string, unknown>),
      ip: entry.ip?.slice(0, 64) ?? null,
      userAgent: entry.userAgent?.slice(0, 512) ?? null,
    }),
  );
}

export function maskSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] =
        SECRET_KEYS.has(key.toLowerCase()) && typeof inner === 'string'
          ? SECRET_MASK
          : maskSecrets(inner, depth + 1);
    }
    return out;
  }
  return value;
}
