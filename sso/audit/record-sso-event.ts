import type { DataSource } from 'typeorm';
import { rows } from '../db/sql.js';

/** The SSO actions written to `audit_events`; admins filter by these. */
export type SsoAuditAction =
  | 'sso.sign_in'
  | 'sso.app_access'
  | 'sso.discovery'
  | 'sso.saml_request'
  | 'sso.logout'
  | 'sso.sessions_revoked'
  | 'sso.second_factor_enrolled'
  | 'sso.signing_keys_rotated';

export interface SsoAuditEvent {
  action: SsoAuditAction;
  outcome: 'success' | 'failure' | 'denied';
  tenantId?: string | null;
  /** `person` when we know who, `anonymous` before that, `system` for leaver revocations. */
  actorType?: 'person' | 'anonymous' | 'system' | 'admin';
  actorId?: string | null;
  targetType?: 'application' | 'identity_provider' | 'person' | 'session' | 'signing_key' | null;
  targetId?: string | null;
  /** Why, in words for an admin: never shown to the person. */
  reason?: string | null;
  detail?: Record<string, unknown> | null;
  ip?: string | null;
  userAgent?: string | null;
}

/** The columns of an SSO audit row, in the order `auditValues` gives them. */
export const AUDIT_COLUMNS =
  'tenant_id, actor_type, actor_id, action, target_type, target_id, outcome, reason, after, ip, user_agent';

/** Appends one audit row. A failed audit write fails the request: a sign-in we cannot account for is refused. */
export async function recordSsoEvent(dataSource: DataSource, event: SsoAuditEvent): Promise<void> {
  await rows(
    dataSource,
    `INSERT INTO audit_events (${AUDIT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    auditValues(event),
    'sso-audit-insert',
  );
}

/** An event as the eleven values of AUDIT_COLUMNS (for statements that write it alongside other rows). */
export function auditValues(event: SsoAuditEvent): unknown[] {
  return [
    event.tenantId ?? null,
    event.actorType ?? (event.actorId ? 'person' : 'anonymous'),
    event.actorId?.slice(0, 255) ?? null,
    event.action,
    event.targetType ?? null,
    event.targetId?.slice(0, 255) ?? null,
    event.outcome,
    event.reason ?? null,
    event.detail ? JSON.stringify(event.detail) : null,
    event.ip?.slice(0, 64) ?? null,
    event.userAgent?.slice(0, 512) ?? null,
  ];
}
