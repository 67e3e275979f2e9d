import { pino, type Logger } from 'pino';

/**
 * Field names that hold secrets wherever they appear. pino's redaction matches paths, so each name is listed at
 * the top level and one and two levels down (`*.x`, `*.*.x`), which covers request headers, connector configs
 * and error details as we log them.
 */
export const SECRET_FIELD_NAMES = [
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'apiKey',
  'api_key',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'set-cookie',
  'privateKey',
  'private_key',
  'masterKey',
  'corpsecret',
  'appSecret',
  'totpSecret',
  'SAMLResponse',
] as const;

export const REDACT_PATHS = SECRET_FIELD_NAMES.flatMap((name) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`;
  const join = (prefix: string): string => (key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`);
  return [key.startsWith('[') ? key.slice(2, -2) : key, join('*'), join('*.*')];
});

export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'junction',
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  });
}

let root: Logger | undefined;

/** The process-wide logger; modules take a child of it (`logger().child({ module })`). */
export function logger(): Logger {
  root ??= createLogger();
  return root;
}

export type { Logger };
