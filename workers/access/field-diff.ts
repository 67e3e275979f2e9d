import { canonicalJson } from './state-hash.js';

export type FieldDiff = Record<string, { from: unknown; to: unknown }>;

/** Field-by-field difference of two flat records (nested values compare by canonical JSON). */
export function fieldDiff(from: Record<string, unknown>, to: Record<string, unknown>): FieldDiff {
  const diff: FieldDiff = {};
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
    const a = from[key] ?? null;
    const b = to[key] ?? null;
    if (canonicalJson(a) !== canonicalJson(b)) diff[key] = { from: a, to: b };
  }
  return diff;
}
