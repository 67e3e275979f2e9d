import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeKey } from '../config.js';
import { ConfigError } from '../errors.js';

/**
 * The embedded default keeps its master key in `<dataDir>/master.key`, created once with mode 0600. A deployment
 * sets JUNCTION_MASTER_KEY instead and never touches this file.
 */
export function loadOrCreateMasterKey(dataDir: string): { key: Buffer; created: boolean; path: string } {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'master.key');
  let created = false;
  try {
    // 'wx' fails when the file exists, so two processes starting at once never overwrite each other's key.
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    created = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new ConfigError(
      'JUNCTION_MASTER_KEY',
      `${path} is readable by others (mode ${mode.toString(8)}); run chmod 600 ${path}`,
    );
  }
  const key = decodeKey(readFileSync(path, 'utf8'));
  if (!key) throw new ConfigError('JUNCTION_MASTER_KEY', `${path} does not hold a 32-byte base64 key`);
  return { key, created, path };
}
