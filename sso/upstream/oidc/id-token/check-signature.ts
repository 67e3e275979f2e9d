import { compactVerify, errors } from 'jose';
import { IdTokenRejected, type IdTokenCheck } from './id-token-check.js';

/**
 * OIDC Core §3.1.3.7 step 6 / RFC 7515 §5.2: the JWS signature verifies under a key from the provider's JWKS
 * (selected by `kid`; keys embedded in the header — jwk, jku, x5u, x5c — are never used). Only after this are the
 * claims read, from the verified payload.
 */
export const checkSignature: IdTokenCheck = async (ctx) => {
  try {
    const { payload } = await compactVerify(ctx.token, ctx.keys, {
      algorithms: [...ctx.expected.algorithms],
    });
    const claims: unknown = JSON.parse(new TextDecoder().decode(payload));
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
      throw new IdTokenRejected('signature', 'payload is not a JSON object');
    }
    ctx.claims = claims as typeof ctx.claims;
  } catch (error) {
    if (error instanceof IdTokenRejected) throw error;
    const reason =
      error instanceof errors.JWSSignatureVerificationFailed
        ? 'signature does not verify'
        : error instanceof errors.JWKSNoMatchingKey
          ? `no key in the provider's JWKS matches kid ${String(ctx.header.kid)}`
          : error instanceof Error
            ? error.message
            : String(error);
    throw new IdTokenRejected('signature', reason);
  }
};
