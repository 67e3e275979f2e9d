import { createHash, randomUUID } from 'node:crypto';
import type { Entry, SearchResult } from 'ldapts';
import { z } from 'zod';
import { ConnectorError } from '../kit/errors.js';
import type { LdapConnection } from './connection.js';
import { LdapEntry } from './entry.js';
import { toConnectorError } from './ldap-errors.js';

export interface PagedQuery {
  base: string;
  scope: 'sub' | 'one';
  filter: string;
  attributes: string[];
  explicitBufferAttributes: string[];
  pageSize: number;
}

export interface PagedResult {
  entries: LdapEntry[];
  nextCursor: string | null;
}

/**
 * Resumable reads over the Simple Paged Results control (RFC 2696).
 *
 * A paged-results cookie is only valid on the connection that issued it (slapd keeps the paging state per
 * connection; AD per connection or DC), and a Junction read is a series of activity calls that may land on other
 * workers. So a cursor names two ways back in:
 * 1. the live search: this process keeps the search (its connection and the ldapts page iterator, which holds
 *    the cookie) in a small registry for a few minutes, and the cursor carries its id and position. The next page
 *    is one round trip, and exact.
 * 2. the entries we stopped after: when the search is gone (another worker, a restart, a dropped connection),
 *    the same query runs again and skips until it has passed the last entries the cursor delivered (by stable
 *    id, the last three), so entries added or removed meanwhile neither shift nor drop what follows (see
 *    `resume`). Skipping costs a re-read of the entries before the cursor on the server's side of a fast link;
 *    it happens only after a failure or a worker change. A count would not do: one deletion before the cursor
 *    would shift everyone after it, and the one skipped would look like a leaver.
 * ldapts does not expose the cookie itself, so (1) holds the iterator rather than the raw cookie.
 */
const KEEP_KEYS = 3;
const cursorSchema = z.object({
  v: z.literal(1),
  /** Hash of the query, so a cursor is never replayed against another search. */
  q: z.string(),
  /** Live search id in the process that made the cursor. */
  s: z.string(),
  /** Entries delivered so far. */
  n: z.number().int().min(0),
  /** Stable ids of the last few entries delivered, oldest first. */
  k: z.array(z.string()).max(KEEP_KEYS),
});
type Cursor = z.infer<typeof cursorSchema>;

interface LiveSearch {
  id: string;
  queryKey: string;
  connection: LdapConnection;
  pages: AsyncGenerator<SearchResult>;
  /** The page read ahead, to know whether there is one more. */
  ahead: Entry[] | null;
  position: number;
  /** Ids of the last entries delivered (at most KEEP_KEYS), oldest first. */
  lastKeys: string[];
  busy: boolean;
  idleTimer: NodeJS.Timeout | undefined;
}

const IDLE_MS = 5 * 60_000;
const MAX_LIVE = 32;
const live = new Map<string, LiveSearch>();

function queryKey(query: PagedQuery): string {
  return createHash('sha256')
    .update(JSON.stringify([query.base.toLowerCase(), query.scope, query.filter, query.attributes]))
    .digest('base64url')
    .slice(0, 22);
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new ConnectorError('invalid_config', {
      message: 'the read cursor is not one this LDAP connector issued; start the read again',
    });
  }
}

async function drop(search: LiveSearch): Promise<void> {
  live.delete(search.id);
  if (search.idleTimer) clearTimeout(search.idleTimer);
  await search.pages.return(undefined).catch(() => undefined);
  await search.connection.close();
}

function park(search: LiveSearch): void {
  search.busy = false;
  search.connection.park();
  search.idleTimer = setTimeout(() => void drop(search), IDLE_MS);
  search.idleTimer.unref();
}

/** Closes every live search (tests, shutdown). */
export async function closeLiveSearches(): Promise<void> {
  await Promise.all([...live.values()].map(drop));
}

export function liveSearchCount(): number {
  return live.size;
}

/**
 * Reads the page after `cursor` (or the first). `open` makes a dedicated bound connection (one paged search per
 * connection, as slapd requires); `keyOf` gives an entry's stable id.
 */
