import { SECRET_FIELD_NAMES } from '../../../core/logger.js';

/** Query parameters that carry credentials in vendors' APIs (WeCom `access_token` / `corpsecret`, OAuth …). */
export const SECRET_QUERY_PARAMS: readonly string[] = [
  'access_token',
  'accesstoken',
  'token',
  'corpsecret',
  'secret',
  'client_secret',
  'password',
  'api_key',
  'apikey',
  'key',
  'signature',
  'sig',
  'refresh_token',
  'id_token',
  'code',
  'sessionid',
];

/** Headers that carry credentials. */
export const SECRET_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-auth-token',
  'kdservice-sessionid',
];

const REDACTED = '[redacted]';
const SECRET_BODY_KEYS = new Set(
  [...SECRET_FIELD_NAMES, ...SECRET_QUERY_PARAMS, 'corpSecret', 'passWord', 'acctPassword'].map((name) =>
    name.toLowerCase(),
  ),
);

export function redactQuery(
  query: Record<string, string | string[]>,
  extra: Iterable<string> = [],
): Record<string, string | string[]> {
  const names = new Set([...SECRET_QUERY_PARAMS, ...extra].map((name) => name.toLowerCase()));
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(query))
    out[key] = names.has(key.toLowerCase()) ? REDACTED : value;
  return out;
}

export function redactHeaders(
  headers: Record<string, string>,
  extra: Iterable<string> = [],
): Record<string, string> {
  const names = new Set([...SECRET_HEADERS, ...extra].map((name) => name.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers))
    out[key] = names.has(key.toLowerCase()) ? REDACTED : value;
  return out;
}

/** A URL with its secret query parameters replaced, for log lines. */
export function redactUrl(url: string, extra: Iterable<string> = []): string {
  const names = new Set([...SECRET_QUERY_PARAMS, ...extra].map((name) => name.toLowerCase()));
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (names.has(key.toLowerCase())) parsed.searchParams.set(key, REDACTED);
  }
  parsed.username = parsed.username ? REDACTED : '';
  parsed.password = parsed.password ? REDACTED : '';
  return parsed.toString();
}

/** A copy of a JSON body with secret-named keys replaced at any depth (request bodies of login calls). */
export function redactBody(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactBody(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_BODY_KEYS.has(key.toLowerCase()) ? REDACTED : redactBody(inner, depth + 1);
  }
  return out;
}
