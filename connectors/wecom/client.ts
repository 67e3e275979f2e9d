import type { z } from 'zod';
import type { Logger } from '../../core/logger.js';
import type { RateLimit } from '../kit/contract.js';
import { ConnectorError, isConnectorError } from '../kit/errors.js';
import { cachedToken } from '../kit/http/auth.js';
import {
  HttpClient,
  type HttpMethod,
  type HttpResponseInfo,
  type QueryValue,
} from '../kit/http/http-client.js';
import {
  createDepartmentResponseSchema,
  getDepartmentResponseSchema,
  simpleListDepartmentsResponseSchema,
  type DepartmentPayload,
  type WeComDepartment,
} from './api/department-schemas.js';
import { envelopeSchema, tokenResponseSchema, writeResponseSchema } from './api/envelope.js';
import { Errcode } from './api/errcodes.js';
import {
  getUserResponseSchema,
  listIdResponseSchema,
  listUsersResponseSchema,
  useridLookupResponseSchema,
  type ListIdResponse,
  type UserPayload,
  type WeComUser,
} from './api/user-schemas.js';
import { errorForErrcode, FREQUENCY_BLOCK_MS, TOKEN_ERRCODES } from './error-mapping.js';

export interface WeComClientOptions {
  baseUrl: string;
  corpId: string;
  corpSecret: string;
  connectionId: string;
  log: Logger;
  rateLimit: RateLimit;
  signal?: AbortSignal;
  /** For tests: retry pacing. */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
}

/**
 * Reads WeCom's verdict from a response: every answer is HTTP 200 with `errcode` in the body (全局错误码), so the
 * HTTP status says little. Token errcodes ask the kit to fetch a new token once and resend.
 */
export function classifyWeComResponse(
  response: HttpResponseInfo,
  tokenCall: boolean,
): ConnectorError | 'retry_auth' | undefined {
  if (response.status !== 200) return undefined;
  const envelope = envelopeSchema.safeParse(response.data);
  if (!envelope.success) {
    return new ConnectorError('unavailable', {
      message: 'WeCom answered HTTP 200 without an errcode (a proxy or an outage page?)',
      httpStatus: 200,
    });
  }
  const { errcode, errmsg } = envelope.data;
  // "接口在返回的errmsg里会有 Warning: wrong json format.": WeCom used only part of the request. Never let that
  // pass as success, even with errcode 0: what was written is not what was asked.
  if (errmsg.includes('wrong json format')) {
    return new ConnectorError('vendor_error', {
      message:
        'WeCom ignored part of the request as badly typed (Warning: wrong json format); it may be half applied',
      retryable: false,
      vendorCode: errcode,
      vendorMessage: errmsg,
      httpStatus: 200,
    });
  }
  if (errcode === Errcode.ok) return undefined;
  if (!tokenCall && TOKEN_ERRCODES.has(errcode)) return 'retry_auth';
  return errorForErrcode(errcode, errmsg, 'WeCom');
}

/**
 * The WeCom contacts API (developer.work.weixin.qq.com, 服务端API-通讯录管理) over the kit's HttpClient: an
 * access_token from `gettoken` (corpid + corpsecret, 7,200 s), cached and sent as the `access_token` query
 * parameter, fetched again once when WeCom reports it invalid or expired (40014, 42001); errcodes mapped to
 * ConnectorError codes with the vendor's errcode and errmsg kept; every answer parsed with zod.
 */
export class WeComClient {
  private readonly http: HttpClient;
  private readonly tokenHttp: HttpClient;
  private readonly auth: ReturnType<typeof cachedToken>;

