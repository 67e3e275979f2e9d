// @peculiar/x509 resolves its ASN.1 services through tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

export interface GeneratedJwk {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateJwk: JWK;
  publicJwk: JWK;
}

/** An OIDC signing key; the kid is the RFC 7638 thumbprint, so it names the key material itself. */
export async function generateOidcKey(alg: 'RS256' | 'ES256'): Promise<GeneratedJwk> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const meta = { kid, alg, use: 'sig' };
  return {
    kid,
    alg,
    privateJwk: { ...(await exportJWK(privateKey)), ...meta },
    publicJwk: { ...publicJwk, ...meta },
  };
}

export interface GeneratedSamlKey {
  kid: string;
  privateKeyPem: string;
  certificatePem: string;
  publicJwk: JWK;
}

const RSA_PKCS1 = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

/**
 * An RSA key with a self-signed X.509 certificate for SAML metadata (SAML V2.0 metadata §2.4.1.1 KeyDescriptor
 * carries the key as ds:X509Certificate; SPs pin the certificate, not a CA chain, so self-signed is the norm).
 */
export async function generateSamlKey(subject: string, validYears = 10): Promise<GeneratedSamlKey> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const keys = (await webcrypto.subtle.generateKey(RSA_PKCS1, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + validYears * 365 * 24 * 3600 * 1000);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(16)
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: `CN=${subject.replace(/[,+="<>#;\\]/g, ' ')}`,
    notBefore,
    notAfter,
    keys: keys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'],
    signingAlgorithm: RSA_PKCS1,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const publicJwk = (await webcrypto.subtle.exportKey('jwk', keys.publicKey)) as JWK;
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    privateKeyPem: toPem(pkcs8, 'PRIVATE KEY'),
    certificatePem: certificate.toString('pem'),
    publicJwk: { kty: publicJwk.kty, n: publicJwk.n, e: publicJwk.e, kid },
  };
}

/** A shared secret for cookie signatures and CSRF tokens. */
export function generateCookieSecret(): { kid: string; secret: string } {
  return {
    kid: `cookie-${randomBytes(9).toString('base64url')}`,
    secret: randomBytes(32).toString('base64url'),
  };
}

function toPem(der: Buffer, label: string): string {
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}
