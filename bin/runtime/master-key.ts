import type { Config } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';
import { loadOrCreateMasterKey } from '../../core/vault/master-key-file.js';
import { Vault } from '../../core/vault/vault.js';

/**
 * The vault for this process. `junction start` may generate its key into the data directory; the distributed
 * commands need JUNCTION_MASTER_KEY so that every replica has the same key.
 */
export function openVault(config: Config, mode: 'embedded' | 'distributed'): Vault {
  if (config.masterKey) return new Vault(config.masterKey, config.previousMasterKeys);
  if (mode === 'distributed') {
    throw new ConfigError(
      'JUNCTION_MASTER_KEY',
      'is not set; every gateway and worker needs the same 32-byte key (openssl rand -base64 32)',
    );
  }
  return new Vault(loadOrCreateMasterKey(config.dataDir).key, config.previousMasterKeys);
}
