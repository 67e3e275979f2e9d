import { createPublicKey } from 'node:crypto';
import {
  createLocalJWKSet,
  decodeJwt,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
} from 'jose';
import { checkAlgorithm } from './check-algorithm.js';
import { checkAudience } from './check-audience.js';
import { checkExpiry } from './check-expiry.js';
import { checkIssuer } from './check-issuer.js';
import { checkNonce } from './check-nonce.js';
import { checkSignature } from './check-signature.js';
import { checkSubject } from './check-subject.js';
import { IdTokenRejected, type IdTokenCheck } from './id-token-check.js';
import { ID_TOKEN_PIPELINE, verifyIdToken } from './verify-id-token.js';

const ISSUER = 'https://idp.example';
const CLIENT = 'junction';
const NONCE = 'n-0123456789abcdef';
const now = Math.floor(Date.now() / 1000);

let key: CryptoKey;
let publicJwk: JWK;
let keys: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  key = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' };
  keys = createLocalJWKSet({ keys: [publicJwk] });
});

const expected = {
  issuer: ISSUER,
  clientId: CLIENT,
  nonce: NONCE,
  algorithms: ['RS256', 'ES256'],
  now,
  clockSkewSeconds: 60,
};

function good(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: ISSUER, aud: CLIENT, sub: 'user-1', nonce: NONCE, iat: now, exp: now + 300, ...overrides };
}

async function sign(
  claims: Record<string, unknown>,
  signingKey: CryptoKey | Uint8Array = key,
  alg = 'RS256',
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, kid: 'k1' }).sign(signingKey);
}

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Each case is a token one check must refuse. It is refused by the full pipeline *naming that check*, and accepted
 * by the pipeline without it — so every check is shown to be the thing that stops its attack.
 */
const cases: { name: string; check: IdTokenCheck; token: () => Promise<string> }[] = [
  {
    name: 'algorithm: alg none',
    check: checkAlgorithm,
    token: async () => `${b64({ alg: 'none', kid: 'k1' })}.${b64(good())}.`,
  },
  {
    name: 'algorithm: HS256 keyed with the public key',
    check: checkAlgorithm,
    token: async () => {
      const pem = createPublicKey({ key: publicJwk as never, format: 'jwk' }).export({
        type: 'spki',
        format: 'pem',
      });
      return sign(good(), new TextEncoder().encode(String(pem)), 'HS256');
    },
  },
  {
    name: 'signature: signed by another key',
    check: checkSignature,
    token: async () => sign(good(), (await generateKeyPair('RS256')).privateKey),
  },
  {
    name: 'issuer: another issuer',
    check: checkIssuer,
    token: () => sign(good({ iss: 'https://evil.example' })),
  },
  {
    name: 'audience: another client',
    check: checkAudience,
    token: () => sign(good({ aud: 'other-client' })),
  },
  {
    name: 'audience: azp of another client',
    check: checkAudience,
    token: () => sign(good({ aud: [CLIENT, 'x'], azp: 'x' })),
  },
  {
    name: 'expiry: expired',
    check: checkExpiry,
    token: () => sign(good({ iat: now - 7200, exp: now - 3600 })),
  },
  {
    name: 'expiry: issued in the future',
    check: checkExpiry,
    token: () => sign(good({ iat: now + 3600, exp: now + 7200 })),
  },
  {
    name: 'nonce: another nonce',
    check: checkNonce,
    token: () => sign(good({ nonce: 'replayed-nonce-value' })),
  },
  { name: 'nonce: no nonce', check: checkNonce, token: () => sign(good({ nonce: undefined })) },
  { name: 'subject: no sub', check: checkSubject, token: () => sign(good({ sub: '' })) },
];

describe('upstream ID token pipeline (OIDC Core §3.1.3.7)', () => {
  it('accepts a well-formed token', async () => {
    const claims = await verifyIdToken(await sign(good()), expected, keys);
    expect(claims.sub).toBe('user-1');
  });

  it.each(cases)('refuses $name, and only because of that check', async ({ check, token }) => {
    const jwt = await token();
    const refused = verifyIdToken(jwt, expected, keys);
    await expect(refused).rejects.toBeInstanceOf(IdTokenRejected);
    const error = (await refused.catch((e: unknown) => e)) as IdTokenRejected;
    expect(check.name).toContain(error.check[0]!.toUpperCase() + error.check.slice(1));

    // Removing the signature check means reading the claims unverified; every other check is simply left out.
    const decodeUnverified: IdTokenCheck = (ctx) => {
      ctx.claims = decodeJwt(ctx.token);
    };
    const without = ID_TOKEN_PIPELINE.flatMap((c) =>
      c !== check ? [c] : c === checkSignature ? [decodeUnverified] : [],
    );
    // Without its check the token gets through, unless it is the algorithm / signature pair, where dropping the
    // alg check still leaves jose's own allow-list; the rest of the pipeline must not be what stops it.
    if (check === checkAlgorithm) {
      const laterFailure = (await verifyIdToken(jwt, expected, keys, without).catch(
        (e: unknown) => e,
      )) as IdTokenRejected;
      expect(laterFailure.check).toBe('signature');
    } else {
      await expect(verifyIdToken(jwt, expected, keys, without)).resolves.toBeDefined();
    }
  });

  it('refuses the HS256 confusion even when the configured algorithms would allow HS256', async () => {
    const pem = createPublicKey({ key: publicJwk as never, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });
    const jwt = await sign(good(), new TextEncoder().encode(String(pem)), 'HS256');
    await expect(
      verifyIdToken(jwt, { ...expected, algorithms: ['RS256', 'HS256'] }, keys),
    ).rejects.toMatchObject({ check: 'algorithm' });
  });

  it('refuses tokens that are not compact JWS', async () => {
    await expect(verifyIdToken('not-a-jwt', expected, keys)).rejects.toMatchObject({ check: 'format' });
  });
});
