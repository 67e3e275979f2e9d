import { IdTokenRejected, type IdTokenCheck } from './id-token-check.js';

/** OIDC Core §3.1.3.7 step 2: `iss` exactly equals the issuer from the provider's discovery document. */
export const checkIssuer: IdTokenCheck = ({ claims, expected }) => {
  if (claims.iss !== expected.issuer) {
    throw new IdTokenRejected('issuer', `iss ${String(claims.iss)} is not ${expected.issuer}`);
  }
};
