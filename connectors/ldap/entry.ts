import { z } from 'zod';
import type { Entry } from 'ldapts';
import type { LdapSettings } from './config.js';
import { eq } from './protocol/filter.js';
import { guidFromBytes, guidToBytes, isGuidText } from './protocol/guid.js';

const scalar = z.union([z.string(), z.instanceof(Buffer)]);
// What ldapts hands back for a search entry: the DN and, per attribute, one value or a list.
const entrySchema = z.object({ dn: z.string() }).catchall(z.union([scalar, z.array(scalar)]));

/** A search entry with case-insensitive attribute access (servers spell names as their schema does). */
export class LdapEntry {
  private readonly values = new Map<string, { name: string; values: (string | Buffer)[] }>();

  private constructor(readonly dn: string) {}

  static parse(raw: Entry): LdapEntry {
    const parsed = entrySchema.parse(raw);
    const entry = new LdapEntry(parsed.dn);
    for (const [name, value] of Object.entries(parsed)) {
      if (name === 'dn') continue;
      const list = Array.isArray(value) ? value : [value];
      if (list.length > 0) entry.values.set(name.toLowerCase(), { name, values: list });
    }
    return entry;
  }

  has(attribute: string): boolean {
    return this.values.has(attribute.toLowerCase());
  }

  all(attribute: string): string[] {
    return (this.values.get(attribute.toLowerCase())?.values ?? []).map((v) =>
      typeof v === 'string' ? v : v.toString('utf8'),
    );
  }

  first(attribute: string): string | null {
    return this.all(attribute)[0] ?? null;
  }

  buffers(attribute: string): Buffer[] {
    return (this.values.get(attribute.toLowerCase())?.values ?? []).map((v) =>
      typeof v === 'string' ? Buffer.from(v, 'utf8') : v,
    );
  }

  /** Attributes as the server named them, for range retrieval (`member;range=0-1499`). */
  names(): string[] {
    return [...this.values.values()].map((v) => v.name);
  }
}

/** The entry's stable id as our external id: entryUUID as written, objectGUID in its registry text form. */
export function uuidOf(entry: LdapEntry, settings: LdapSettings): string | null {
  if (settings.uuidIsBinary) {
    const [bytes] = entry.buffers(settings.uuidAttribute);
    if (!bytes) return null;
    // An emulated directory may hold the text form already.
    if (bytes.length === 16) return guidFromBytes(bytes);
    const text = bytes.toString('utf8');
    return isGuidText(text) ? text.toLowerCase() : null;
  }
  return entry.first(settings.uuidAttribute);
}

/** A filter matching the entry with this external id. */
export function uuidFilter(settings: LdapSettings, externalId: string): string {
  if (settings.uuidIsBinary) return eq(settings.uuidAttribute, guidToBytes(externalId));
  return eq(settings.uuidAttribute, externalId);
}

export function isValidExternalId(settings: LdapSettings, externalId: string): boolean {
  return settings.uuidIsBinary ? isGuidText(externalId) : externalId.trim().length > 0;
}
