import { decodeProtectedHeader, type JWTPayload } from 'jose';
import { checkAlgorithm } from './check-algorithm.js';
import { checkAudience } from './check-audience.js';
import { checkExpiry } from './check-expiry.js';
import { checkIssuer } from './check-issuer.js';
import { checkNonce } from './check-nonce.js';
import { checkSignature } from './check-signature.js';
import { checkSubject } from './check-subject.js';
import { IdTokenRejected, type IdTokenCheck, type IdTokenContext } from './id-token-check.js';

/**
 * The upstream ID token checks of OIDC Core §3.1.3.7, in order. The algorithm is judged from the header before any
 * key is touched; every later check reads only the claims the signature check verified.
 */
export const ID_TOKEN_PIPELINE: readonly IdTokenCheck[] = [
  checkAlgorithm,
  checkSignature,
  checkIssuer,
  checkAudience,
  checkExpiry,
  checkNonce,
  checkSubject,
];

export async function verifyIdToken(
  token: string,
  expected: IdTokenContext['expected'],
  keys: IdTokenContext['keys'],
  pipeline: readonly IdTokenCheck[] = ID_TOKEN_PIPELINE,
): Promise<JWTPayload & { sub: string }> {
  let header: IdTokenContext['header'];
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw new IdTokenRejected('format', 'not a compact JWS');
  }
  if (token.split('.').length !== 3)
    throw new IdTokenRejected('format', 'not a compact JWS (encrypted or malformed)');
  const ctx: IdTokenContext = { token, header, claims: {}, expected, keys };
  for (const check of pipeline) await check(ctx);
  return ctx.claims as JWTPayload & { sub: string };
}
