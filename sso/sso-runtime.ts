import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { SsoDeps } from './deps.js';
import { ApplicationDirectory } from './provider/oidc/application-directory.js';
import { SSO_SESSION_COOKIE } from './provider/oidc/cookie-names.js';
import { createOidcProvider, type ProviderViews } from './provider/oidc/create-oidc-provider.js';
import { PersonViews } from './provider/oidc/person-views.js';
import {
  ensureSigningKeys,
  keySetFingerprint,
  loadKeyMaterial,
  type KeyMaterial,
} from './provider/keys/signing-keys.js';
import { findSsoSession, findSsoSessionWithView, type ActiveSsoSession } from './sessions/sso-sessions.js';
import { ExpiringStore } from './state/expiring-store.js';
import { SamlIdp } from './provider/saml/saml-idp.js';
import { LdapSignIn } from './upstream/ldap/ldap-sign-in.js';
import { WebauthnFactor } from './upstream/password/webauthn.js';
import { UpstreamOidc } from './upstream/oidc/upstream-oidc.js';
import { UpstreamSaml } from './upstream/saml/upstream-saml.js';

/** How often a replica checks whether another one rotated the keys. */
const KEY_CHECK_MS = 30_000;

export interface SsoRuntimeOptions {
  views: ProviderViews;
  /** Runs after oidc-provider answered (the gateway ends its SSO session after RP-initiated logout). */
  afterOidc?: (ctx: KoaContextWithOIDC, runtime: SsoRuntime) => Promise<void>;
}

/**
 * Everything the gateway's sign-in routes share in one process: the key material, the oidc-provider instance built
 * from it (rebuilt when the keys change in PostgreSQL, so a rotation on one replica reaches all), and the stores.
 * Holds no per-person state: that is all in PostgreSQL.
 */
export class SsoRuntime {
  readonly store: ExpiringStore;
  readonly applications: ApplicationDirectory;
  readonly views: PersonViews;
  readonly upstreamOidc: UpstreamOidc;
  readonly upstreamSaml: UpstreamSaml;
  readonly ldap: LdapSignIn;
  readonly webauthn: WebauthnFactor;
  readonly samlIdp: SamlIdp;
  private material!: KeyMaterial;
  private provider!: Provider;
  private handler!: (req: IncomingMessage, res: ServerResponse) => void;
  private lastKeyCheck = 0;
  private readonly sessionsByRequest = new WeakMap<object, Promise<ActiveSsoSession | undefined>>();
  private keyCheck: Promise<void> | undefined;

  private constructor(
    readonly deps: SsoDeps,
    private readonly options: SsoRuntimeOptions,
  ) {
    this.store = new ExpiringStore(deps.dataSource);
    this.applications = new ApplicationDirectory(deps.dataSource);
    this.views = new PersonViews(deps.dataSource, this.applications);
    this.views.readSessionWith((ctx) => this.ssoSessionOf(ctx));
    this.upstreamOidc = new UpstreamOidc(deps, this.store);
    this.upstreamSaml = new UpstreamSaml(deps, this.store);
    this.ldap = new LdapSignIn(deps, this.store);
    this.webauthn = new WebauthnFactor(deps, this.store);
    this.samlIdp = new SamlIdp(deps, this.store, this.applications, () => this.material);
  }

  static async start(deps: SsoDeps, options: SsoRuntimeOptions): Promise<SsoRuntime> {
    const runtime = new SsoRuntime(deps, options);
    await ensureSigningKeys(deps.dataSource, deps.vault, new URL(deps.publicUrl).host);
    await runtime.reloadKeys();
    return runtime;
  }

  get keys(): KeyMaterial {
    return this.material;
  }

  get oidc(): Provider {
    return this.provider;
  }

  /**
   * The gateway session carried by this oidc-provider request's cookie, read once per request: the interaction
   * policy and the post-request hook both ask during one authorization resume. Never kept beyond the request.
   */
  ssoSessionOf(ctx: KoaContextWithOIDC): Promise<ActiveSsoSession | undefined> {
    let pending = this.sessionsByRequest.get(ctx);
    if (!pending) {
      pending = this.loadSsoSession(ctx);
      this.sessionsByRequest.set(ctx, pending);
    }
    return pending;
  }

  /**
   * For a request naming an enabled app, the session's person as that app sees them comes with the session (one
   * statement): the interaction policy's access check and findAccount ask for it next.
   */
  private async loadSsoSession(ctx: KoaContextWithOIDC): Promise<ActiveSsoSession | undefined> {
    const token = ctx.cookies.get(SSO_SESSION_COOKIE, { signed: false });
    const clientId = ctx.oidc?.client?.clientId;
    const app = token && clientId ? await this.applications.byClientId(clientId) : undefined;
    if (!clientId || !app?.enabled) return findSsoSession(this.deps.dataSource, token);
    const found = await findSsoSessionWithView(this.deps.dataSource, token, app.id);
    if (found) this.views.seed(ctx, found.session.personId, clientId, found.view);
    return found?.session;
  }

  /** The node request handler of the current oidc-provider instance. */
  oidcHandler(): (req: IncomingMessage, res: ServerResponse) => void {
    this.maybeCheckKeys();
    return this.handler;
  }

  /** Reloads key material and rebuilds the provider; called at start, after a rotation, and when the set changed. */
  async reloadKeys(): Promise<void> {
    const material = await loadKeyMaterial(this.deps.dataSource, this.deps.vault);
    const afterOidc = this.options.afterOidc;
    const provider = createOidcProvider({
      deps: this.deps,
      keys: material,
      applications: this.applications,
      views: this.views,
      probe: { personOf: async (ctx) => (await this.ssoSessionOf(ctx))?.personId },
      render: this.options.views,
      after: afterOidc ? (ctx) => afterOidc(ctx, this) : undefined,
    });
    this.material = material;
    this.provider = provider;
    this.handler = provider.callback();
    this.lastKeyCheck = Date.now();
  }

  private maybeCheckKeys(): void {
    if (this.keyCheck || Date.now() - this.lastKeyCheck < KEY_CHECK_MS) return;
    this.lastKeyCheck = Date.now();
    this.keyCheck = keySetFingerprint(this.deps.dataSource)
      .then((fingerprint) => (fingerprint === this.material.fingerprint ? undefined : this.reloadKeys()))
      .catch((error: unknown) => this.deps.log.warn({ err: error }, 'sso: signing key check failed'))
      .finally(() => {
        this.keyCheck = undefined;
      });
  }
}
