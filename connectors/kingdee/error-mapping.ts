import type { HttpResponseInfo } from '../kit/http/http-client.js';
import { ConnectorError, type ConnectorErrorCode } from '../kit/errors.js';
import { MSG_CODE, SESSION_LOST_MESSAGE } from './msg-code.js';
import { findResponseStatus, statusMessages, type ResponseStatus } from './wire.js';

/**
 * Kingdee failures → ConnectorError. The WebAPI answers HTTP 200 with `Result.ResponseStatus.IsSuccess = false` and
 * a MsgCode (API文档 › MsgCode说明: 1 上下文丢失, 2 没有权限, … 14 调用限制, 15 禁止管理员登录); IIS answers its own 5xx
 * pages; Kingdee's public-cloud gateway answers HTTP 519 with `{"errcode":4002,"description":…}` for requests it
 * refuses before they reach the site. The vendor's MsgCode and messages are kept as detail.
 */

const VENDOR = 'Kingdee';

function isSessionLost(status: ResponseStatus): boolean {
  return (
    status.MsgCode === MSG_CODE.contextLost ||
    (status.Errors ?? []).some((e) => (e.Message ?? '').includes(SESSION_LOST_MESSAGE.slice(0, 6)))
  );
}

/** The error for a failed ResponseStatus; `operation` says what was attempted ("Save 员工 E001"). */
export function statusError(status: ResponseStatus, operation: string): ConnectorError {
  const said = statusMessages(status) || 'no message';
  const code = status.MsgCode ?? null;
  const detail = { vendorCode: code === null ? 'IsSuccess=false' : `MsgCode ${code}`, vendorMessage: said };
  const make = (kind: ConnectorErrorCode, message: string, retryable?: boolean) =>
    new ConnectorError(kind, {
      ...detail,
      message: `${VENDOR} ${operation}: ${message}`,
      ...(retryable === undefined ? {} : { retryable }),
    });

  if (isSessionLost(status)) {
    return make(
      'auth_failed',
      `the session was lost again right after a fresh login (${said}); check that the site keeps sessions (sticky load balancing) and that the integration user is not logged out by another client`,
    );
  }
  switch (code) {
    case MSG_CODE.noPermission:
      return make(
        'permission_denied',
        `${said} — grant the integration user this permission in Kingdee (系统管理 › 权限管理)`,
      );
    case MSG_CODE.licence:
      return make('permission_denied', `${said} — the Kingdee licence does not cover this (许可错误)`);
    case MSG_CODE.adminLoginForbidden:
      return make(
        'auth_failed',
        `${said} — Kingdee forbids the administrator over the WebAPI; use an integration user`,
      );
    case MSG_CODE.fieldOrValueMissing:
    case MSG_CODE.dataNotFound:
      return make('not_found', said);
    case MSG_CODE.validationFailed:
      return /唯一|unique/i.test(said)
        ? make('conflict', `the number is already used: ${said}`)
        : make('vendor_error', `Kingdee's validation refused it: ${said}`);
    case MSG_CODE.notOperable:
      return make('conflict', `not allowed in the record's current state: ${said}`);
    case MSG_CODE.networkControlConflict:
      return make('unavailable', `the record is locked by another user (网控冲突): ${said}`, true);
    case MSG_CODE.callLimited:
      return make('rate_limited', `Kingdee is limiting calls (调用限制): ${said}`);
    case MSG_CODE.databaseFailed:
      return make('unavailable', `Kingdee's database operation failed: ${said}`, true);
    default:
      return make('vendor_error', said);
  }
}

/**
 * The HttpClient's classifier: a lost session re-logs in once; throttling, network-control conflicts and database
 * failures retry; the gateway's refusals and bodies that are not the WebAPI's are configuration errors. Business
 * failures (IsSuccess false otherwise) are left to the caller, which knows what it asked.
 */
export function classifyKingdeeResponse(
  response: HttpResponseInfo,
): ConnectorError | 'retry_auth' | undefined {
  if (response.status === 519) return gatewayError(response);
  if (response.status === 404) {
    return new ConnectorError('invalid_config', {
      message: `${VENDOR} answered 404 for a WebAPI service: baseUrl must be the site's WebAPI root, ending in /k3cloud/`,
      httpStatus: 404,
    });
  }
  // Some server-side exceptions come back as text prefixed `response_error:` (the vendor SDKs check for it).
  if (
    response.status === 200 &&
    typeof response.data === 'string' &&
    response.data.startsWith('response_error:')
  ) {
    return new ConnectorError('vendor_error', {
      message: `Kingdee failed the call: ${response.data.slice('response_error:'.length, 300).trim()}`,
      httpStatus: 200,
      vendorCode: 'response_error',
      vendorMessage: response.data.slice(0, 500),
    });
  }
  if (response.status === 200 && typeof response.data === 'string') {
    return new ConnectorError('invalid_config', {
      message: `the baseUrl answered HTML or text, not the Kingdee WebAPI: point it at the site's /k3cloud/ root`,
      httpStatus: 200,
      vendorMessage: response.data.slice(0, 200),
    });
  }
  if (response.status !== 200) return undefined;
  const status = findResponseStatus(response.data);
  if (!status || status.IsSuccess) return undefined;
  if (isSessionLost(status)) return 'retry_auth';
  if (
    status.MsgCode === MSG_CODE.callLimited ||
    status.MsgCode === MSG_CODE.networkControlConflict ||
    status.MsgCode === MSG_CODE.databaseFailed
  ) {
    return statusError(status, 'call');
  }
  return undefined;
}

function gatewayError(response: HttpResponseInfo): ConnectorError {
  const body = (typeof response.data === 'object' && response.data !== null ? response.data : {}) as {
    errcode?: unknown;
    description?: unknown;
    description_cn?: unknown;
  };
  const errcode =
    typeof body.errcode === 'number' || typeof body.errcode === 'string' ? String(body.errcode) : '519';
  const vendorMessage = [body.description, body.description_cn]
    .filter((d) => typeof d === 'string')
    .join(' / ');
  const common = { httpStatus: 519, vendorCode: errcode, ...(vendorMessage ? { vendorMessage } : {}) };
  if (errcode.startsWith('4')) {
    return new ConnectorError('auth_failed', {
      ...common,
      message: `Kingdee's API gateway refused the request (errcode ${errcode}: ${vendorMessage}); check the app id / secret and the clock`,
    });
  }
  if (errcode === '5001') {
    return new ConnectorError('invalid_config', {
      ...common,
      message: `Kingdee's API gateway does not know this service (errcode 5001); check baseUrl`,
    });
  }
  return new ConnectorError('unavailable', {
    ...common,
    message: `Kingdee's API gateway failed (errcode ${errcode})`,
  });
}

/** Reads the vendor's message out of any Kingdee body, for the HttpClient's own status errors. */
export function kingdeeVendorMessage(response: HttpResponseInfo): string | undefined {
  const status = findResponseStatus(response.data);
  if (status) return statusMessages(status) || undefined;
  if (typeof response.data === 'object' && response.data !== null && 'Message' in response.data) {
    const message = (response.data as { Message?: unknown }).Message;
    if (typeof message === 'string' && message) return message;
  }
  return typeof response.data === 'string' && response.data.trim()
    ? response.data.trim().slice(0, 300)
    : undefined;
}

export function kingdeeVendorCode(response: HttpResponseInfo): string | undefined {
  const status = findResponseStatus(response.data);
  return status?.MsgCode === undefined || status.MsgCode === null ? undefined : `MsgCode ${status.MsgCode}`;
}
