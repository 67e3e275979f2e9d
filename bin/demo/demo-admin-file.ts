import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the demo administrator's generated password is kept, readable by the owner only. */
export function demoAdminFile(dataDir: string): string {
  return join(resolve(dataDir), 'demo-admin.txt');
}

/** 144 random bits, URL-safe: typed once from the start-up banner, then changed. */
export function generateDemoPassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Writes the login and password with mode 0600 (and re-applies it: `mode` only counts when the file is created),
 * so a later start can say where the password is without printing it again.
 */
export function writeDemoAdminFile(
  dataDir: string,
  content: { signInUrl: string; login: string; password: string },
): string {
  const path = demoAdminFile(dataDir);
  mkdirSync(resolve(dataDir), { recursive: true });
  writeFileSync(
    path,
    [
      'Junction demo administrator, written by the `junction start` that seeded the demo.',
      'Junction keeps only an argon2id hash of this password; this file is the one copy. Delete it when done.',
      '',
      `sign in at  ${content.signInUrl}`,
      `login       ${content.login}`,
      `password    ${content.password}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  chmodSync(path, 0o600);
  return path;
}

export function demoAdminFileExists(dataDir: string): boolean {
  return existsSync(demoAdminFile(dataDir));
}
