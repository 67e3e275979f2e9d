import { ConfigError } from '../errors.js';

/** Turns a driver error into the fix an operator needs, naming DATABASE_URL. */
export function describeDatabaseError(error: unknown): ConfigError {
  const err = error as { code?: string; message?: string };
  const code = err.code ?? '';
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'nothing is listening at that host and port; is PostgreSQL running?',
    ENOTFOUND: 'the host name does not resolve',
    EAI_AGAIN: 'the host name does not resolve',
    ETIMEDOUT: 'the connection timed out; check the host, port and firewall',
    '28P01': 'password authentication failed; check the user and password',
    '28000': 'the server refused this user; check pg_hba.conf and the user name',
    '3D000': 'the database does not exist; create it first',
  };
  const reason = reasons[code] ?? `cannot connect (${code || (err.message ?? 'unknown error')})`;
  return new ConfigError('DATABASE_URL', reason);
}
