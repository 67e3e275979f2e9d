import type { Request } from 'express';
import * as client from 'openid-client';
import { Strategy, type AuthenticateOptions } from 'openid-client/passport';

export const STATE_KEY = 'upstream';

export interface JunctionAuthenticateOptions extends AuthenticateOptions {
  /** `start` builds the authorization request; `callback` redeems the code. */
  phase: 'start' | 'callback';
}

/**
 * openid-client's passport strategy, with three changes for a stateless gateway:
 * - `state` and `nonce` are sent on every request (the stock strategy sends state only when the server lacks PKCE,
 *   and nonce only for implicit flows); the strategy stores both beside the PKCE verifier and checks them on the
 *   way back (RFC 6749 §10.12, OIDC Core §3.1.2.1, RFC 7636);
 * - the phase is chosen by the caller, not guessed from the method and query;
 * - the current URL is our registered callback URL plus the query received, never built from Host headers.
 */
export class UpstreamOidcStrategy extends Strategy {
  override authorizationRequestParams<T extends AuthenticateOptions>(
    req: Request,
    options: T,
  ): URLSearchParams {
    const params = new URLSearchParams(super.authorizationRequestParams(req, options) as URLSearchParams);
    params.set('state', client.randomState());
    params.set('nonce', client.randomNonce());
    return params;
  }

  override shouldInitiateAuthRequest<T extends AuthenticateOptions>(
    _req: Request,
    _url: URL,
    options: T,
  ): boolean {
    return (options as T & Partial<JunctionAuthenticateOptions>).phase === 'start';
  }

  override currentUrl(req: Request): URL {
    const received = new URL(req.originalUrl, 'http://callback.invalid');
    const url = new URL(String(this.callbackUrl));
    url.search = received.search;
    return url;
  }

  private get callbackUrl(): URL {
    const value = (this as unknown as { _callbackURL?: URL })._callbackURL;
    if (!value) throw new Error('sso: upstream OIDC strategy needs a callbackURL');
    return value;
  }
}
