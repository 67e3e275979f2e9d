import { ConnectorError } from '../kit/errors.js';
import { MAX_QUERY_ROWS } from './client.js';

/**
 * Read cursors: the last internal id (FID / FDEPTID) read, as `employees:100123`. Reads continue with
 * `FID > last` ordered by FID (keyset paging), which stays correct when records are created or deleted between pages,
 * where ExecuteBillQuery's StartRow offsets would skip or repeat rows.
 */
export type CursorKind = 'employees' | 'departments';

export function encodeCursor(kind: CursorKind, lastId: number): string {
  return `${kind}:${lastId}`;
}

/** The last id read, 0 to start; a cursor from another read is refused rather than silently restarting. */
export function decodeCursor(cursor: string | null, kind: CursorKind): number {
  if (cursor === null) return 0;
  const match = /^([a-z]+):(\d{1,15})$/.exec(cursor);
  if (!match || match[1] !== kind) {
    throw new ConnectorError('invalid_config', {
      message: `the read cursor "${cursor}" is not a Kingdee ${kind} cursor`,
    });
  }
  return Number(match[2]);
}

/** The page size hint clamped to what ExecuteBillQuery allows; 500 by default. */
export function pageSize(hint: number | undefined): number {
  return Math.min(MAX_QUERY_ROWS, Math.max(2, Math.floor(hint ?? 500)));
}
