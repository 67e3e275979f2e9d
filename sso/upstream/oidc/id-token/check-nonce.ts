import { timingSafeEqual } from 'node:crypto';
import { IdTokenRejected, type IdTokenCheck } from './id-token-check.js';

/** OIDC Core §3.1.3.7 step 11: `nonce` equals the one we sent in this browser's authorization request. */
export const checkNonce: IdTokenCheck = ({ claims, expected }) => {
  const nonce = claims.nonce;
  if (typeof nonce !== 'string' || nonce.length !== expected.nonce.length) {
    throw new IdTokenRejected('nonce', 'nonce missing or does not match the authorization request');
  }
  if (!timingSafeEqual(Buffer.from(nonce), Buffer.from(expected.nonce))) {
    throw new IdTokenRejected('nonce', 'nonce does not match the authorization request');
  }
};
