import type { CacheItem, CacheProvider } from '@node-saml/node-saml';
import type { ExpiringStore } from '../../state/expiring-store.js';

/**
 * node-saml's request-id cache (for its own InResponseTo check) in PostgreSQL, so the response can land on any
 * gateway replica.
 */
export class StoreCacheProvider implements CacheProvider {
  constructor(
    private readonly store: ExpiringStore,
    private readonly ttlSeconds: number,
  ) {}

  async saveAsync(key: string, value: string): Promise<CacheItem | null> {
    const createdAt = Date.now();
    await this.store.put('saml-upstream-request', key, { value, createdAt }, this.ttlSeconds);
    return { value, createdAt };
  }

  async getAsync(key: string): Promise<string | null> {
    return (await this.store.get<{ value: string }>('saml-upstream-request', key))?.value ?? null;
  }

  async removeAsync(key: string | null): Promise<string | null> {
    if (key === null) return null;
    return (await this.store.take<{ value: string }>('saml-upstream-request', key))?.value ?? null;
  }
}
