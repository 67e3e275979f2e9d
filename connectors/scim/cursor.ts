import { ConnectorError } from '../kit/errors.js';

/**
 * Read cursors are the next 1-based startIndex (RFC 7644 §3.4.2.4) as a decimal string: resumable by any
 * instance, and readable in a stored checkpoint.
 */
export function readCursor(cursor: string | null): number {
  if (cursor === null) return 1;
  if (!/^[1-9]\d{0,9}$/.test(cursor)) {
    throw new ConnectorError('invalid_config', {
      message: `"${cursor.slice(0, 40)}" is not a SCIM read cursor (a startIndex); restart the read without a cursor`,
    });
  }
  return Number(cursor);
}

export function writeCursor(startIndex: number): string {
  return String(startIndex);
}
