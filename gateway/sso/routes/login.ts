import { Router, urlencoded, type Request, type Response } from 'express';
import { recordSsoEvent } from '../../../sso/audit/record-sso-event.js';
import { chosenProvider, discoverWithProviders } from '../../../sso/discovery/home-realm.js';
import { providerFromRow, type LoadedProvider } from '../../../sso/upstream/provider-config.js';
import { SignInRejected } from '../../../sso/errors.js';
import { startSession } from '../../../sso/login/complete-sign-in.js';
import { checkCsrf } from '../../../sso/login/csrf.js';
import { heldWrites, holdWrites, RequestWrites } from '../../../sso/db/request-writes.js';
import {
  createLoginTransaction,
  endLoginTransaction,
  loadLoginTransaction,
  saveLoginTransaction,
  type LoginTransaction,
  type PendingSecondFactor,
} from '../../../sso/login/login-transaction.js';
import { passwordFirstFactor } from '../../../sso/upstream/password/password-sign-in.js';
import { verifyTotpCode } from '../../../sso/upstream/password/totp.js';
import { requestInfo } from '../http/request-info.js';
import {
  chooserPage,
  credentialsPage,
  emailPage,
  messagePage,
  secondFactorPage,
} from '../pages/sign-in-pages.js';
import { beginProvider, offeredProvider } from './begin-provider.js';
import { handle, type RouteContext } from './route-context.js';

const form = urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });

/**
 * The sign-in screens: email (home-realm discovery) → chooser when a tenant has several providers → the provider
 * (redirect to an upstream IdP, or the password / LDAP form) → second factor when owed → session → resume.
 * Every POST carries a CSRF token bound to the browser and the transaction.
 */
