import type { Page, ReadRequest } from '../contract.js';

export interface ReadAllResult<T> {
  items: T[];
  pages: number;
  removed: string[];
  watermark: string | undefined;
}

/** Follows `nextCursor` to the end (or for `maxPages` pages), as the sync engine does between checkpoints. */
export async function readAll<T>(
  read: (request: ReadRequest) => Promise<Page<T>>,
  request: Omit<ReadRequest, 'cursor'> & { cursor?: string | null },
  options: { maxPages?: number; afterPage?: (page: Page<T>, index: number) => void } = {},
): Promise<ReadAllResult<T> & { nextCursor: string | null }> {
  const result: ReadAllResult<T> = { items: [], pages: 0, removed: [], watermark: undefined };
  let cursor = request.cursor ?? null;
  for (;;) {
    const page = await read({ ...request, cursor });
    result.pages += 1;
    result.items.push(...page.items);
    result.removed.push(...(page.removedExternalIds ?? []));
    if (result.pages === 1) result.watermark = page.watermark;
    options.afterPage?.(page, result.pages);
    cursor = page.nextCursor;
    if (cursor === null || (options.maxPages !== undefined && result.pages >= options.maxPages)) {
      return { ...result, nextCursor: cursor };
    }
  }
}
