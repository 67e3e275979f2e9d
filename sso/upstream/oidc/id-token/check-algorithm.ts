import { IdTokenRejected, type IdTokenCheck } from './id-token-check.js';

/**
 * RFC 8725 §3.1 (JWT BCP: perform algorithm verification) and OIDC Core §3.1.3.7 step 7: the `alg` must be one we
 * expect for this provider. `none` (unsigned) and any HMAC `HS*` are refused outright: an HS256 token "signed"
 * with the provider's public key as the HMAC secret is the classic key-confusion forgery.
 */
export const checkAlgorithm: IdTokenCheck = ({ header, expected }) => {
  const alg = header.alg;
  if (typeof alg !== 'string' || alg === '' || alg.toLowerCase() === 'none') {
    throw new IdTokenRejected('algorithm', `unsigned token (alg ${String(alg)})`);
  }
  if (/^HS/i.test(alg)) throw new IdTokenRejected('algorithm', `symmetric alg ${alg} is never accepted`);
  if (!expected.algorithms.includes(alg)) {
    throw new IdTokenRejected('algorithm', `alg ${alg} is not one of ${expected.algorithms.join(', ')}`);
  }
};
