import { ConnectorError, type ConnectorErrorCode } from '../kit/errors.js';
import { Errcode } from './api/errcodes.js';

/**
 * How a WeCom `errcode` becomes a ConnectorError (全局错误码, developer.work.weixin.qq.com/document/path/90313).
 * Token errors are not here: the client refreshes the token once and retries before anything is reported.
 */
interface Rule {
  code: ConnectorErrorCode;
  message: string;
  retryable?: boolean;
  retryAfterMs?: number;
}

/** "按分钟拦截则被屏蔽60秒" (访问频率限制, document/path/90312): a frequency block lasts a minute. */
export const FREQUENCY_BLOCK_MS = 60_000;

const RULES: Record<number, Rule> = {
  [Errcode.systemBusy]: {
    code: 'unavailable',
    message: 'WeCom is busy; try again shortly',
    retryAfterMs: 2_000,
  },
  [Errcode.dataVersionConflict]: {
    code: 'unavailable',
    message: 'WeCom reports a concurrent change to the same data; try again',
    retryAfterMs: 1_000,
  },
  [Errcode.invalidSecret]: {
    code: 'auth_failed',
    message:
      'WeCom rejected corpSecret: paste the Contacts Sync secret (管理工具 → 通讯录同步 → Secret) of this corp',
  },
  [Errcode.invalidCorpId]: {
    code: 'auth_failed',
    message: 'WeCom does not know this corpId: copy it from 我的企业 → 企业信息 → 企业ID',
  },
  [Errcode.missingCorpId]: { code: 'invalid_config', message: 'corpId is empty' },
  [Errcode.missingSecret]: { code: 'invalid_config', message: 'corpSecret is empty' },
  // No delay here: the kit retries with short backoffs (an injected or momentary limit clears at once); the
  // client gives the engine the full block time when those retries run out.
  [Errcode.apiFrequencyLimit]: {
    code: 'rate_limited',
    message: 'WeCom frequency limit reached (per corp, per API); the call is retried after the block lifts',
  },
  [Errcode.apiConcurrencyLimit]: {
    code: 'rate_limited',
    message: 'WeCom concurrency limit reached; retried shortly',
    retryAfterMs: 1_000,
  },
  [Errcode.apiForbidden]: {
    code: 'permission_denied',
    message:
      'WeCom refused the call for this secret: use the Contacts Sync secret and enable API edits (通讯录同步 → 权限 → API编辑通讯录)',
  },
  [Errcode.apiPermissionRevoked]: {
    code: 'permission_denied',
    message: 'WeCom revoked this API permission; an admin must enable it again',
  },
  [Errcode.apiDeprecated]: { code: 'vendor_error', message: 'WeCom no longer offers this API' },
  [Errcode.noPrivilege]: {
    code: 'permission_denied',
    message: 'the secret has no privilege over this member or department: widen the Contacts Sync scope',
  },
  [Errcode.memberOutOfScope]: {
    code: 'permission_denied',
    message: 'the member is outside the secret’s permission scope',
  },
  [Errcode.ipNotAllowed]: {
    code: 'permission_denied',
    message:
      'WeCom refused the worker’s IP address: add it to the trusted IPs (通讯录同步 → 企业可信IP) of this corp',
  },
  [Errcode.useridNotFound]: { code: 'not_found', message: 'no WeCom member has this userid' },
  [Errcode.userNotExist]: { code: 'not_found', message: 'no WeCom member matches' },
  [Errcode.departmentNotFound]: { code: 'not_found', message: 'the WeCom department does not exist' },
  [Errcode.parentDepartmentNotFound]: {
    code: 'not_found',
    message: 'the parent WeCom department does not exist',
  },
  [Errcode.invalidDepartmentList]: {
    code: 'not_found',
    message: 'a department in the member’s list does not exist in WeCom',
  },
  [Errcode.useridExists]: { code: 'conflict', message: 'a WeCom member already has this userid' },
  [Errcode.mobileExists]: { code: 'conflict', message: 'another WeCom member already has this mobile' },
  [Errcode.emailExists]: { code: 'conflict', message: 'another WeCom member already has this email' },
  [Errcode.departmentExists]: {
    code: 'conflict',
    message: 'a WeCom department with this id, or this name under the same parent, already exists',
  },
  [Errcode.departmentHasMembers]: {
    code: 'conflict',
    message: 'WeCom does not delete a department that still has members',
  },
  [Errcode.departmentHasChildren]: {
    code: 'conflict',
    message: 'WeCom does not delete a department that still has sub-departments',
  },
  [Errcode.cannotDeleteRoot]: { code: 'conflict', message: 'WeCom does not delete the root department' },
  [Errcode.departmentCycle]: {
    code: 'conflict',
    message: 'the move would put the department under itself',
  },
  [Errcode.accountLimit]: {
    code: 'vendor_error',
    message: 'the corp has reached its WeCom member limit',
  },
  [Errcode.invalidCursor]: {
    code: 'vendor_error',
    message: 'WeCom no longer accepts this list cursor; start the read again',
  },
};

/** Codes that mean the member/department data itself is unacceptable: not retryable, fix the record. */
const INVALID_DATA = new Set<number>([
  Errcode.invalidUserid,
  Errcode.invalidParameter,
  Errcode.invalidUseridList,
  Errcode.invalidUseridListLength,
  Errcode.missingUserid,
  Errcode.departmentNameLength,
  Errcode.departmentNameChars,
  Errcode.invalidMobile,
  Errcode.invalidEmail,
  Errcode.tooManyDepartments,
  Errcode.invalidName,
  Errcode.missingDepartment,
  Errcode.mobileAndEmailEmpty,
  Errcode.leaderCountMismatch,
  Errcode.departmentNodeLimit,
  Errcode.departmentDepthLimit,
  Errcode.badJson,
]);

/** The ConnectorError for a non-zero errcode; `what` names the call ("user/create zhangsan"). */
export function errorForErrcode(errcode: number, errmsg: string, what: string): ConnectorError {
  const rule = RULES[errcode];
  const vendor = { vendorCode: errcode, vendorMessage: errmsg, httpStatus: 200 };
  if (rule) {
    return new ConnectorError(rule.code, {
      message: `${what}: ${rule.message}`,
      ...(rule.retryable === undefined ? {} : { retryable: rule.retryable }),
      ...(rule.retryAfterMs === undefined ? {} : { retryAfterMs: rule.retryAfterMs }),
      ...vendor,
    });
  }
  if (INVALID_DATA.has(errcode)) {
    return new ConnectorError('vendor_error', {
      message: `${what}: WeCom rejected the data (${errcode} ${errmsg})`,
      retryable: false,
      ...vendor,
    });
  }
  return new ConnectorError('vendor_error', {
    message: `${what}: WeCom answered errcode ${errcode} (${errmsg})`,
    retryable: false,
    ...vendor,
  });
}

/** Token errors: the cached access_token is invalid or expired, so fetch a new one and retry once. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([
  Errcode.invalidAccessToken,
  Errcode.accessTokenExpired,
  Errcode.invalidSuiteToken,
  Errcode.missingAccessToken,
]);
