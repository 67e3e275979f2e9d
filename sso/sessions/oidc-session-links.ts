import type { ExpiringStore } from '../state/expiring-store.js';

const NAMESPACE = 'sso-oidc-sessions';

/**
 * Which oidc-provider sessions a gateway session started (one per browser and account), so ending the gateway
 * session — SAML single logout, an admin revoking one session — also ends those and tells their apps.
 */
export async function linkOidcSession(
  store: ExpiringStore,
  sessionRef: string,
  oidcSessionId: string,
  ttlSeconds: number,
): Promise<void> {
  // One atomic statement: two replicas linking sessions of the same gateway session at once both land.
  await store.appendUnique(NAMESPACE, sessionRef, oidcSessionId, 20, Math.max(60, ttlSeconds));
}

export async function linkedOidcSessions(store: ExpiringStore, sessionRef: string): Promise<string[]> {
  return (await store.take<{ ids: string[] }>(NAMESPACE, sessionRef))?.ids ?? [];
}
