import { createHash } from 'node:crypto';
import type { FetchedToken } from '../kit/http/auth.js';
import type { HttpClient } from '../kit/http/http-client.js';
import { ConnectorError } from '../kit/errors.js';
import type { KingdeeConfig } from './config.js';
import { SERVICE, servicePath } from './service-names.js';
import { dataCenterListSchema, loginResultSchema, type LoginResult } from './wire.js';

/**
 * Logs in and returns the session as the Cookie header later calls carry. A successful login sets the
 * `kdservice-sessionid` and `ASP.NET_SessionId` cookies (the vendor SDKs keep both, and echo the first as a
 * `kdservice-sessionid` header); when a proxy strips Set-Cookie, the body's KDSVCSessionId stands in.
 *
 * - password: AuthService.ValidateUser {acctID, username, password, lcid} (API文档 › 登录 ValidateUser).
 * - app, signature: AuthService.LoginBySign {parameters: [acctid, username, appid, timestamp, signeddata, lcid]},
 *   signeddata = SHA-256 hex of [acctid, username, appid, appsecret, timestamp] sorted and concatenated; the secret
 *   itself is never sent (第三方系统登录授权, as the vendor SDKs sign it).
 * - app, appSecret: AuthService.LoginByAppSecret {acctid, username, appid, appsecret, lcid}.
 */

/**
 * Kingdee does not say how long a session lives; IIS's session state times out after 20 idle minutes by default.
 * We renew well before that, and a session lost earlier (app-pool recycle) is renewed on MsgCode 1.
 */
export const SESSION_LIFETIME_SECONDS = 15 * 60;

export const SESSION_COOKIE = 'kdservice-sessionid';

function loginRequest(
  config: KingdeeConfig,
  now: () => number,
): { service: (typeof SERVICE)['validateUser' | 'loginBySign' | 'loginByAppSecret']; body: unknown } {
  if (config.password !== undefined) {
    return {
      service: SERVICE.validateUser,
      body: {
        acctID: config.acctId,
        username: config.username,
        password: config.password,
        lcid: config.lcid,
      },
    };
  }
  const appId = config.appId ?? '';
  const appSecret = config.appSecret ?? '';
  if (config.appLogin === 'appSecret') {
    return {
      service: SERVICE.loginByAppSecret,
      body: {
        acctid: config.acctId,
        username: config.username,
        appid: appId,
        appsecret: appSecret,
        lcid: config.lcid,
      },
    };
  }
  const timestamp = String(Math.floor(now() / 1000));
  const signed = createHash('sha256')
    .update([config.acctId, config.username, appId, appSecret, timestamp].sort().join(''), 'utf8')
    .digest('hex');
  return {
    service: SERVICE.loginBySign,
    body: { parameters: [config.acctId, config.username, appId, timestamp, signed, config.lcid] },
  };
}

/** `name=value` pairs from Set-Cookie lines (the HttpClient joins several with "\n"). */
function sessionCookies(setCookie: string | undefined): string[] {
  return (setCookie ?? '')
    .split('\n')
    .map((line) => line.split(';')[0]?.trim() ?? '')
    .filter((pair) => pair.includes('='));
}

/** The session id inside a Cookie header this module built. */
export function sessionIdOf(cookieHeader: string): string | undefined {
  return new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(cookieHeader)?.[1];
}

export async function login(
  http: HttpClient,
  config: KingdeeConfig,
  now: () => number = Date.now,
): Promise<FetchedToken> {
  const { service, body } = loginRequest(config, now);
  const response = await http.post(servicePath(service), { body, schema: loginResultSchema });
  const result = response.data;
  if (Number(result.LoginResultType) !== 1) throw await loginFailure(http, config, result);
  const cookies = sessionCookies(response.headers['set-cookie']);
  if (!cookies.some((c) => c.startsWith(`${SESSION_COOKIE}=`)) && result.KDSVCSessionId) {
    cookies.push(`${SESSION_COOKIE}=${result.KDSVCSessionId}`);
  }
  if (cookies.length === 0) {
    throw new ConnectorError('vendor_error', {
      message: 'Kingdee accepted the login but returned no session (no cookie, no KDSVCSessionId)',
    });
  }
  return { token: cookies.join('; '), expiresInSeconds: SESSION_LIFETIME_SECONDS };
}

/**
 * Why a login failed, in terms an admin can act on. Kingdee answers LoginResultType 0 with a message for every
 * cause, so the data centre list (anonymous) tells a wrong acctId apart from wrong credentials.
 */
async function loginFailure(
  http: HttpClient,
  config: KingdeeConfig,
  result: LoginResult,
): Promise<ConnectorError> {
  const vendor = {
    vendorCode: `LoginResultType ${result.LoginResultType}`,
    ...(result.Message ? { vendorMessage: result.Message } : {}),
  };
  const said = result.Message ? ` (Kingdee: ${result.Message})` : '';
  const centres = await http
    .post(servicePath(SERVICE.getDataCenterList), { body: {}, schema: dataCenterListSchema })
    .then((r) => r.data)
    .catch(() => undefined);
  if (centres && !centres.some((c) => c.Id === config.acctId)) {
    const known = centres.map((c) => `${c.Id}${typeof c.Name === 'string' ? ` (${c.Name})` : ''}`).join(', ');
    return new ConnectorError('invalid_config', {
      ...vendor,
      message: `acctId ${config.acctId} is not a data centre on this Kingdee site${known ? `; the site has: ${known}` : ''}`,
    });
  }
  const what =
    config.password !== undefined
      ? `the user name or password of ${config.username}`
      : `the app id / app secret, and that ${config.username} is the app's integration user (系统管理 › 第三方系统登录授权)${
          config.appLogin === 'signature' ? ", and the server's clock" : ''
        }`;
  return new ConnectorError('auth_failed', {
    ...vendor,
    message: `Kingdee refused the login to data centre ${config.acctId}${said}; check ${what}`,
  });
}

/** Ends a session (frees the concurrent-user seat it holds); failures are ignored, the session will time out. */
export async function logout(http: HttpClient, cookieHeader: string): Promise<void> {
  const sid = sessionIdOf(cookieHeader);
  await http
    .post(servicePath(SERVICE.logout), {
      body: {},
      headers: { cookie: cookieHeader, ...(sid ? { [SESSION_COOKIE]: sid } : {}) },
      retry: false,
    })
    .catch(() => undefined);
}
