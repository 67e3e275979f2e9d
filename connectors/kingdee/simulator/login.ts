import { createHash, timingSafeEqual } from 'node:crypto';
import type { Session } from './sessions.js';
import type { KingdeeState, SimulatorUser } from './state.js';

/**
 * The AuthService logins. ValidateUser takes acctID / username / password / lcid (API文档 › 登录 ValidateUser, 请求参数
 * 1–4; answer template `{"Message":…,"MessageCode":…,"LoginResultType":0,"Context":null,…}`); LoginByAppSecret takes
 * acctid / username / appid / appsecret / lcid and LoginBySign takes acctid / username / appid / timestamp /
 * signeddata / lcid, where signeddata is the SHA-256 hex of [acctid, username, appid, appsecret, timestamp] sorted and
 * concatenated (第三方系统登录授权; as the vendor's SDKs build it). LoginResultType 1 is success.
 */

export interface LoginOutcome {
  body: Record<string, unknown>;
  session?: Session;
}

function failure(message: string, loginResultType = 0): LoginOutcome {
  return {
    body: {
      Message: message,
      MessageCode: '',
      LoginResultType: loginResultType,
      Context: null,
      KDSVCSessionId: null,
      FormId: null,
      RedirectFormParam: null,
      FormInputObject: null,
      ErrorStackTrace: null,
      Lcid: 0,
      AccessToken: null,
      KdAccessResult: null,
      IsSuccessByAPI: false,
    },
  };
}

function success(state: KingdeeState, user: SimulatorUser, lcid: number): LoginOutcome {
  const org =
    (user.orgNumber ? state.organizationByNumber(user.orgNumber) : undefined) ?? state.defaultOrganization;
  const session = state.sessions.create({
    acctId: state.acctId,
    userName: user.userName,
    lcid,
    orgId: org.id,
  });
  return {
    session,
    body: {
      Message: null,
      MessageCode: 'CheckPasswordPolicy',
      LoginResultType: 1,
      Context: {
        UserLocale: 'zh-CN',
        LogLocale: 'zh-CN',
        DBid: state.acctId,
        DatabaseType: 3,
        SessionId: session.id,
        UseLanguages: [{ LocaleId: 2052, LocaleName: '中文(简体/中国)', Alias: 'CN' }],
        UserId: 100_000 + state.users.indexOf(user),
        UserName: user.userName,
        CustomName: state.dataCenterName,
        DataCenterName: state.dataCenterName,
        CurrentOrganizationInfo: { ID: org.id, AcctOrgType: '1', Name: org.name, FunctionIds: [] },
        ClientType: 32,
      },
      KDSVCSessionId: session.id,
      FormId: null,
      RedirectFormParam: null,
      FormInputObject: null,
      ErrorStackTrace: null,
      Lcid: lcid,
      AccessToken: null,
      CustomParam: {},
      KdAccessResult: null,
      IsSuccessByAPI: true,
    },
  };
}

function unknownDataCentre(acctId: string): LoginOutcome {
  return failure(`数据中心[${acctId}]不存在或已被删除，请检查账套ID！`);
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function validateUser(
  state: KingdeeState,
  p: { acctId: string; userName: string; password: string; lcid: number },
): LoginOutcome {
  if (p.acctId !== state.acctId) return unknownDataCentre(p.acctId);
  const user = state.user(p.userName);
  if (!user || !sameSecret(user.password, p.password)) return failure('用户名或密码错误！');
  return success(state, user, p.lcid);
}

export function loginByAppSecret(
  state: KingdeeState,
  p: { acctId: string; userName: string; appId: string; appSecret: string; lcid: number },
): LoginOutcome {
  if (p.acctId !== state.acctId) return unknownDataCentre(p.acctId);
  const app = state.apps.find((a) => a.appId === p.appId);
  if (!app || !sameSecret(app.appSecret, p.appSecret)) {
    return failure('第三方系统登录授权验证失败：应用ID或应用密钥不正确！');
  }
  const user = state.user(p.userName);
  if (!user || app.userName.toLowerCase() !== p.userName.toLowerCase()) {
    return failure(`第三方系统登录授权验证失败：用户[${p.userName}]不是该应用授权的集成用户！`);
  }
  return success(state, user, p.lcid);
}

export function loginSignature(parts: string[]): string {
  return createHash('sha256')
    .update([...parts].sort().join(''), 'utf8')
    .digest('hex');
}

export function loginBySign(
  state: KingdeeState,
  p: { acctId: string; userName: string; appId: string; timestamp: string; signature: string; lcid: number },
): LoginOutcome {
  if (p.acctId !== state.acctId) return unknownDataCentre(p.acctId);
  const seconds = Number(p.timestamp);
  if (!Number.isFinite(seconds) || Math.abs(state.now() / 1000 - seconds) > state.signatureWindowSeconds) {
    return failure('第三方系统登录授权验证失败：时间戳已过期，请检查服务器时间！');
  }
  const app = state.apps.find((a) => a.appId === p.appId);
  const expected = app ? loginSignature([p.acctId, p.userName, p.appId, app.appSecret, p.timestamp]) : '';
  if (!app || !sameSecret(expected, p.signature.toLowerCase())) {
    return failure('第三方系统登录授权验证失败：签名信息不正确！');
  }
  const user = state.user(p.userName);
  if (!user || app.userName.toLowerCase() !== p.userName.toLowerCase()) {
    return failure(`第三方系统登录授权验证失败：用户[${p.userName}]不是该应用授权的集成用户！`);
  }
  return success(state, user, p.lcid);
}
