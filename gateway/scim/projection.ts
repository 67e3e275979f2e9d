/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5), at the level clients use: top-level names (a dotted
 * name keeps its top-level attribute). `id` and `schemas` are always returned.
 */
export function project(
  resource: Record<string, unknown>,
  attributes: string | undefined,
  excluded: string | undefined,
): Record<string, unknown> {
  const names = (text: string | undefined): Set<string> =>
    new Set(
      (text ?? '')
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n !== '')
        .map((n) => (n.startsWith('urn:') ? n.toLowerCase() : (n.split('.')[0] ?? n).toLowerCase())),
    );
  const include = names(attributes);
  const exclude = names(excluded);
  if (include.size === 0 && exclude.size === 0) return resource;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    const lowered = key.toLowerCase();
    const always = lowered === 'id' || lowered === 'schemas';
    if (
      !always &&
      include.size > 0 &&
      !include.has(lowered) &&
      !(lowered === 'meta' && include.has('meta'))
    ) {
      // An extension attribute `urn:…:User:department` keeps the extension object.
      if (![...include].some((n) => n.startsWith(`${lowered}:`))) continue;
    }
    if (!always && exclude.has(lowered)) continue;
    out[key] = value;
  }
  return out;
}

export function queryText(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
