import { z } from 'zod';
import { ConnectorError } from '../kit/errors.js';

/**
 * Our opaque, resumable cursors (ReadRequest.cursor). Accounts: WeCom's list_id cursor plus the last userid of
 * the page before, since a member in several departments has several rows and may straddle two pages.
 * Departments: the last department id returned (ids are read in ascending order).
 */
const accountCursorSchema = z.object({ v: z.string().min(1), last: z.string().optional() });
const departmentCursorSchema = z.object({ after: z.number().int().nonnegative() });

export type AccountCursor = z.infer<typeof accountCursorSchema>;
export type DepartmentCursor = z.infer<typeof departmentCursorSchema>;

export function encodeCursor(value: AccountCursor | DepartmentCursor): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decode<T>(cursor: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConnectorError('vendor_error', {
      message: 'this WeCom read cursor was not made by this connector; start the read again',
      retryable: false,
    });
  }
  return parsed.data;
}

export const decodeAccountCursor = (cursor: string): AccountCursor => decode(cursor, accountCursorSchema);
export const decodeDepartmentCursor = (cursor: string): DepartmentCursor =>
  decode(cursor, departmentCursorSchema);