  constructor(private readonly options: WeComClientOptions) {
    const common = {
      baseUrl: options.baseUrl,
      connectorId: 'wecom',
      connectionId: options.connectionId,
      log: options.log,
      rateLimit: options.rateLimit,
      vendorName: 'WeCom',
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
    };
    this.tokenHttp = new HttpClient({
      ...common,
      redactQueryParams: ['corpsecret'],
      classifyResponse: (response) => classifyWeComResponse(response, true),
    });
    this.auth = cachedToken({
      // 服务端API-开发指南-获取access_token: GET /cgi-bin/gettoken?corpid=ID&corpsecret=SECRET
      fetch: async () => {
        const answer = await this.tokenHttp.get('/cgi-bin/gettoken', {
          query: { corpid: options.corpId, corpsecret: options.corpSecret },
          schema: tokenResponseSchema,
        });
        return { token: answer.data.access_token, expiresInSeconds: answer.data.expires_in };
      },
      apply: (request, token) => {
        request.query.access_token = token;
      },
      secretQueryParams: ['access_token'],
    });
    this.http = new HttpClient({
      ...common,
      auth: this.auth,
      classifyResponse: (response) => classifyWeComResponse(response, false),
    });
  }

  /** Fetches a fresh access_token (proves corpId and corpSecret). */
  async authenticate(): Promise<void> {
    await this.guard('gettoken', async () => this.auth.refresh?.());
  }

  /** 读取成员: GET /cgi-bin/user/get?userid= — null when no member has the userid (60111). */
  async getUser(userid: string): Promise<WeComUser | null> {
    return this.orNull(
      [Errcode.useridNotFound],
      this.call(`user/get ${userid}`, 'GET', '/user/get', {
        query: { userid },
        schema: getUserResponseSchema,
      }),
    );
  }

  /** 创建成员: POST /cgi-bin/user/create */
  async createUser(payload: UserPayload): Promise<void> {
    await this.call(`user/create ${payload.userid}`, 'POST', '/user/create', {
      body: payload,
      schema: writeResponseSchema,
    });
  }

  /** 更新成员: POST /cgi-bin/user/update (absent fields unchanged) */
  async updateUser(payload: UserPayload): Promise<void> {
    await this.call(`user/update ${payload.userid}`, 'POST', '/user/update', {
      body: payload,
      schema: writeResponseSchema,
    });
  }

  /** 删除成员: GET /cgi-bin/user/delete?userid= — false when it was already gone (60111). */
  async deleteUser(userid: string): Promise<boolean> {
    const deleted = await this.orNull(
      [Errcode.useridNotFound],
      this.call(`user/delete ${userid}`, 'GET', '/user/delete', {
        query: { userid },
        schema: writeResponseSchema,
      }),
    );
    return deleted !== null;
  }

  /** 获取成员ID列表: POST /cgi-bin/user/list_id {cursor, limit 1–10000} */
  async listUserIds(cursor: string | undefined, limit: number): Promise<ListIdResponse> {
    return this.call('user/list_id', 'POST', '/user/list_id', {
      body: { ...(cursor ? { cursor } : {}), limit },
      schema: listIdResponseSchema,
    });
  }

  /** 获取部门成员详情: GET /cgi-bin/user/list?department_id= — the department's own members, every field. */
  async listDepartmentMembers(departmentId: number): Promise<WeComUser[]> {
    const answer = await this.call(`user/list ${departmentId}`, 'GET', '/user/list', {
      query: { department_id: departmentId },
      schema: listUsersResponseSchema,
    });
    return answer.userlist;
  }

  /** 邮箱获取userid: POST /cgi-bin/user/get_userid_by_email — null when no member has it (46004). */
  async useridByEmail(email: string, emailType: 1 | 2): Promise<string | null> {
    const found = await this.orNull(
      [Errcode.userNotExist, Errcode.useridNotFound],
      this.call('user/get_userid_by_email', 'POST', '/user/get_userid_by_email', {
        body: { email, email_type: emailType },
        schema: useridLookupResponseSchema,
      }),
    );
    return found?.userid ?? null;
  }

  /** 获取单个部门详情: GET /cgi-bin/department/get?id= — null when it does not exist (60003). */
  async getDepartment(id: number): Promise<WeComDepartment | null> {
    const found = await this.orNull(
      [Errcode.departmentNotFound],
      this.call(`department/get ${id}`, 'GET', '/department/get', {
        query: { id },
        schema: getDepartmentResponseSchema,
      }),
    );
    return found?.department ?? null;
  }

