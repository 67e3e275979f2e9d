import { IdTokenRejected, type IdTokenCheck } from './id-token-check.js';

/** OIDC Core §2: `sub` is a non-empty string of at most 255 ASCII characters. */
export const checkSubject: IdTokenCheck = ({ claims }) => {
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 255) {
    throw new IdTokenRejected('subject', 'sub is missing or malformed');
  }
};
