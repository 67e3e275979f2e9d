import { AsyncLocalStorage } from 'node:async_hooks';
import { errors, type AdapterPayload } from 'oidc-provider';
import type { DataSource } from 'typeorm';
import { rows, type Queryable } from './sql.js';

/** One oidc-provider model instance to store (see PostgresAdapter.upsert for the columns). */
export interface PayloadUpsert {
  model: string;
  id: string;
  payload: AdapterPayload;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  account_id: string | null;
  ttl: number | null;
}

interface EntryPut {
  namespace: string;
  key: string;
  value: object;
  ttl: number;
}

interface ListAppend {
  namespace: string;
  key: string;
  item: string;
  max: number;
  ttl: number;
}

const keyOf = (a: string, b: string): string => `${a}\u0000${b}`;

/**
 * The writes one HTTP request makes to `oidc_payloads` and `expiring_entries`, held back and sent to PostgreSQL as
 * one statement when the request's work is done — before its response leaves, so no client can act on an answer
 * whose state is not stored yet. An oidc-provider authorization resume saves a grant, a code and a session and
 * destroys the interaction; a token request stores an access and a refresh token: one round trip instead of four
 * or two. Reads see the held-back writes: a read of a held key (or anything not keyed, such as a revocation by
 * grant) flushes first, so the request observes exactly what it would have with immediate writes.
 *
 * Rows read alongside another (the grant and session a token names) are kept for the rest of the request in
 * `prefetched`, so oidc-provider's separate look-ups of them cost no round trip. They live as long as the
 * request, like a value held in a local variable: never across requests.
 */
export class RequestWrites {
  private readonly upserts = new Map<string, PayloadUpsert>();
  private readonly deletes = new Map<string, { model: string; id: string }>();
  private readonly puts = new Map<string, EntryPut>();
  private readonly removals = new Map<string, { namespace: string; key: string }>();
  private readonly appends: ListAppend[] = [];
  /** A code or refresh token this request redeems: marked used by the statement carrying the writes, or none. */
  private guard: { model: string; id: string } | undefined;
  /** Rows of `oidc_payloads` read by this request, keyed by model + id or model + `uid:` + uid; null = absent. */
  readonly prefetched = new Map<string, AdapterPayload | null>();
  private closed = false;

  constructor(private readonly dataSource: DataSource) {}

  /** True while writes may still be held (after the flush, writers go straight to the database). */
  get open(): boolean {
    return !this.closed;
  }

  get empty(): boolean {
    return (
      this.guard === undefined &&
      this.upserts.size === 0 &&
      this.deletes.size === 0 &&
      this.puts.size === 0 &&
      this.removals.size === 0 &&
      this.appends.length === 0
    );
  }

  /**
   * Holds the redemption of a code or refresh token (PostgresAdapter.consume) until the flush, which marks it used
   * atomically and stores the request's other writes only if this request was the one that did: of two requests
   * redeeming the same token at once, the loser stores nothing, the grant is revoked, and it gets invalid_grant
   * (RFC 6749 §4.1.2, RFC 9700 §4.14.2) — as with an immediate consume, one round trip fewer. False when a
   * redemption is already held (the caller then consumes immediately).
   */
  guardConsume(model: string, id: string): boolean {
    if (this.guard) return false;
    this.guard = { model, id };
    return true;
  }

  upsertPayload(row: PayloadUpsert): void {
    const key = keyOf(row.model, row.id);
    this.deletes.delete(key);
    this.upserts.set(key, row);
    this.forget(row.model, row.id, row.uid);
  }

  deletePayload(model: string, id: string): void {
    const key = keyOf(model, id);
    const held = this.upserts.get(key);
    this.upserts.delete(key);
    this.deletes.set(key, { model, id });
    this.forget(model, id, held?.uid ?? null);
  }

  /** True when a held write touches this oidc-provider row (by id), so a read must flush first. */
  holdsPayload(model: string, id: string): boolean {
    const key = keyOf(model, id);
    return (
      this.upserts.has(key) || this.deletes.has(key) || (this.guard?.model === model && this.guard.id === id)
    );
  }

  /** True when any held write touches rows of `model` (a look-up by uid or user code cannot tell which). */
  holdsModel(model: string): boolean {
    if (this.guard?.model === model) return true;
    for (const row of this.upserts.values()) if (row.model === model) return true;
    for (const row of this.deletes.values()) if (row.model === model) return true;
    return false;
  }

  putEntry(entry: EntryPut): void {
    const key = keyOf(entry.namespace, entry.key);
    this.removals.delete(key);
    this.puts.set(key, entry);
  }

