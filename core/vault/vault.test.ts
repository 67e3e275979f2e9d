import { randomBytes } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Vault, keyId } from './vault.js';
import { loadOrCreateMasterKey } from './master-key-file.js';

describe('Vault', () => {
  const key = randomBytes(32);

  it('round-trips and never stores the plaintext', () => {
    const vault = new Vault(key);
    const sealed = vault.seal('s3cret-value', 'connection:1');
    expect(sealed).not.toContain('s3cret');
    expect(sealed.split('.')[1]).toBe(keyId(key));
    expect(vault.open(sealed, 'connection:1')).toBe('s3cret-value');
  });

  it('refuses a value moved to another context', () => {
    const vault = new Vault(key);
    const sealed = vault.seal('x', 'connection:1');
    expect(() => vault.open(sealed, 'connection:2')).toThrow(/integrity/);
  });

  it('refuses a tampered ciphertext', () => {
    const vault = new Vault(key);
    const parts = vault.seal('hello').split('.');
    parts[4] = Buffer.from('jello').toString('base64url');
    expect(() => vault.open(parts.join('.'))).toThrow(/integrity/);
  });

  it('opens values sealed under a previous key and re-seals them under the new one', () => {
    const oldVault = new Vault(key);
    const sealed = oldVault.seal('rotating');
    const next = randomBytes(32);
    const rotated = new Vault(next, [key]);
    expect(rotated.needsRotation(sealed)).toBe(true);
    const resealed = rotated.reseal(sealed);
    expect(rotated.needsRotation(resealed)).toBe(false);
    expect(new Vault(next).open(resealed)).toBe('rotating');
    expect(() => new Vault(next).open(sealed)).toThrow(/key this process does not have/);
  });
});

describe('master key file', () => {
  it('is created once with mode 0600 and read back the same', () => {
    const dir = mkdtempSync(join(tmpdir(), 'junction-key-'));
    const first = loadOrCreateMasterKey(dir);
    expect(first.created).toBe(true);
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    const second = loadOrCreateMasterKey(dir);
    expect(second.created).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('refuses a key file others can read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'junction-key-'));
    writeFileSync(join(dir, 'master.key'), randomBytes(32).toString('base64'));
    chmodSync(join(dir, 'master.key'), 0o644);
    expect(() => loadOrCreateMasterKey(dir)).toThrow(/chmod 600/);
  });
});
