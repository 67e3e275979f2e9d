import { openConnector } from '../../connectors/open-connector.js';
import type { Vault } from '../../core/vault/vault.js';
import type { ConnectorOpener } from './connector-port.js';

/** The production opener: the registry's definition for the row, its secrets opened with the vault. */
export function registryOpener(vault: Vault): ConnectorOpener {
  return (connection, options) =>
    openConnector(connection, {
      vault,
      log: options.log,
      ...(options.signal ? { signal: options.signal } : {}),
    }).instance;
}
