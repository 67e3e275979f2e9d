import type { DataSource } from 'typeorm';
import type { Logger } from '../core/logger.js';
import type { Vault } from '../core/vault/vault.js';

/** What every SSO module needs; passed in, never imported, so tests and benchmarks build their own. */
export interface SsoDeps {
  dataSource: DataSource;
  vault: Vault;
  log: Logger;
  /** Where people and apps reach the gateway, without a trailing slash (issuer, redirect URIs, SAML URLs). */
  publicUrl: string;
}

/** True when cookies must carry `Secure`: the gateway is reached over https. */
export function isSecureDeployment(publicUrl: string): boolean {
  return new URL(publicUrl).protocol === 'https:';
}
