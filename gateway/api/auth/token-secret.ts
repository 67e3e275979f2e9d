import { createHash, randomBytes } from 'node:crypto';

/**
 * API token strings: `jat_` (admin API) or `jst_` (inbound SCIM) followed by 32 random bytes in base64url. The kind
 * prefix lets secret scanners and admins recognise a leaked token at a glance; only the SHA-256 of the whole
 * string is stored (the token is high-entropy, so a slow hash buys nothing), plus its first characters for display.
 */
export type TokenKind = 'admin' | 'scim';

const KIND_PREFIX: Record<TokenKind, string> = { admin: 'jat_', scim: 'jst_' };
const DISPLAY_PREFIX_LENGTH = 12;

export interface MintedToken {
  token: string;
  hash: string;
  prefix: string;
}

export function mintToken(kind: TokenKind): MintedToken {
  const token = `${KIND_PREFIX[kind]}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token), prefix: token.slice(0, DISPLAY_PREFIX_LENGTH) };
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The kind a presented string claims to be, or undefined when it is not one of ours at all. */
export function tokenKind(token: string): TokenKind | undefined {
  if (!/^j[as]t_[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  return token.startsWith('jat_') ? 'admin' : 'scim';
}

/** `Authorization: Bearer <token>` (RFC 6750 §2.1); the scheme is case-insensitive. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+([^ ]+)[ ]*$/i.exec(header ?? '');
  return match?.[1];
}