  /** 获取子部门ID列表: GET /cgi-bin/department/simplelist?id= (the whole subtree, the department included) */
  async departmentSubtree(
    id: number,
  ): Promise<{ id: number; parentid: number; order?: number | undefined }[]> {
    const answer = await this.call(`department/simplelist ${id}`, 'GET', '/department/simplelist', {
      query: { id },
      schema: simpleListDepartmentsResponseSchema,
    });
    return answer.department_id;
  }

  /** 创建部门: POST /cgi-bin/department/create — the new id. */
  async createDepartment(payload: DepartmentPayload): Promise<number> {
    const answer = await this.call(`department/create ${payload.name ?? ''}`, 'POST', '/department/create', {
      body: payload,
      schema: createDepartmentResponseSchema,
    });
    return answer.id;
  }

  /** 更新部门: POST /cgi-bin/department/update (a new parentid moves it) */
  async updateDepartment(payload: DepartmentPayload): Promise<void> {
    await this.call(`department/update ${payload.id ?? ''}`, 'POST', '/department/update', {
      body: payload,
      schema: writeResponseSchema,
    });
  }

  /** 删除部门: GET /cgi-bin/department/delete?id= — false when it was already gone (60003). */
  async deleteDepartment(id: number): Promise<boolean> {
    const deleted = await this.orNull(
      [Errcode.departmentNotFound],
      this.call(`department/delete ${id}`, 'GET', '/department/delete', {
        query: { id },
        schema: writeResponseSchema,
      }),
    );
    return deleted !== null;
  }

  private call<T>(
    what: string,
    method: HttpMethod,
    path: string,
    request: { query?: Record<string, QueryValue>; body?: unknown; schema: z.ZodType<T> },
  ): Promise<T> {
    return this.guard(
      what,
      async () => (await this.http.request({ method, path: `/cgi-bin${path}`, ...request })).data,
    );
  }

  /** Runs a call and puts what was being done in front of any failure's message. */
  private async guard<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw inContext(error, what);
    }
  }

  private async orNull<T>(errcodes: number[], pending: Promise<T>): Promise<T | null> {
    try {
      return await pending;
    } catch (error) {
      if (
        isConnectorError(error) &&
        errcodes.includes(Number(error.vendorCode)) &&
        error.httpStatus === 200
      ) {
        return null;
      }
      throw error;
    }
  }
}

/**
 * The failure, re-stated for the call that failed ("WeCom user/create E1001: …"). A frequency block (45009)
 * that outlasted the in-process retries is handed to the engine with the documented block time as its delay.
 */
function inContext(error: unknown, what: string): unknown {
  if (!isConnectorError(error)) return error;
  const errcode = error.httpStatus === 200 && error.vendorCode !== undefined ? Number(error.vendorCode) : NaN;
  if (Number.isInteger(errcode) && errcode !== 0 && !error.vendorMessage?.includes('wrong json format')) {
    const mapped = errorForErrcode(errcode, error.vendorMessage ?? '', `WeCom ${what}`);
    return new ConnectorError(mapped.connectorCode, {
      message: mapped.publicMessage,
      retryable: mapped.retryable,
      ...(errcode === Errcode.apiFrequencyLimit
        ? { retryAfterMs: FREQUENCY_BLOCK_MS }
        : mapped.retryAfterMs === undefined
          ? {}
          : { retryAfterMs: mapped.retryAfterMs }),
      vendorCode: errcode,
      ...(error.vendorMessage === undefined ? {} : { vendorMessage: error.vendorMessage }),
      httpStatus: 200,
      cause: error,
    });
  }
  return new ConnectorError(error.connectorCode, {
    message: `WeCom ${what}: ${error.publicMessage}`,
    retryable: error.retryable,
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.vendorCode === undefined ? {} : { vendorCode: error.vendorCode }),
    ...(error.vendorMessage === undefined ? {} : { vendorMessage: error.vendorMessage }),
    ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    cause: error,
  });
}
