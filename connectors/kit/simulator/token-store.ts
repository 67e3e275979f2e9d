import { randomBytes } from 'node:crypto';

export type TokenCheck<S> = { ok: true; subject: S } | { ok: false; reason: 'expired' | 'invalid' };

/**
 * Tokens / sessions a simulator issues, with the lifetime the fault knob `tokenTtlSeconds` sets. Expired tokens
 * are remembered for a while, so the simulator can answer "expired" (WeCom 42001) rather than "invalid" (40014),
 * as the vendors do. `expireAll()` lets a test expire every token mid-read.
 */
export class TokenStore<S> {
  private readonly tokens = new Map<string, { subject: S; expiresAt: number }>();
  private issued = 0;

  constructor(
    private readonly ttlSeconds: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  issue(subject: S): { token: string; expiresInSeconds: number } {
    if (++this.issued % 1000 === 0) this.prune();
    const expiresInSeconds = this.ttlSeconds();
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { subject, expiresAt: this.now() + expiresInSeconds * 1000 });
    return { token, expiresInSeconds };
  }

  verify(token: string | undefined): TokenCheck<S> {
    const entry = token ? this.tokens.get(token) : undefined;
    if (!entry) return { ok: false, reason: 'invalid' };
    if (this.now() >= entry.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, subject: entry.subject };
  }

  expireAll(): void {
    const now = this.now();
    for (const entry of this.tokens.values()) entry.expiresAt = Math.min(entry.expiresAt, now);
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }

  /** Drops tokens expired for more than a day. */
  private prune(): void {
    const cutoff = this.now() - 86_400_000;
    for (const [token, entry] of this.tokens) if (entry.expiresAt < cutoff) this.tokens.delete(token);
  }
}
