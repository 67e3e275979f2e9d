import type { KoaContextWithOIDC } from 'oidc-provider';
import type { DataSource } from 'typeorm';
import { loadPersonAppView, type PersonAppView } from '../../access/person-app-view.js';
import type { ApplicationDirectory } from './application-directory.js';

/** Authorization requests (new and resumed): the ones that read the gateway session as well as the person. */
const SESSION_ROUTES = new Set(['authorization', 'resume']);

/**
 * Loads "this person as this client sees them" at most once per request: the interaction policy's access check and
 * findAccount both need it during one authorization request. In an authorization request the gateway session is
 * read too (the interaction policy), and that statement brings the view of its person along (`seed`): the first
 * asker waits for it instead of sending a statement of its own.
 */
export class PersonViews {
  private readonly perRequest = new WeakMap<object, Map<string, Promise<PersonAppView | undefined>>>();
  private readonly seeded = new WeakMap<object, Map<string, PersonAppView | undefined>>();
  private readSession: ((ctx: KoaContextWithOIDC) => Promise<unknown>) | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly applications: ApplicationDirectory,
  ) {}

  /** How to read this request's gateway session, which `seed`s the view of its person. */
  readSessionWith(read: (ctx: KoaContextWithOIDC) => Promise<unknown>): void {
    this.readSession = read;
  }

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
      pending = this.viaSession(ctx, key, personId, clientId);
      cache.set(key, pending);
    }
    return pending;
  }

  /** Records a view read along with the gateway session as this request's answer for that person and client. */
  seed(ctx: KoaContextWithOIDC, personId: string, clientId: string, view: PersonAppView | undefined): void {
    let seeds = this.seeded.get(ctx);
    if (!seeds) {
      seeds = new Map();
      this.seeded.set(ctx, seeds);
    }
    seeds.set(`${personId}|${clientId}`, view);
  }

  private async viaSession(
    ctx: KoaContextWithOIDC,
    key: string,
    personId: string,
    clientId: string,
  ): Promise<PersonAppView | undefined> {
    if (this.readSession && SESSION_ROUTES.has(String(ctx.oidc?.route))) {
      await this.readSession(ctx);
      const seeds = this.seeded.get(ctx);
      if (seeds?.has(key)) return seeds.get(key);
    }
    return this.load(personId, clientId);
  }

  private async load(personId: string, clientId: string): Promise<PersonAppView | undefined> {
    const app = await this.applications.byClientId(clientId);
    if (!app || !app.enabled) return undefined;
    return loadPersonAppView(this.dataSource, personId, app.id);
  }
}