  deleteEntry(namespace: string, key: string): void {
    const k = keyOf(namespace, key);
    this.puts.delete(k);
    this.removals.set(k, { namespace, key });
  }

  appendToList(append: ListAppend): void {
    this.appends.push(append);
  }

  holdsEntry(namespace: string, key: string): boolean {
    const k = keyOf(namespace, key);
    return (
      this.puts.has(k) || this.removals.has(k) || this.appends.some((a) => keyOf(a.namespace, a.key) === k)
    );
  }

  /**
   * The held writes as data-modifying CTEs, parameters numbered from `first`, for a caller that sends them inside
   * its own statement; the writes count as flushed once that statement has run (call `markFlushed`).
   */
  asCtes(first: number): { ctes: string[]; params: unknown[] } {
    if (this.guard) throw new Error('sso: a held redemption is flushed on its own statement (flush)');
    return this.writeCtes(first, '');
  }

  /** The held writes as CTEs, each applied only when `when` (an SQL condition, or '' for always) holds. */
  private writeCtes(first: number, when: string): { ctes: string[]; params: unknown[] } {
    const ctes: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(JSON.stringify(value));
      return `$${first + params.length - 1}::jsonb`;
    };
    const where = when ? ` WHERE ${when}` : '';
    const and = when ? ` AND ${when}` : '';
    if (this.upserts.size > 0) {
      ctes.push(`w_upsert AS (
        INSERT INTO oidc_payloads (model, id, payload, grant_id, uid, user_code, account_id, expires_at)
        SELECT r.model, r.id, r.payload, r.grant_id, r.uid, r.user_code, r.account_id,
               CASE WHEN r.ttl IS NULL THEN NULL ELSE now() + make_interval(secs => r.ttl) END
          FROM jsonb_to_recordset(${param([...this.upserts.values()])}) AS r(model text, id text, payload jsonb,
               grant_id text, uid text, user_code text, account_id text, ttl int)${where}
        ON CONFLICT (model, id) DO UPDATE SET payload = EXCLUDED.payload, grant_id = EXCLUDED.grant_id,
          uid = EXCLUDED.uid, user_code = EXCLUDED.user_code, account_id = EXCLUDED.account_id,
          expires_at = EXCLUDED.expires_at)`);
    }
    if (this.deletes.size > 0) {
      ctes.push(`w_delete AS (
        DELETE FROM oidc_payloads o USING jsonb_to_recordset(${param([...this.deletes.values()])}) AS d(model text, id text)
         WHERE o.model = d.model AND o.id = d.id${and})`);
    }
    if (this.puts.size > 0) {
      ctes.push(`w_put AS (
        INSERT INTO expiring_entries (namespace, key, value, expires_at)
        SELECT e.namespace, e.key, e.value, now() + make_interval(secs => e.ttl)
          FROM jsonb_to_recordset(${param([...this.puts.values()])}) AS e(namespace text, key text, value jsonb, ttl int)${where}
        ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value, expires_at = EXCLUDED.expires_at)`);
    }
    if (this.removals.size > 0) {
      ctes.push(`w_remove AS (
        DELETE FROM expiring_entries x USING jsonb_to_recordset(${param([...this.removals.values()])}) AS d(namespace text, key text)
         WHERE x.namespace = d.namespace AND x.key = d.key${and})`);
    }
    if (this.appends.length > 0) {
      // One append per list and statement (ON CONFLICT may touch a row once); more are rare enough to run alone.
      const [append] = this.appends;
      ctes.push(`w_append AS (${appendSql(param(append), when)})`);
    }
    return { ctes, params };
  }

  /** Forget the writes `asCtes` returned, after the caller's statement carrying them succeeded. */
  markFlushed(): void {
    this.guard = undefined;
    this.upserts.clear();
    this.deletes.clear();
    this.puts.clear();
    this.removals.clear();
    this.appends.splice(0, 1);
  }

  /** Sends every held write now (one statement, plus one per extra list append). */
  async flush(db: DataSource | Queryable = this.dataSource): Promise<void> {
    if (this.guard) await this.flushGuarded(db, this.guard);
    while (!this.empty) {
      const { ctes, params } = this.asCtes(1);
      await rows(
        db,
        `WITH ${ctes.join(',\n')} SELECT 1`,
        params,
        `sso-flush-${ctes.length}-${signature(ctes)}`,
      );
      this.markFlushed();
    }
  }

  /**
   * One statement: mark the held code / refresh token used if nobody has, and store the other held writes only if
   * that succeeded. When it did not (already used, or gone), nothing is stored, everything issued under its grant is
   * revoked, and the request fails with invalid_grant.
   */
  private async flushGuarded(
    db: DataSource | Queryable,
    guard: { model: string; id: string },
  ): Promise<void> {
    const { ctes, params } = this.writeCtes(3, 'EXISTS (SELECT 1 FROM w_consume)');
    const [row] = await rows<{ first: boolean; grant_id: string | null }>(
      db,
      `WITH w_consume AS (
         UPDATE oidc_payloads SET consumed_at = now()
          WHERE model = $1 AND id = $2 AND consumed_at IS NULL RETURNING grant_id)
       ${ctes.map((c) => `, ${c}`).join('\n')}
       SELECT EXISTS (SELECT 1 FROM w_consume) AS first,
              (SELECT grant_id FROM oidc_payloads WHERE model = $1 AND id = $2) AS grant_id`,
      [guard.model, guard.id, ...params],
      `sso-flush-guarded-${ctes.length}-${signature(ctes)}`,
    );
    const appended = this.appends.length > 0;
    this.guard = undefined;
    this.upserts.clear();
    this.deletes.clear();
    this.puts.clear();
    this.removals.clear();
    if (appended) this.appends.splice(0, 1);
    if (row?.first) return;
    // Not stored: the rest of this request's writes must not go out on their own either.
    this.discardWrites();
    if (row?.grant_id) {
      await rows(db, `DELETE FROM oidc_payloads WHERE grant_id = $1`, [row.grant_id], 'oidc-revoke-grant');
    }
    throw new errors.InvalidGrant(`${guard.model} already used`);
  }

  private discardWrites(): void {
    this.guard = undefined;
    this.upserts.clear();
    this.deletes.clear();
    this.puts.clear();
    this.removals.clear();
    this.appends.length = 0;
  }

  /** Drops whatever is still held, unsent, and stops holding (a refused sign-in must store none of it). */
  discard(): void {
    this.discardWrites();
    this.prefetched.clear();
    this.closed = true;
  }

  /** Flushes and stops holding: later writes of this request (if any) go straight to the database. */
  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      this.closed = true;
      this.prefetched.clear();
    }
  }

  private forget(model: string, id: string, uid: string | null): void {
    this.prefetched.delete(keyOf(model, id));
    if (uid) this.prefetched.delete(keyOf(model, `uid:${uid}`));
  }
}

