import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { problems } from './problem.js';

export type SortCast = 'timestamptz' | 'text' | 'integer' | 'bigint' | 'uuid' | 'boolean';

/** A sortable field: the entity property and the SQL type its cursor value is cast back to. Never nullable. */
export interface SortKey {
  property: string;
  cast: SortCast;
}

interface CursorPayload {
  s: string;
  v: string;
  id: string;
}

/**
 * Keyset pagination over (sort field, id): stable under inserts and deletes, and as cheap on page 1,000 as on
 * page 1, which an offset is not at 100,000 people. The cursor carries the sort key it was made for and the
 * last row's values as PostgreSQL prints them (full microsecond precision for timestamps).
 */
export async function paginate<E extends ObjectLiteral>(
  qb: SelectQueryBuilder<E>,
  options: {
    alias: string;
    sort: string;
    sorts: Record<string, SortKey>;
    limit: number;
    cursor?: string | undefined;
    idCast?: 'uuid' | 'bigint';
  },
): Promise<{ items: E[]; nextCursor: string | null }> {
  const descending = options.sort.startsWith('-');
  const sortName = descending ? options.sort.slice(1) : options.sort;
  const key = options.sorts[sortName];
  if (!key) throw problems.invalidCursor();
  const idCast = options.idCast ?? 'uuid';
  const column = `${options.alias}.${key.property}`;
  const idColumn = `${options.alias}.id`;
  if (options.cursor !== undefined) {
    const cursor = decodeCursor(options.cursor);
    if (!cursor || cursor.s !== options.sort) throw problems.invalidCursor();
    if (!isValidCast(cursor.v, key.cast) || !isValidCast(cursor.id, idCast)) throw problems.invalidCursor();
    qb.andWhere(
      `(${column}, ${idColumn}) ${descending ? '<' : '>'} (CAST(:cursorValue AS ${key.cast}), CAST(:cursorId AS ${idCast}))`,
      { cursorValue: cursor.v, cursorId: cursor.id },
    );
  }
  const direction = descending ? 'DESC' : 'ASC';
  qb.addSelect(`CAST(${column} AS text)`, 'cursor_value')
    .orderBy(column, direction)
    .addOrderBy(idColumn, direction)
    .limit(options.limit + 1);
  const { entities, raw } = await qb.getRawAndEntities();
  const hasMore = entities.length > options.limit;
  const items = entities.slice(0, options.limit);
  const last = items.at(-1);
  const lastRaw = raw[items.length - 1] as { cursor_value?: string } | undefined;
  const nextCursor =
    hasMore && last && lastRaw?.cursor_value !== undefined
      ? encodeCursor({ s: options.sort, v: lastRaw.cursor_value, id: String(last.id) })
      : null;
  return { items, nextCursor };
}

function encodeCursor(payload: CursorPayload): string {
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

function decodeCursor(text: string): CursorPayload | undefined {
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<CursorPayload>;
    if (typeof value.s === 'string' && typeof value.v === 'string' && typeof value.id === 'string') {
      return { s: value.s, v: value.v, id: value.id };
    }
  } catch {
    // Not base64url JSON: fall through to "invalid".
  }
  return undefined;
}

/** A forged cursor must give 400, not a PostgreSQL cast error. */
function isValidCast(value: string, cast: SortCast): boolean {
  switch (cast) {
    case 'uuid':
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
    case 'bigint':
    case 'integer':
      return /^-?\d{1,18}$/.test(value);
    case 'boolean':
      return value === 'true' || value === 'false';
    case 'timestamptz':
      return /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)?$/.test(value);
    case 'text':
      return value.length <= 400 && !value.includes('\u0000');
  }
}