export function loginRoutes(ctx: RouteContext): Router {
  const router = Router();
  const { runtime } = ctx;

  // Sign in to the launcher (no app asked).
  router.get(
    '/sso/login',
    handle(async (req, res) => {
      const tx = await createLoginTransaction(runtime.store, ctx.browserToken(req, res), {
        resume: { kind: 'launcher' },
        applicationId: null,
        loginHint: typeof req.query.login_hint === 'string' ? req.query.login_hint : null,
        notBefore: null,
      });
      res.redirect(303, `/sso/login/${tx.id}`);
    }),
  );

  router.get(
    '/sso/login/:tx',
    handle(async (req, res) => {
      const tx = await loadTx(ctx, req, res);
      if (!tx) return;
      // A login_hint (OIDC Core §3.1.2.1) is tried once, so a wrong hint falls back to the email page.
      if (tx.loginHint && !tx.hintTried) {
        tx.hintTried = true; // saved by discover(), whatever it finds
        await discover(ctx, req, res, tx, tx.loginHint);
        return;
      }
      res.type('html').send(emailPageFor(ctx, req, res, tx));
    }),
  );

  router.post(
    '/sso/login/:tx/discover',
    form,
    handle(async (req, res) => {
      const tx = await loadTx(ctx, req, res, true);
      if (!tx) return;
      await discover(ctx, req, res, tx, String(body(req).email ?? ''));
    }),
  );

  router.post(
    '/sso/login/:tx/choose',
    form,
    handle(async (req, res) => {
      const tx = await loadTx(ctx, req, res, true);
      if (!tx) return;
      try {
        await beginProvider(ctx, req, res, tx, await offeredProvider(ctx, tx, body(req).providerId));
      } catch (error) {
        await ctx.reject(req, res, error, { tenantId: tx.tenantId ?? null });
      }
    }),
  );

  router.post(
    '/sso/login/:tx/password',
    form,
    handle(async (req, res) => {
      const tx = await loadTx(ctx, req, res, true);
      if (!tx) return;
      const fields = body(req);
      const login = String(fields.login ?? '').trim();
      const password = String(fields.password ?? '');
      let providerId: string | undefined;
      try {
        const provider = await offeredProvider(ctx, tx, fields.providerId);
        providerId = provider.id;
        const info = requestInfo(req);
        if (provider.kind === 'password') {
          const first = await passwordFirstFactor(
            ctx.deps,
            runtime.store,
            provider,
            login,
            password,
            info.ip,
          );
          if (first.secondFactor.length > 0) {
            tx.pending = {
              methods: first.secondFactor,
              identityId: first.linked.identityId,
              personId: first.linked.personId,
              providerId: provider.id,
              tenantId: first.linked.tenantId,
              amr: ['pwd'],
            };
            await saveLoginTransaction(runtime.store, tx);
            res.type('html').send(
              secondFactorPage({
                nonce: ctx.nonce(res),
                txId: tx.id,
                csrf: ctx.csrf(ctx.browserToken(req, res), tx.id),
                methods: first.secondFactor,
              }),
            );
            return;
          }
          await finish(ctx, req, res, tx, first.linked, provider.id, ['pwd']);
          return;
        }
        if (provider.kind === 'ldap') {
          const linked = await runtime.ldap.signIn(provider, login, password, info.ip);
          await finish(ctx, req, res, tx, linked, provider.id, ['pwd']);
          return;
        }
        throw new SignInRejected(
          'invalid_request',
          `provider ${provider.id} (${provider.kind}) takes no password`,
        );
      } catch (error) {
        if (
          error instanceof SignInRejected &&
          ['bad_credentials', 'rate_limited', 'locked'].includes(error.rejection) &&
          providerId
        ) {
          await auditRejection(ctx, req, tx, providerId, error);
          res
            .status(error.status)
            .type('html')
            .send(
              credentialsPage({
                nonce: ctx.nonce(res),
                txId: tx.id,
                csrf: ctx.csrf(ctx.browserToken(req, res), tx.id),
                providerId,
                providerName: (await offeredProvider(ctx, tx, providerId)).name,
                email: login,
                error: error.publicMessage,
              }),
            );
          return;
        }
        await ctx.reject(req, res, error, {
          tenantId: tx.tenantId ?? null,
          targetType: 'identity_provider',
          targetId: providerId ?? null,
        });
      }
    }),
  );

  router.post(
    '/sso/login/:tx/totp',
    form,
    handle(async (req, res) => {
      const tx = await loadTx(ctx, req, res, true);
      if (!tx) return;
      const pending = tx.pending;
      try {
        const { step, provider } = await secondFactorStep(ctx, tx, 'totp');
        await verifyTotpCode(ctx.deps, step.identityId, String(body(req).code ?? '').trim(), provider.config);
        await finishSecondFactor(ctx, req, res, tx, step, provider.id, 'otp');
      } catch (error) {
        if (error instanceof SignInRejected && error.rejection === 'bad_second_factor' && pending) {
          await auditRejection(ctx, req, tx, pending.providerId, error);
          res
            .status(401)
            .type('html')
            .send(
              secondFactorPage({
                nonce: ctx.nonce(res),
                txId: tx.id,
                csrf: ctx.csrf(ctx.browserToken(req, res), tx.id),
                methods: pending.methods,
                error: error.publicMessage,
              }),
            );
          return;
        }
        await ctx.reject(req, res, error, {
          tenantId: tx.tenantId ?? null,
          targetType: 'identity_provider',
          targetId: pending?.providerId ?? null,
        });
      }
    }),
  );

  router.get(
    '/sso/login/:tx/webauthn/options',
    handle(async (req, res) => {
      const tx = await loadTx(ctx, req, res);
      if (!tx) return;
      try {
        const { step, provider } = await secondFactorStep(ctx, tx, 'webauthn');
        res.json(await runtime.webauthn.authenticationOptions(provider, tx.id, step.identityId));
      } catch (error) {
        await ctx.reject(req, res, error, { tenantId: tx.tenantId ?? null });
      }
    }),
  );

  router.post(
    '/sso/login/:tx/webauthn',
    form,
    handle(async (req, res) => {
      const tx = await loadTx(ctx, req, res, true);
      if (!tx) return;
      const pending = tx.pending;
      try {
        const { step, provider } = await secondFactorStep(ctx, tx, 'webauthn');
        let response: unknown;
        try {
          response = JSON.parse(String(body(req).response ?? ''));
        } catch {
          throw new SignInRejected('bad_second_factor', 'security-key response is not JSON');
        }
        await runtime.webauthn.verifyAuthentication(provider, tx.id, step.identityId, response);
        await finishSecondFactor(ctx, req, res, tx, step, provider.id, 'hwk');
      } catch (error) {
        await ctx.reject(req, res, error, {
          tenantId: tx.tenantId ?? null,
          targetType: 'identity_provider',
          targetId: pending?.providerId ?? null,
        });
      }
    }),
  );

  return router;
}

