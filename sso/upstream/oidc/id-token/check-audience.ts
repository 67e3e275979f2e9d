import { IdTokenRejected, type IdTokenCheck } from './id-token-check.js';

/**
 * OIDC Core §3.1.3.7 steps 3–5: `aud` contains our client_id; with several audiences `azp` must be present, and
 * whenever `azp` is present it must be our client_id (a token minted for another client is not ours to accept).
 */
export const checkAudience: IdTokenCheck = ({ claims, expected }) => {
  const aud = claims.aud;
  const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  if (!audiences.includes(expected.clientId)) {
    throw new IdTokenRejected('audience', `aud ${JSON.stringify(aud)} does not include ${expected.clientId}`);
  }
  if (audiences.length > 1 && claims.azp === undefined) {
    throw new IdTokenRejected('audience', 'several audiences and no azp');
  }
  if (claims.azp !== undefined && claims.azp !== expected.clientId) {
    throw new IdTokenRejected('audience', `azp ${String(claims.azp)} is not ${expected.clientId}`);
  }
};
