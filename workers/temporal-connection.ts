import { readFileSync } from 'node:fs';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from '../core/config.js';
import { ConfigError } from '../core/errors.js';

/** Where Temporal is and how to authenticate to it: a dev server, a self-hosted cluster or Temporal Cloud. */
export interface TemporalTarget {
  address: string;
  namespace: string;
  taskQueue: string;
  apiKey?: string | undefined;
  tls?: boolean | undefined;
  tlsCertPath?: string | undefined;
  tlsKeyPath?: string | undefined;
}

export function temporalTarget(config: Config, address = config.temporal.address): TemporalTarget {
  if (!address)
    throw new ConfigError('TEMPORAL_ADDRESS', 'is not set (only `junction start` runs a dev server for you)');
  return {
    address,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    apiKey: config.temporal.apiKey,
    tls: config.temporal.tls,
    tlsCertPath: config.temporal.tlsCertPath,
    tlsKeyPath: config.temporal.tlsKeyPath,
  };
}

function tlsOptions(target: TemporalTarget): ConnectionOptions['tls'] {
  if (target.tlsCertPath && target.tlsKeyPath) {
    return {
      clientCertPair: { crt: readFileSync(target.tlsCertPath), key: readFileSync(target.tlsKeyPath) },
    };
  }
  return target.tls ? true : undefined;
}

/** Client side (gateway, CLI): start workflows, manage schedules, describe task queues. */
export async function connectClient(target: TemporalTarget): Promise<Connection> {
  try {
    return await Connection.connect({
      address: target.address,
      tls: tlsOptions(target),
      ...(target.apiKey ? { apiKey: target.apiKey } : {}),
      connectTimeout: '10s',
    });
  } catch (error) {
    throw unreachable(target, error);
  }
}

/** Worker side: the native (Rust core) connection workers poll through. */
export async function connectWorker(target: TemporalTarget): Promise<NativeConnection> {
  try {
    const options: NativeConnectionOptions = {
      address: target.address,
      tls: tlsOptions(target) as NativeConnectionOptions['tls'],
      ...(target.apiKey ? { apiKey: target.apiKey } : {}),
    };
    return await NativeConnection.connect(options);
  } catch (error) {
    throw unreachable(target, error);
  }
}

function unreachable(target: TemporalTarget, error: unknown): ConfigError {
  const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  return new ConfigError(
    'TEMPORAL_ADDRESS',
    `cannot reach Temporal at ${target.address} (${reason.slice(0, 200)})`,
  );
}
