import type { z } from 'zod';
import type { Logger } from '../core/logger.js';
import type { Vault } from '../core/vault/vault.js';
import { splitSecrets } from './kit/config-schema.js';
import type {
  AllCapabilities,
  AnyConnectorInstance,
  CapabilityName,
  ConnectorCapabilities,
  ConnectorContext,
  RegisteredConnector,
} from './kit/contract.js';
import { ConnectorError } from './kit/errors.js';
import { findConnector } from './registry.js';

/** The columns of a Connection row this needs (core/entities/connection.ts). */
export interface StoredConnection {
  id: string;
  connectorId: string;
  config: Record<string, unknown>;
  secretsSealed: string | null;
}

export interface OpenedConnector {
  definition: RegisteredConnector;
  instance: AnyConnectorInstance;
}

/** The vault context a connection's secrets are sealed under (binds the ciphertext to the row). */
export function connectionSecretsContext(connectionId: string): string {
  return `connection:${connectionId}`;
}

/**
 * Opens a stored connection: finds its definition, opens its sealed secrets with the vault, parses plain config
 * and secrets together with the definition's schema, and creates the instance. Every failure is a non-retryable
 * `invalid_config` naming what to fix; nothing talks to the vendor here.
 */
export function openConnector(
  connection: StoredConnection,
  deps: {
    vault: Vault;
    log: Logger;
    signal?: AbortSignal;
    findConnector?: (id: string) => RegisteredConnector | undefined;
  },
): OpenedConnector {
  const definition = (deps.findConnector ?? findConnector)(connection.connectorId);
  if (!definition) {
    throw new ConnectorError('invalid_config', {
      message: `connection ${connection.id} uses connector "${connection.connectorId}", which this version of Junction does not have`,
    });
  }
  let secrets: Record<string, unknown> = {};
  if (connection.secretsSealed) {
    try {
      const opened = deps.vault.openJson<unknown>(
        connection.secretsSealed,
        connectionSecretsContext(connection.id),
      );
      if (typeof opened !== 'object' || opened === null || Array.isArray(opened))
        throw new Error('not an object');
      secrets = opened as Record<string, unknown>;
    } catch (cause) {
      throw new ConnectorError('invalid_config', {
        message: `the stored credentials of connection ${connection.id} cannot be opened (${
          cause instanceof Error ? cause.message : String(cause)
        }); check JUNCTION_MASTER_KEY / JUNCTION_PREVIOUS_MASTER_KEYS or enter the credentials again`,
        cause,
      });
    }
  }
  const config = parseConnectorConfig(definition, { ...connection.config, ...secrets });
  // The config was parsed by the definition's own schema: the registry erased its type, this restores the pairing.
  const ctx = {
    connectionId: connection.id,
    config,
    log: deps.log.child({ connector: definition.id, connection: connection.id }),
    ...(deps.signal ? { signal: deps.signal } : {}),
  } as ConnectorContext<never>;
  return { definition, instance: definition.create(ctx) };
}

/** Parses a raw config with the definition's schema; a failure names every bad field (never its value). */
export function parseConnectorConfig(definition: RegisteredConnector, raw: Record<string, unknown>): unknown {
  const parsed = definition.configSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ConnectorError('invalid_config', {
    message: `invalid ${definition.title} configuration: ${describeIssues(parsed.error)}`,
  });
}

/**
 * Validates a config an admin entered and splits it for storage: plain fields for `Connection.config`, secret
 * fields sealed for `Connection.secretsSealed` (null when there are none).
 */
export function sealConnectionConfig(
  definition: RegisteredConnector,
  raw: Record<string, unknown>,
  vault: Vault,
  connectionId: string,
): { config: Record<string, unknown>; secretsSealed: string | null } {
  const parsed = parseConnectorConfig(definition, raw) as Record<string, unknown>;
  const { plain, secrets } = splitSecrets(definition.configSchema, parsed);
  return {
    config: plain,
    secretsSealed:
      Object.keys(secrets).length === 0
        ? null
        : vault.sealJson(secrets, connectionSecretsContext(connectionId)),
  };
}

/** The capability's interface, or a non-retryable error saying the connector does not have it. */
export function requireCapability<C extends CapabilityName>(
  opened: OpenedConnector,
  capability: C,
): ConnectorCapabilities[C] {
  if (!opened.definition.capabilities.includes(capability)) {
    throw new ConnectorError('invalid_config', {
      message: `the ${opened.definition.title} connector cannot ${capability}; configure a connector that can`,
    });
  }
  return opened.instance as Partial<AllCapabilities> as ConnectorCapabilities[C];
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(config)'}: ${issue.message}`)
    .join('; ');
}