/** Loads the transaction for this browser (and checks the CSRF token on POSTs); renders the refusal itself. */
async function loadTx(
  ctx: RouteContext,
  req: Request,
  res: Response,
  post = false,
): Promise<LoginTransaction | undefined> {
  try {
    const browser = ctx.existingBrowserToken(req);
    const tx = await loadLoginTransaction(ctx.runtime.store, String(req.params.tx), browser);
    if (post) checkCsrf(ctx.runtime.keys.cookieSecrets, browser, tx.id, body(req).csrf);
    return tx;
  } catch (error) {
    await ctx.reject(req, res, error);
    return undefined;
  }
}

/**
 * Home-realm discovery for `input` and what follows: the email page again, the chooser, or the provider itself.
 * The transaction is stored once, with whatever discovery learnt (and, for an upstream OIDC provider, in the same
 * statement as the upstream state).
 */
export async function discover(
  ctx: RouteContext,
  req: Request,
  res: Response,
  tx: LoginTransaction,
  input: string,
): Promise<void> {
  const found = await discoverWithProviders(ctx.deps.dataSource, input);
  const nonce = ctx.nonce(res);
  if (found.kind !== 'providers') await saveLoginTransaction(ctx.runtime.store, tx);
  switch (found.kind) {
    case 'invalid_email':
      res
        .status(400)
        .type('html')
        .send(emailPageFor(ctx, req, res, tx, input, 'Enter your work email address.'));
      return;
    case 'unknown_domain': {
      const info = requestInfo(req);
      await recordSsoEvent(ctx.deps.dataSource, {
        action: 'sso.discovery',
        outcome: 'failure',
        reason: `no tenant owns the domain ${found.domain}`,
        ip: info.ip,
        userAgent: info.userAgent,
      });
      res
        .status(404)
        .type('html')
        .send(
          emailPageFor(
            ctx,
            req,
            res,
            tx,
            input,
            `Junction does not know the domain “${found.domain}”. Check the address, or ask your admin whether your organisation signs in here.`,
          ),
        );
      return;
    }
    case 'no_provider':
      res
        .status(409)
        .type('html')
        .send(
          messagePage({
            nonce,
            title: 'No way to sign in yet',
            message: `${found.tenantName} has no sign-in method set up in Junction. Ask your admin.`,
          }),
        );
      return;
    case 'providers': {
      tx.email = found.email;
      tx.tenantId = found.tenantId;
      tx.offeredProviderIds = found.providers.map((p) => p.id);
      const chosen = chosenProvider(found);
      const row = chosen ? found.rows.find((r) => r.id === chosen) : undefined;
      if (!row) {
        await saveLoginTransaction(ctx.runtime.store, tx);
        res.type('html').send(
          chooserPage({
            nonce,
            txId: tx.id,
            csrf: ctx.csrf(ctx.browserToken(req, res), tx.id),
            email: found.email,
            tenantName: found.tenantName,
            providers: found.providers,
          }),
        );
        return;
      }
      try {
        await beginProvider(ctx, req, res, tx, providerFromRow(row, ctx.deps.vault), true);
      } catch (error) {
        // What discovery learnt is kept (the hint is not tried again), whatever went wrong with the provider.
        await saveLoginTransaction(ctx.runtime.store, tx);
        await ctx.reject(req, res, error, {
          tenantId: tx.tenantId,
          targetType: 'identity_provider',
          targetId: row.id,
        });
      }
    }
  }
}

