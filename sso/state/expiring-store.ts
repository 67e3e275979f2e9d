import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { appendSql, heldWrites, RequestWrites } from '../db/request-writes.js';
import { one, rows } from '../db/sql.js';

/**
 * Short-lived keyed state in PostgreSQL (`expiring_entries`), shared by every gateway replica: login transactions,
 * upstream OIDC state, SAML request ids and assertion ids, sign-in attempt counters. Expiry is judged by the
 * database clock so replicas with drifting clocks agree. Housekeeping prunes expired rows.
 *
 * Inside a request that holds its writes (request-writes.ts), `put`, `delete` and `appendUnique` join the request's
 * one statement, and a read of a key with a held write sends the held writes first.
 */
export class ExpiringStore {
  constructor(private readonly dataSource: DataSource) {}

  async put(namespace: string, key: string, value: object, ttlSeconds: number): Promise<void> {
    const held = heldWrites();
    if (held) {
      held.putEntry({ namespace, key: storeKey(key), value, ttl: ttlSeconds });
      return;
    }
    await rows(
      this.dataSource,
      `INSERT INTO expiring_entries (namespace, key, value, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))
       ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at`,
      [namespace, storeKey(key), JSON.stringify(value), ttlSeconds],
      'expiring-put',
    );
  }

  /** Several puts in one statement (a login transaction and the upstream state that names it, say). */
  async putMany(
    entries: { namespace: string; key: string; value: object; ttlSeconds: number }[],
  ): Promise<void> {
    const held = heldWrites();
    const writes = held ?? new RequestWrites(this.dataSource);
    for (const e of entries)
      writes.putEntry({ namespace: e.namespace, key: storeKey(e.key), value: e.value, ttl: e.ttlSeconds });
    if (!held) await writes.flush();
  }

  /** Inserts unless a live entry exists; true when this call wrote it (replay caches rely on this). */
  async putIfAbsent(namespace: string, key: string, value: object, ttlSeconds: number): Promise<boolean> {
    await this.settle(namespace, key);
    const written = await one(
      this.dataSource,
      `INSERT INTO expiring_entries (namespace, key, value, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4))
       ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at
         WHERE expiring_entries.expires_at <= now()
       RETURNING 1 AS written`,
      [namespace, storeKey(key), JSON.stringify(value), ttlSeconds],
      'expiring-put-if-absent',
    );
    return written !== undefined;
  }

  async get<T extends object>(namespace: string, key: string): Promise<T | undefined> {
    await this.settle(namespace, key);
    const row = await one<{ value: T }>(
      this.dataSource,
      `SELECT value FROM expiring_entries WHERE namespace = $1 AND key = $2 AND expires_at > now()`,
      [namespace, storeKey(key)],
      'expiring-get',
    );
    return row?.value;
  }

  /** Reads and deletes in one statement: of two concurrent callers only one gets the value (single use). */
  async take<T extends object>(namespace: string, key: string): Promise<T | undefined> {
    await this.settle(namespace, key);
    const row = await one<{ value: T; live: boolean }>(
      this.dataSource,
      `DELETE FROM expiring_entries WHERE namespace = $1 AND key = $2 RETURNING value, expires_at > now() AS live`,
      [namespace, storeKey(key)],
      'expiring-take',
    );
    return row?.live ? row.value : undefined;
  }

  async delete(namespace: string, key: string): Promise<void> {
    const held = heldWrites();
    if (held) {
      held.deleteEntry(namespace, storeKey(key));
      return;
    }
    await rows(this.dataSource, `DELETE FROM expiring_entries WHERE namespace = $1 AND key = $2`, [
      namespace,
      storeKey(key),
    ]);
  }

  /** A fixed-window counter: returns the count including this call; the window starts with the first call. */
  async increment(namespace: string, key: string, windowSeconds: number): Promise<number> {
    await this.settle(namespace, key);
    const row = await one<{ n: number }>(
      this.dataSource,
      `INSERT INTO expiring_entries (namespace, key, value, expires_at)
       VALUES ($1, $2, '{"n": 1}', now() + make_interval(secs => $3))
       ON CONFLICT (namespace, key) DO UPDATE SET
         value = CASE WHEN expiring_entries.expires_at <= now() THEN '{"n": 1}'::jsonb
                      ELSE jsonb_build_object('n', (expiring_entries.value->>'n')::int + 1) END,
         expires_at = CASE WHEN expiring_entries.expires_at <= now() THEN EXCLUDED.expires_at
                      ELSE expiring_entries.expires_at END
       RETURNING (value->>'n')::int AS n`,
      [namespace, storeKey(key), windowSeconds],
      'expiring-increment',
    );
    return row?.n ?? 1;
  }

  /**
   * Adds `item` to the list stored at the key (`{ ids: [...] }`) unless it is there, keeping the newest `max`,
   * in one atomic statement; the entry lives at least `ttlSeconds` more.
   */
  async appendUnique(
    namespace: string,
    key: string,
    item: string,
    max: number,
    ttlSeconds: number,
  ): Promise<void> {
    const append = { namespace, key: storeKey(key), item, max, ttl: ttlSeconds };
    const held = heldWrites();
    if (held) {
      held.appendToList(append);
      return;
    }
    await rows(this.dataSource, appendSql('$1::jsonb'), [JSON.stringify(append)], 'expiring-append');
  }

  /** A read of a key this request still holds a write for sends the held writes first. */
  private async settle(namespace: string, key: string): Promise<void> {
    const held = heldWrites();
    if (held?.holdsEntry(namespace, storeKey(key))) await held.flush();
  }
}

/** Keys longer than the column allows (or made of untrusted text of any length) are stored as their SHA-256. */
function storeKey(key: string): string {
  return key.length <= 200 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}
