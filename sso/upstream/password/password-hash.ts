import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's password storage parameters (m = 19 MiB, t = 2, p = 1). @node-rs/argon2 defaults to
 * argon2id; the unit test pins it by the hash prefix (`$argon2id$`).
 */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export async function hashPassword(password: string): Promise<string> {
  if (password.length < 8 || password.length > 1024) {
    throw new RangeError('passwords must be 8 to 1024 characters long');
  }
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  if (password.length > 1024) return false;
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/** Spends the same time as a real verification, so "no such login" is not faster than "wrong password". */
export async function burnVerification(password: string): Promise<void> {
  dummy ??= hash('junction-dummy-password', OPTIONS);
  await verifyPassword(await dummy, password);
}
