import { z } from 'zod';
import { ConfigError } from './errors.js';

/**
 * Every environment variable Junction reads, parsed once. Unset `DATABASE_URL` / `TEMPORAL_ADDRESS` mean "run the
 * embedded PostgreSQL / Temporal dev server" (only `junction start` does that; the distributed commands require
 * both).
 */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const hostPort = /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/;

const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .refine((value) => isPostgresUrl(value), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  TEMPORAL_ADDRESS: z.string().regex(hostPort, 'must be host:port, for example localhost:7233').optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('junction'),
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  TEMPORAL_TLS: z.enum(['true', 'false']).default('false'),
  TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_CLI: z.string().min(1).optional(),
  JUNCTION_MASTER_KEY: z
    .string()
    .refine((value) => decodeKey(value) !== undefined, 'must be 32 bytes, base64 or hex encoded')
    .optional(),
  JUNCTION_PREVIOUS_MASTER_KEYS: z
    .string()
    .refine(
      (value) => splitList(value).every((key) => decodeKey(key) !== undefined),
      'must be a comma-separated list of 32-byte keys, base64 or hex encoded',
    )
    .optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().url('must be an absolute URL such as https://junction.example.com').optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  JUNCTION_DATA_DIR: z.string().min(1).default('.data'),
  JUNCTION_EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  JUNCTION_EMBEDDED_TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  JUNCTION_SEED_DEMO: z.enum(['true', 'false']).default('true'),
  // The demo's simulators listen on this port and the next few (DEMO_SIMULATOR_PORTS in bin/demo), fixed so the
  // connection configs the demo stored stay valid across restarts.
  JUNCTION_DEMO_SIMULATOR_BASE_PORT: z.coerce.number().int().min(1024).max(65_500).default(7400),
});

export type RawEnv = z.infer<typeof envSchema>;

export interface Config {
  databaseUrl: string | undefined;
  temporal: {
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    apiKey: string | undefined;
    tls: boolean;
    tlsCertPath: string | undefined;
    tlsKeyPath: string | undefined;
    cliPath: string | undefined;
  };
  masterKey: Buffer | undefined;
  previousMasterKeys: Buffer[];
  port: number;
  publicUrl: string;
  logLevel: (typeof LOG_LEVELS)[number];
  dataDir: string;
  embedded: { postgresPort: number; temporalPort: number; seedDemo: boolean; demoSimulatorBasePort: number };
}

/** Parses an environment; throws a ConfigError whose message names the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(
    Object.keys(envSchema.shape).map((key) => [key, emptyToUndefined(env[key])]),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(variable, issue?.message ?? 'invalid');
  }
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      apiKey: e.TEMPORAL_API_KEY,
      tls: e.TEMPORAL_TLS === 'true' || e.TEMPORAL_API_KEY !== undefined,
      tlsCertPath: e.TEMPORAL_TLS_CERT_PATH,
      tlsKeyPath: e.TEMPORAL_TLS_KEY_PATH,
      cliPath: e.TEMPORAL_CLI,
    },
    masterKey: e.JUNCTION_MASTER_KEY === undefined ? undefined : decodeKey(e.JUNCTION_MASTER_KEY),
    previousMasterKeys: splitList(e.JUNCTION_PREVIOUS_MASTER_KEYS ?? '').flatMap(
      (key) => decodeKey(key) ?? [],
    ),
    port: e.PORT,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    dataDir: e.JUNCTION_DATA_DIR,
    embedded: {
      postgresPort: e.JUNCTION_EMBEDDED_PG_PORT,
      temporalPort: e.JUNCTION_EMBEDDED_TEMPORAL_PORT,
      seedDemo: e.JUNCTION_SEED_DEMO === 'true',
      demoSimulatorBasePort: e.JUNCTION_DEMO_SIMULATOR_BASE_PORT,
    },
  };
}

let cached: Config | undefined;

/** The process-wide configuration, read from process.env the first time it is asked for. */
export function config(): Config {
  cached ??= loadConfig();
  return cached;
}

/** A 32-byte key from 64 hex characters or base64 / base64url; undefined when it is anything else. */
export function decodeKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return undefined;
  const bytes = Buffer.from(trimmed, 'base64');
  return bytes.length === 32 ? bytes : undefined;
}

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
