import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { JunctionError } from '../errors.js';

/**
 * Encrypts secrets at rest with AES-256-GCM. Each sealed value names the key that sealed it
 * (`jv1.<kid>.<iv>.<tag>.<ciphertext>`), so the master key can rotate: seal with the active key, open with
 * whichever key the value names, and re-seal values still under an old key (`needsRotation`).
 *
 * `context` is bound in as additional authenticated data, so a ciphertext copied from one row to another
 * (say, one connection's credentials pasted onto another) fails to open instead of leaking.
 */
const VERSION = 'jv1';
const IV_BYTES = 12;

export class VaultError extends JunctionError {
  constructor(publicMessage: string, detail?: Record<string, unknown>) {
    super({ code: 'vault_error', status: 500, publicMessage, detail });
  }
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update('junction-vault-key-id:').update(key).digest('hex').slice(0, 16);
}

export class Vault {
  private readonly keys = new Map<string, Buffer>();
  readonly activeKeyId: string;

  constructor(activeKey: Buffer, previousKeys: readonly Buffer[] = []) {
    for (const key of [activeKey, ...previousKeys]) {
      if (key.length !== 32) throw new VaultError('master keys must be 32 bytes');
      this.keys.set(keyId(key), key);
    }
    this.activeKeyId = keyId(activeKey);
  }

  seal(plaintext: string, context = ''): string {
    const key = this.keys.get(this.activeKeyId);
    if (!key) throw new VaultError('active key missing');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.activeKeyId, b64(iv), b64(tag), b64(ciphertext)].join('.');
  }

  open(sealed: string, context = ''): string {
    const parts = sealed.split('.');
    const [version, kid, iv, tag, ciphertext] = parts;
    if (parts.length !== 5 || version !== VERSION || !kid || !iv || !tag || ciphertext === undefined) {
      throw new VaultError('stored secret is not in vault format');
    }
    const key = this.keys.get(kid);
    if (!key) {
      throw new VaultError('stored secret was sealed with a key this process does not have', { keyId: kid });
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch (cause) {
      throw new VaultError('stored secret failed its integrity check', { keyId: kid, cause: String(cause) });
    }
  }

  sealJson(value: unknown, context = ''): string {
    return this.seal(JSON.stringify(value), context);
  }

  openJson<T = unknown>(sealed: string, context = ''): T {
    return JSON.parse(this.open(sealed, context)) as T;
  }

  /** True when the value is sealed under a key other than the active one and should be re-sealed. */
  needsRotation(sealed: string): boolean {
    return sealed.split('.')[1] !== this.activeKeyId;
  }

  /** Opens with whatever key sealed it and seals again under the active key. */
  reseal(sealed: string, context = ''): string {
    return this.seal(this.open(sealed, context), context);
  }
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}
