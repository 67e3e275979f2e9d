import type { Request } from 'express';

/** How a passport strategy ended one `authenticate` call. */
export type StrategyOutcome =
  | { kind: 'redirect'; url: string }
  | { kind: 'success'; user: unknown }
  | { kind: 'fail'; message: string }
  | { kind: 'error'; error: unknown }
  | { kind: 'pass' };

/**
 * Runs one passport strategy (openid-client's, passport-saml's) the way passport's `authenticate` middleware does
 * — a per-request object whose `redirect` / `success` / `fail` / `error` / `pass` the strategy calls — but returns
 * the outcome instead of writing the response, so the gateway can persist upstream state to PostgreSQL *before*
 * it redirects (passport would redirect first and leave the state in an in-memory session).
 */
/** The passport Strategy contract as seen from the outside (passport-strategy's `authenticate`). */
export interface PassportStrategy {
  // Strategies type their request and options each their own way (and against their own @types/express).
  authenticate(...args: never[]): unknown;
}

export function runStrategy(
  strategy: PassportStrategy,
  req: Request,
  options: object,
): Promise<StrategyOutcome> {
  return new Promise<StrategyOutcome>((resolve) => {
    const action = Object.create(strategy) as PassportStrategy & {
      redirect(url: string): void;
      success(user: unknown): void;
      fail(challenge?: unknown): void;
      error(error: unknown): void;
      pass(): void;
    };
    action.redirect = (url) => resolve({ kind: 'redirect', url });
    action.success = (user) => resolve({ kind: 'success', user });
    action.fail = (challenge) => resolve({ kind: 'fail', message: describeChallenge(challenge) });
    action.error = (error) => resolve({ kind: 'error', error });
    action.pass = () => resolve({ kind: 'pass' });
    try {
      const authenticate = action.authenticate as (
        this: PassportStrategy,
        req: Request,
        options: object,
      ) => unknown;
      const result = authenticate.call(action, req, options);
      if (result instanceof Promise) result.catch((error: unknown) => resolve({ kind: 'error', error }));
    } catch (error) {
      resolve({ kind: 'error', error });
    }
  });
}

function describeChallenge(challenge: unknown): string {
  if (typeof challenge === 'string') return challenge;
  if (challenge && typeof challenge === 'object' && 'message' in challenge) return String(challenge.message);
  return 'authentication failed';
}