function emailPageFor(
  ctx: RouteContext,
  req: Request,
  res: Response,
  tx: LoginTransaction,
  email?: string,
  error?: string,
): string {
  return emailPage({
    nonce: ctx.nonce(res),
    txId: tx.id,
    csrf: ctx.csrf(ctx.browserToken(req, res), tx.id),
    email: email ?? tx.loginHint ?? undefined,
    error,
  });
}

type PasswordProvider = Extract<LoadedProvider, { kind: 'password' }>;

const SECOND_FACTOR_NAMES = { totp: 'TOTP step', webauthn: 'security-key step' } as const;

/**
 * The pending second-factor step of this transaction for `method`, and the password provider it belongs to; a
 * request for a step that is not pending, or for a provider not offered or not a password provider, is refused.
 */
async function secondFactorStep(
  ctx: RouteContext,
  tx: LoginTransaction,
  method: PendingSecondFactor['methods'][number],
): Promise<{ step: PendingSecondFactor; provider: PasswordProvider }> {
  const step = tx.pending;
  if (!step?.methods.includes(method))
    throw new SignInRejected('invalid_request', `no ${SECOND_FACTOR_NAMES[method]} pending`);
  const provider = await offeredProvider(ctx, tx, step.providerId);
  if (provider.kind !== 'password')
    throw new SignInRejected('invalid_request', `${SECOND_FACTOR_NAMES[method]} for a non-password provider`);
  return { step, provider };
}

/** A passed second factor completes the sign-in of the person the first factor identified (`amr` gains it). */
function finishSecondFactor(
  ctx: RouteContext,
  req: Request,
  res: Response,
  tx: LoginTransaction,
  step: PendingSecondFactor,
  providerId: string,
  method: 'otp' | 'hwk',
): Promise<void> {
  const linked = {
    personId: step.personId,
    identityId: step.identityId,
    tenantId: step.tenantId,
    status: 'active',
  } as const;
  return finish(ctx, req, res, tx, linked, providerId, [...step.amr, method, 'mfa']);
}

async function finish(
  ctx: RouteContext,
  req: Request,
  res: Response,
  tx: LoginTransaction,
  linked: Parameters<typeof startSession>[1],
  providerId: string,
  amr: string[],
): Promise<void> {
  // The session, its audit row, the end of the login transaction and — when an OIDC authorization waits for
  // this sign-in — the interaction's result are written by one statement: all of the sign-in or none of it.
  const writes = heldWrites() ?? new RequestWrites(ctx.deps.dataSource);
  const { token, session, next } = await holdWrites(writes, async () => {
    const direct = await ctx.directResume(tx, linked.personId, amr);
    if (direct) await endLoginTransaction(ctx.runtime.store, tx.id);
    const started = await startSession(
      ctx.deps,
      linked,
      providerId,
      amr,
      requestInfo(req),
      ctx.sessionToken(req),
    );
    return { ...started, next: direct };
  });
  ctx.setSessionCookie(res, token, session.expiresAt);
  if (next) {
    res.redirect(303, next);
    return;
  }
  await ctx.resume(res, tx, session);
}

async function auditRejection(
  ctx: RouteContext,
  req: Request,
  tx: LoginTransaction,
  providerId: string,
  error: SignInRejected,
): Promise<void> {
  const info = requestInfo(req);
  await recordSsoEvent(ctx.deps.dataSource, {
    action: 'sso.sign_in',
    outcome: 'failure',
    tenantId: tx.tenantId ?? null,
    targetType: 'identity_provider',
    targetId: providerId,
    reason: `${error.rejection}: ${error.reason}`,
    ip: info.ip,
    userAgent: info.userAgent,
  });
}

function body(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

export { finish as finishSignIn };
