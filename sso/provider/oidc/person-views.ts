import type { KoaContextWithOIDC } from 'oidc-provider';
import type { DataSource } from 'typeorm';
import { loadPersonAppView, type PersonAppView } from '../../access/person-app-view.js';
import type { ApplicationDirectory } from './application-directory.js';

/**
 * Loads "this person as this client sees them" at most once per request: the interaction policy's access check and
 * findAccount both need it during one authorization request.
 */
export class PersonViews {
  private readonly perRequest = new WeakMap<object, Map<string, Promise<PersonAppView | undefined>>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly applications: ApplicationDirectory,
  ) {}

  forRequest(
    ctx: KoaContextWithOIDC | undefined,
    personId: string,
    clientId: string,
  ): Promise<PersonAppView | undefined> {
    const key = `${personId}|${clientId}`;
    if (!ctx) return this.load(personId, clientId);
    let cache = this.perRequest.get(ctx);
    if (!cache) {
      cache = new Map();
      this.perRequest.set(ctx, cache);
    }
    let pending = cache.get(key);
    if (!pending) {
      pending = this.load(personId, clientId);
      cache.set(key, pending);
    }
    return pending;
  }

  private async load(personId: string, clientId: string): Promise<PersonAppView | undefined> {
    const app = await this.applications.byClientId(clientId);
    if (!app || !app.enabled) return undefined;
    return loadPersonAppView(this.dataSource, personId, app.id);
  }
}
