import { IdTokenRejected, type IdTokenCheck } from './id-token-check.js';

/**
 * OIDC Core §3.1.3.7 steps 9–10 and RFC 7519 §4.1.4–4.1.6: `exp` is in the future, `iat` is not, and `nbf` (when
 * present) has passed, each within the configured clock skew.
 */
export const checkExpiry: IdTokenCheck = ({ claims, expected }) => {
  const { now, clockSkewSeconds: skew } = expected;
  if (typeof claims.exp !== 'number') throw new IdTokenRejected('expiry', 'exp is missing');
  if (claims.exp <= now - skew) throw new IdTokenRejected('expiry', `expired at ${claims.exp}, now ${now}`);
  if (typeof claims.iat !== 'number') throw new IdTokenRejected('expiry', 'iat is missing');
  if (claims.iat > now + skew)
    throw new IdTokenRejected('expiry', `issued in the future (iat ${claims.iat})`);
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > now + skew)) {
    throw new IdTokenRejected('expiry', `not valid before ${String(claims.nbf)}`);
  }
};
