import { createHash, randomBytes } from 'node:crypto';
import { SignInRejected } from '../errors.js';
import type { ExpiringStore } from '../state/expiring-store.js';

/** Where a finished sign-in goes back to: an OIDC interaction, a pending SAML AuthnRequest, or the launcher. */
export type ResumeTarget =
  { kind: 'oidc'; uid: string } | { kind: 'saml'; requestKey: string } | { kind: 'launcher' };

/** A first factor is done and a second one is owed before the session may be created. */
export interface PendingSecondFactor {
  methods: ('totp' | 'webauthn')[];
  identityId: string;
  personId: string;
  providerId: string;
  tenantId: string;
  amr: string[];
}

/**
 * One person's attempt to sign in, from the first page to the session, kept in PostgreSQL so any replica can serve
 * any step. It is bound to the browser that started it (the hash of the `junction_browser` cookie): a transaction
 * id leaked in a URL is useless in another browser.
 */
export interface LoginTransaction {
  id: string;
  browser: string;
  resume: ResumeTarget;
  applicationId: string | null;
  loginHint: string | null;
  /** A sign-in older than this (epoch ms) does not satisfy the request (prompt=login, max_age, ForceAuthn). */
  notBefore: number | null;
  email?: string;
  tenantId?: string;
  /** The providers discovery offered; a chosen provider must be one of them. */
  offeredProviderIds?: string[];
  /** Discovery already ran once on the login hint (do not loop on a hint that fails). */
  hintTried?: boolean;
  pending?: PendingSecondFactor;
}

export const LOGIN_TX_NAMESPACE = 'login-tx';
const NAMESPACE = LOGIN_TX_NAMESPACE;
export const LOGIN_TTL_SECONDS = 15 * 60;

export function browserHash(browserToken: string): string {
  return createHash('sha256').update(`junction-browser:${browserToken}`).digest('base64url');
}

export async function createLoginTransaction(
  store: ExpiringStore,
  browserToken: string,
  input: Pick<LoginTransaction, 'resume' | 'applicationId' | 'loginHint' | 'notBefore'>,
): Promise<LoginTransaction> {
  const tx = newLoginTransaction(browserToken, input);
  await store.put(NAMESPACE, tx.id, tx, LOGIN_TTL_SECONDS);
  return tx;
}

/** A transaction not stored yet: the caller stores it (saveLoginTransaction, or with the state that names it). */
export function newLoginTransaction(
  browserToken: string,
  input: Pick<LoginTransaction, 'resume' | 'applicationId' | 'loginHint' | 'notBefore'>,
): LoginTransaction {
  return { id: randomBytes(18).toString('base64url'), browser: browserHash(browserToken), ...input };
}

/** The store entry of a transaction, for callers that write it together with other entries. */
export function loginTransactionEntry(tx: LoginTransaction): {
  namespace: string;
  key: string;
  value: LoginTransaction;
  ttlSeconds: number;
} {
  return { namespace: NAMESPACE, key: tx.id, value: tx, ttlSeconds: LOGIN_TTL_SECONDS };
}

/** Checks that a transaction read by some other statement belongs to this browser (see loadLoginTransaction). */
export function checkLoginTransaction(
  id: string,
  tx: LoginTransaction | undefined,
  browserToken: string | undefined,
): LoginTransaction {
  if (!tx) throw new SignInRejected('expired', `login transaction ${id.slice(0, 40)} unknown or expired`);
  if (!browserToken || tx.browser !== browserHash(browserToken)) {
    throw new SignInRejected(
      'invalid_request',
      'login transaction used from a browser other than the one that began it',
    );
  }
  return tx;
}

export async function loadLoginTransaction(
  store: ExpiringStore,
  id: string,
  browserToken: string | undefined,
): Promise<LoginTransaction> {
  const tx = /^[A-Za-z0-9_-]{24}$/.test(id) ? await store.get<LoginTransaction>(NAMESPACE, id) : undefined;
  return checkLoginTransaction(id, tx, browserToken);
}

export async function saveLoginTransaction(store: ExpiringStore, tx: LoginTransaction): Promise<void> {
  await store.put(NAMESPACE, tx.id, tx, LOGIN_TTL_SECONDS);
}

export async function endLoginTransaction(store: ExpiringStore, id: string): Promise<void> {
  await store.delete(NAMESPACE, id);
}
