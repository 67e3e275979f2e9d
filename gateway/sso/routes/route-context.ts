import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { recordSsoEvent, type SsoAuditEvent } from '../../../sso/audit/record-sso-event.js';
import { isSecureDeployment } from '../../../sso/deps.js';
import { SignInRejected } from '../../../sso/errors.js';
import { csrfToken } from '../../../sso/login/csrf.js';
import { heldWrites } from '../../../sso/db/request-writes.js';
import { endLoginTransaction, type LoginTransaction } from '../../../sso/login/login-transaction.js';
import { BROWSER_COOKIE, SSO_SESSION_COOKIE } from '../../../sso/provider/oidc/cookie-names.js';
import { findSsoSession, type ActiveSsoSession } from '../../../sso/sessions/sso-sessions.js';
import type { SsoRuntime } from '../../../sso/sso-runtime.js';
import { readCookies, setCookie } from '../http/cookies.js';
import { requestInfo } from '../http/request-info.js';
import { messagePage } from '../pages/sign-in-pages.js';

const BROWSER_COOKIE_DAYS = 30;

/** Per-request helpers shared by the sign-in routes. */
export class RouteContext {
  readonly secure: boolean;

  constructor(readonly runtime: SsoRuntime) {
    this.secure = isSecureDeployment(runtime.deps.publicUrl);
  }

  get deps(): SsoRuntime['deps'] {
    return this.runtime.deps;
  }

  nonce(res: Response): string {
    return String(res.locals.cspNonce ?? '');
  }

  /** The browser-binding cookie, created on first sight. */
  browserToken(req: Request, res: Response): string {
    const existing = readCookies(req)[BROWSER_COOKIE];
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
    const token = randomBytes(32).toString('base64url');
    setCookie(res, BROWSER_COOKIE, token, {
      secure: this.secure,
      maxAgeSeconds: BROWSER_COOKIE_DAYS * 86_400,
    });
    // Later reads in this same request see it too.
    req.headers.cookie = `${req.headers.cookie ? `${req.headers.cookie}; ` : ''}${BROWSER_COOKIE}=${token}`;
    return token;
  }

  existingBrowserToken(req: Request): string | undefined {
    return readCookies(req)[BROWSER_COOKIE];
  }

  csrf(browser: string, scope: string): string {
    const secret = this.runtime.keys.cookieSecrets[0];
    if (!secret) throw new Error('sso: no cookie secret loaded');
    return csrfToken(secret, browser, scope);
  }

  sessionToken(req: Request): string | undefined {
    return readCookies(req)[SSO_SESSION_COOKIE];
  }

  async session(req: Request): Promise<ActiveSsoSession | undefined> {
    return findSsoSession(this.deps.dataSource, this.sessionToken(req));
  }

  setSessionCookie(res: Response, token: string, expires: Date): void {
    setCookie(res, SSO_SESSION_COOKIE, token, { secure: this.secure, expires });
  }

  /**
   * After a session was created: back to whatever asked for the sign-in. When that request demanded a fresh
   * sign-in (prompt=login, max_age, ForceAuthn), remember that *this* session answered it, so the request is not
   * sent round the login again — timestamps alone (whole seconds in oidc-provider) cannot tell.
   */
  async resume(res: Response, tx: LoginTransaction, session: ActiveSsoSession): Promise<void> {
    if (tx.notBefore !== null && tx.resume.kind !== 'launcher') {
      await this.runtime.store.put(
        'fresh-login',
        freshLoginKey(tx.resume),
        { sessionRef: session.sessionRef },
        15 * 60,
      );
    }
    await endLoginTransaction(this.runtime.store, tx.id);
    // Stored before the browser is told to go on (these writes may be held by the request).
    await heldWrites()?.flush();
    res.redirect(303, resumeUrl(tx));
  }

  /**
   * When the sign-in resumes an OIDC authorization that asked only for a login: give its interaction the
   * result now (saved with the session, see finishSignIn) and return where oidc-provider resumes it — one
   * round trip less than going back through /sso/interaction. This is what oidc-provider's interactionFinished
   * does, without its interaction cookie: the login transaction, bound to this browser, names the interaction,
   * and oidc-provider's resume endpoint still checks its own resume cookie. The app's entitlement is checked
   * there by the interaction policy (a person without it comes back to /sso/interaction and its "no access"
   * page). An interaction tied to an existing oidc-provider session, or waiting for consent, goes the long way.
   */
  async directResume(tx: LoginTransaction, personId: string, amr: string[]): Promise<string | undefined> {
    if (tx.resume.kind !== 'oidc') return undefined;
    const interaction = await this.runtime.oidc.Interaction.find(tx.resume.uid);
    if (!interaction || interaction.session?.uid || interaction.prompt.name !== 'login') return undefined;
    const now = Math.floor(Date.now() / 1000);
    if (interaction.exp - now < 5) return undefined;
    interaction.result = { login: { accountId: personId, amr, ts: now, remember: true } };
    await interaction.save(interaction.exp - now);
    return interaction.returnTo;
  }

  /** True when `session` was created by a sign-in made for this very request. */
  async freshFor(
    target: Exclude<LoginTransaction['resume'], { kind: 'launcher' }>,
    session: ActiveSsoSession,
  ): Promise<boolean> {
    const entry = await this.runtime.store.get<{ sessionRef: string }>('fresh-login', freshLoginKey(target));
    return entry?.sessionRef === session.sessionRef;
  }

  /**
   * A refused sign-in: the audit row says why (for admins), the page says only what the person may know, and no
   * session was created (callers throw before `startSession`).
   */
  async reject(
    req: Request,
    res: Response,
    error: unknown,
    audit: Partial<SsoAuditEvent> & { action?: SsoAuditEvent['action'] } = {},
  ): Promise<void> {
    if (!(error instanceof SignInRejected)) throw error;
    const info = requestInfo(req);
    await recordSsoEvent(this.deps.dataSource, {
      action: audit.action ?? 'sso.sign_in',
      outcome: error.rejection === 'no_access' ? 'denied' : 'failure',
      ...audit,
      reason: `${error.rejection}: ${error.reason}`,
      ip: info.ip,
      userAgent: info.userAgent,
    });
    this.deps.log.info({ code: error.code, reason: error.reason, path: req.path }, 'sign-in refused');
    res
      .status(error.status)
      .type('html')
      .send(
        messagePage({
          nonce: this.nonce(res),
          title: 'We could not sign you in',
          message: error.publicMessage,
        }),
      );
  }
}

function freshLoginKey(target: LoginTransaction['resume']): string {
  return target.kind === 'oidc'
    ? `oidc:${target.uid}`
    : target.kind === 'saml'
      ? `saml:${target.requestKey}`
      : 'launcher';
}

export function resumeUrl(tx: LoginTransaction): string {
  switch (tx.resume.kind) {
    case 'oidc':
      return `/sso/interaction/${encodeURIComponent(tx.resume.uid)}`;
    case 'saml':
      return `/saml/continue/${encodeURIComponent(tx.resume.requestKey)}`;
    case 'launcher':
      return '/sso/apps';
  }
}

/** Wraps an async handler so a thrown error reaches Express's error handler. */
export function handle(
  fn: (req: Request, res: Response) => Promise<void>,
): (req: Request, res: Response, next: (error?: unknown) => void) => void {
  return (req, res, next) => {
    fn(req, res).catch(next);
  };
}
