import { z } from 'zod';
import { ConnectorError } from '../kit/errors.js';

/**
 * Our cursor, opaque to the engine: a full read carries BambooHR's own page cursor plus the last employee id it
 * returned (to recover when BambooHR refuses the cursor because that employee changed); an incremental read
 * carries the watermark it reads from and the last employee id it handled.
 */
const cursorSchema = z.discriminatedUnion('m', [
  z.object({ v: z.literal(1), m: z.literal('full'), after: z.string().min(1), last: z.number().int() }),
  z.object({ v: z.literal(1), m: z.literal('inc'), since: z.string().min(1), after: z.number().int() }),
]);
export type ReadCursor = z.infer<typeof cursorSchema>;

export function encodeCursor(cursor: ReadCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(text: string): ReadCursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch (cause) {
    throw new ConnectorError('invalid_config', {
      message: 'the stored BambooHR read cursor is not one this connector wrote; start a full read',
      cause,
    });
  }
}
