import { hashPassword, verifyPassword } from './password-hash.js';

describe('password hashing', () => {
  it('stores argon2id with OWASP parameters and verifies only the right password', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(stored, 'Correct horse battery staple')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });

  it('refuses passwords too short to store', async () => {
    await expect(hashPassword('short')).rejects.toThrow(RangeError);
  });
});
