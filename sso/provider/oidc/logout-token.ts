import { randomBytes } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';

export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/**
 * A Logout Token (OIDC Back-Channel Logout 1.0 §2.4): iss, aud, iat, exp, jti, the back-channel event, sub and
 * sid; `typ: logout+jwt` (§2.4, recommended) so it cannot be mistaken for an ID token.
 */
export async function signLogoutToken(
  key: JWK,
  input: { issuer: string; clientId: string; sub: string; sid?: string },
): Promise<string> {
  const alg = String(key.alg ?? 'RS256');
  const privateKey = await importJWK(key, alg);
  return new SignJWT({ events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }, ...(input.sid ? { sid: input.sid } : {}) })
    .setProtectedHeader({ alg, kid: key.kid, typ: 'logout+jwt' })
    .setIssuer(input.issuer)
    .setAudience(input.clientId)
    .setSubject(input.sub)
    .setIssuedAt()
    .setExpirationTime('2m')
    .setJti(randomBytes(16).toString('base64url'))
    .sign(privateKey);
}

/** POSTs the token as `logout_token` (§2.5); the RP must answer 200 (or 204). */
export async function deliverLogoutToken(uri: string, token: string, timeoutMs = 2_500): Promise<void> {
  const response = await fetch(uri, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ logout_token: token }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.arrayBuffer().catch(() => undefined);
  if (response.status !== 200 && response.status !== 204) {
    throw new Error(`back-channel logout to ${uri} answered ${response.status}`);
  }
}