export const prefetchKey = keyOf;

/** Adds `item` to the JSON list at (namespace, key) unless present, keeping the last `max`; one atomic statement. */
export function appendSql(param: string, when = ''): string {
  return `INSERT INTO expiring_entries (namespace, key, value, expires_at)
    SELECT a.namespace, a.key, jsonb_build_object('ids', jsonb_build_array(a.item)),
           now() + make_interval(secs => a.ttl)
      FROM jsonb_to_record(${param}) AS a(namespace text, key text, item text, max int, ttl int)${when ? ` WHERE ${when}` : ''}
    ON CONFLICT (namespace, key) DO UPDATE SET
      value = CASE
        WHEN expiring_entries.expires_at <= now() THEN EXCLUDED.value
        WHEN expiring_entries.value->'ids' ? (EXCLUDED.value->'ids'->>0) THEN expiring_entries.value
        ELSE jsonb_build_object('ids', (
          SELECT jsonb_agg(v ORDER BY n) FROM (
            SELECT v, n FROM jsonb_array_elements(
              COALESCE(expiring_entries.value->'ids', '[]'::jsonb) || (EXCLUDED.value->'ids')
            ) WITH ORDINALITY AS l(v, n)
            ORDER BY n DESC LIMIT (${param}->>'max')::int) AS kept(v, n)))
      END,
      expires_at = GREATEST(expiring_entries.expires_at, EXCLUDED.expires_at)`;
}

/** A short stable name per shape of flush statement, so each shape is prepared once per connection. */
function signature(ctes: string[]): string {
  return ctes.map((c) => c.slice(2, c.indexOf(' '))).join('');
}

const current = new AsyncLocalStorage<RequestWrites>();

/** Runs `work` with writes held in `writes` (see RequestWrites); the caller flushes or closes it. */
export function holdWrites<T>(writes: RequestWrites, work: () => Promise<T>): Promise<T> {
  return current.run(writes, work);
}

/** The writes held for the request this code runs in, if it holds any and has not flushed for good. */
export function heldWrites(): RequestWrites | undefined {
  const writes = current.getStore();
  return writes?.open ? writes : undefined;
}
