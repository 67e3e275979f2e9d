import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A WebAuthn authenticator in software (W3C WebAuthn L2 §6): an ES256 key pair, "none" attestation, and
 * authenticator data / signatures built byte for byte as §6.1 and §6.3.3 describe — so registration and
 * authentication run through @simplewebauthn/server's real verification, without a browser or a token.
 */
export class SoftwareAuthenticator {
  readonly credentialId = randomBytes(16);
  signCount = 0;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor() {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  /** A copy with the same credential id but its own key (to forge) or the same key and counter (a clone). */
  clone(sameKey: boolean): SoftwareAuthenticator {
    const copy = new SoftwareAuthenticator();
    Object.assign(copy, { credentialId: this.credentialId, signCount: this.signCount });
    if (sameKey) Object.assign(copy, { privateKey: this.privateKey, publicKey: this.publicKey });
    return copy;
  }

  register(options: { challenge: string; rp: { id?: string } }, origin: string): Record<string, unknown> {
    const rpId = options.rp.id ?? new URL(origin).hostname;
    const jwk = this.publicKey.export({ format: 'jwk' });
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(String(jwk.x), 'base64url')],
        [-3, Buffer.from(String(jwk.y), 'base64url')],
      ]),
    );
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([
      this.rpIdHash(rpId),
      Buffer.from([0x01 | 0x04 | 0x40]), // UP, UV, AT (§6.1 flags)
      this.counter(),
      Buffer.alloc(16), // AAGUID
      idLength,
      this.credentialId,
      Buffer.from(cose),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]) as never,
    );
    const clientData = this.clientData('webauthn.create', options.challenge, origin);
    return {
      id: this.credentialId.toString('base64url'),
      rawId: this.credentialId.toString('base64url'),
      type: 'public-key',
      response: {
        clientDataJSON: clientData.toString('base64url'),
        attestationObject: Buffer.from(attestationObject).toString('base64url'),
        transports: ['usb'],
      },
      clientExtensionResults: {},
    };
  }

  assert(options: { challenge: string; rpId?: string }, origin: string): Record<string, unknown> {
    this.signCount += 1;
    const authData = Buffer.concat([
      this.rpIdHash(options.rpId ?? new URL(origin).hostname),
      Buffer.from([0x01 | 0x04]),
      this.counter(),
    ]);
    const clientData = this.clientData('webauthn.get', options.challenge, origin);
    // §6.3.3 step 11: the signature is over authenticatorData || SHA-256(clientDataJSON), DER-encoded ECDSA.
    const signature = sign(
      'sha256',
      Buffer.concat([authData, createHash('sha256').update(clientData).digest()]),
      this.privateKey,
    );
    return {
      id: this.credentialId.toString('base64url'),
      rawId: this.credentialId.toString('base64url'),
      type: 'public-key',
      response: {
        clientDataJSON: clientData.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
      },
      clientExtensionResults: {},
    };
  }

  private rpIdHash(rpId: string): Buffer {
    return createHash('sha256').update(rpId).digest();
  }

  private counter(): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(this.signCount);
    return out;
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }
}
