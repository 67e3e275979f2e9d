import { z } from 'zod';

/** Building blocks shared by every resource's schemas. */

export const Uuid = z.uuid();
export const IdParams = z.object({ id: z.uuid().describe('The object id') });
export const Timestamp = z.iso.datetime({ offset: true });

/**
 * A time the client sends: RFC 3339 with an offset PostgreSQL accepts (±15:59 at most), between 1970 and 9999, read
 * as UTC. Anything else is a 400 here rather than a database error later.
 */
export const TimestampInput = z.iso
  .datetime({ offset: true })
  .refine((text) => {
    const offset = /([+-])(\d{2}):?(\d{2})$/.exec(text);
    if (offset && Number(offset[2]) > 15) return false;
    const time = Date.parse(text);
    return Number.isFinite(time) && time >= 0 && time <= Date.UTC(9999, 11, 31);
  }, 'must be an RFC 3339 time between 1970 and 9999')
  .transform((text) => new Date(text).toISOString());
export const NullableTimestamp = Timestamp.nullable();

/** Lower-case machine name used in URLs and claims: letters, digits and inner hyphens, 1–63 characters. */
export const Slug = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    'must be lower-case letters, digits and inner hyphens (1–63)',
  );

export const Name = z.string().trim().min(1).max(200);

/** Query booleans arrive as text; `z.coerce.boolean()` would read "false" as true. */
export const QueryBoolean = z.enum(['true', 'false']).transform((value) => value === 'true');

/** The base of every list's query: page size, cursor and sort (each list adds its own filters). */
export function listQuery<const K extends string, F extends z.ZodRawShape = Record<never, never>>(
  sortKeys: readonly [K, ...K[]],
  defaultSort: K | `-${K}`,
  filters?: F,
) {
  const sorts = sortKeys.flatMap((key) => [key, `-${key}`]) as [string, ...string[]];
  return z
    .object({
      limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size (1–200)'),
      cursor: z.string().min(1).max(600).optional().describe('From the previous page’s `nextCursor`'),
      sort: z
        .enum(sorts)
        .default(defaultSort)
        .describe('Sort key; a leading `-` sorts descending. Ties are broken by id, so paging is stable.'),
    })
    .extend((filters ?? {}) as F);
}

export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
    })
    .meta({ id });
}

/** The mask every write-only secret reads back as. */
export const SECRET_MASK = '********';
export const MaskedSecret = z
  .object({ set: z.boolean().describe('Whether a value is stored') })
  .describe('Secrets are write-only: reads only say whether one is set');