export async function readPage(
  query: PagedQuery,
  cursorText: string | null,
  open: () => Promise<LdapConnection>,
  keyOf: (entry: LdapEntry) => string | null,
): Promise<PagedResult> {
  const key = queryKey(query);
  const cursor = cursorText ? decodeCursor(cursorText) : null;
  if (cursor && cursor.q !== key) {
    throw new ConnectorError('invalid_config', {
      message: 'the read cursor belongs to another search (filter or settings changed); start the read again',
    });
  }

  let search = cursor ? live.get(cursor.s) : undefined;
  if (search && (search.busy || search.position !== cursor?.n || !search.connection.usable)) {
    if (!search.busy) await drop(search);
    search = undefined;
  }

  let entries: Entry[];
  try {
    if (search) {
      if (search.idleTimer) clearTimeout(search.idleTimer);
      search.busy = true;
      search.connection.unpark();
      entries = search.ahead ?? [];
      search.ahead = null;
    } else if (cursor) {
      ({ search, entries } = await resume(query, key, open, cursor, keyOf));
    } else {
      search = await start(query, key, open);
      entries = (await nextPage(search)) ?? [];
    }
    // Read one page ahead: no next page, or an empty one, means this one is the last.
    const ahead = await nextPage(search);
    const parsed = entries.map((raw) => LdapEntry.parse(raw));
    search.position += parsed.length;
    for (const entry of parsed.slice(-KEEP_KEYS)) {
      const id = keyOf(entry);
      if (id !== null) search.lastKeys = [...search.lastKeys, id].slice(-KEEP_KEYS);
    }
    if (ahead === null || ahead.length === 0) {
      await drop(search);
      return { entries: parsed, nextCursor: null };
    }
    search.ahead = ahead;
    park(search);
    return {
      entries: parsed,
      nextCursor: encodeCursor({ v: 1, q: key, s: search.id, n: search.position, k: search.lastKeys }),
    };
  } catch (error) {
    if (search) await drop(search);
    throw toConnectorError(error, { operation: `search ${query.base}` });
  }
}

async function start(
  query: PagedQuery,
  key: string,
  open: () => Promise<LdapConnection>,
): Promise<LiveSearch> {
  if (live.size >= MAX_LIVE) {
    const oldest = [...live.values()].find((s) => !s.busy);
    if (oldest) await drop(oldest);
  }
  const connection = await open();
  const pages = connection.client.searchPaginated(query.base, {
    scope: query.scope,
    filter: query.filter,
    attributes: query.attributes,
    explicitBufferAttributes: query.explicitBufferAttributes,
    paged: { pageSize: query.pageSize },
  });
  const search: LiveSearch = {
    id: randomUUID(),
    queryKey: key,
    connection,
    pages,
    ahead: null,
    position: 0,
    lastKeys: [],
    busy: true,
    idleTimer: undefined,
  };
  live.set(search.id, search);
  return search;
}

/** The next page of the server's paging, or null when the search is complete. */
async function nextPage(search: LiveSearch): Promise<Entry[] | null> {
  const next = await search.pages.next();
  return next.done ? null : next.value.searchEntries;
}

/**
 * Fallback: run the query again and return what follows the entries the cursor delivered last. Servers return a
 * search's entries in a stable order (slapd and AD: by entry id), so the undelivered part starts at the first
 * entry after a match that is not one of the cursor's last ids, whichever of them were deleted meanwhile. When
 * none of them exists any more, the read starts over: repeating people is harmless to the engine, losing one
 * would make them look like a leaver.
 */
async function resume(
  query: PagedQuery,
  key: string,
  open: () => Promise<LdapConnection>,
  cursor: Cursor,
  keyOf: (entry: LdapEntry) => string | null,
): Promise<{ search: LiveSearch; entries: Entry[] }> {
  const search = await start(query, key, open);
  try {
    if (cursor.k.length > 0) {
      const entries = await skipPastKeys(search, new Set(cursor.k), keyOf);
      if (entries !== null) return { search, entries };
    }
  } catch (error) {
    await drop(search);
    throw error;
  }
  await drop(search);
  const again = await start(query, key, open);
  try {
    return { search: again, entries: (await nextPage(again)) ?? [] };
  } catch (error) {
    await drop(again);
    throw error;
  }
}

/** The entries after the last run of `keys`; null when none of the keys is found. */
async function skipPastKeys(
  search: LiveSearch,
  keys: Set<string>,
  keyOf: (entry: LdapEntry) => string | null,
): Promise<Entry[] | null> {
  let seen = 0;
  let matched = false;
  for (let page = await nextPage(search); page !== null; page = await nextPage(search)) {
    for (let i = 0; i < page.length; i++) {
      const raw = page[i];
      const id = raw ? keyOf(LdapEntry.parse(raw)) : null;
      const isKey = id !== null && keys.has(id);
      if (isKey) matched = true;
      else if (matched) {
        search.position = seen + i;
        return page.slice(i);
      }
    }
    seen += page.length;
  }
  if (!matched) return null;
  search.position = seen;
  return [];
}
