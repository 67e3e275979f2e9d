import type { RateLimit } from '../kit/contract.js';
import { cachedToken } from '../kit/http/auth.js';
import { HttpClient } from '../kit/http/http-client.js';
import type { Logger } from '../../core/logger.js';
import type { KingdeeConfig } from './config.js';
import {
  classifyKingdeeResponse,
  kingdeeVendorCode,
  kingdeeVendorMessage,
  statusError,
} from './error-mapping.js';
import { login, logout, SESSION_COOKIE, sessionIdOf } from './session-login.js';
import { SERVICE, servicePath, type ServiceName } from './service-names.js';
import { billQueryResultSchema, operationResultSchema, type Cell, type ResponseStatus } from './wire.js';

/**
 * The WebAPI calls Junction makes, over the kit's HttpClient: the session from a login is cached and sent as
 * cookies (and as the `kdservice-sessionid` header, as the vendor SDKs do), renewed before it would time out, and
 * renewed once on MsgCode 1 会话信息已丢失 without failing the call. Business failures become ConnectorErrors naming
 * the operation, with Kingdee's MsgCode and messages as detail.
 */

export type FormId = 'BD_Empinfo' | 'BD_Department' | 'ORG_Organizations';

export const FORM_LABEL: Record<FormId, string> = {
  BD_Empinfo: '员工 (BD_Empinfo)',
  BD_Department: '部门 (BD_Department)',
  ORG_Organizations: '组织 (ORG_Organizations)',
};

/** ExecuteBillQuery's cap on Limit (API文档 › 单据查询 › 1.7 "Limit：最大行数，不能超过2000"). */
export const MAX_QUERY_ROWS = 2000;

/**
 * Kingdee documents no call rate (its throttle is MsgCode 14 调用限制, answered when a site's own limit trips).
 * Ten calls a second keeps a private deployment's application server responsive for its interactive users.
 */
export const KINGDEE_RATE_LIMIT: RateLimit = { requestsPerSecond: 10, burst: 10 };

export interface QueryRequest {
  formId: FormId;
  fieldKeys: readonly string[];
  filter?: string;
  order?: string;
  startRow?: number;
  limit: number;
}

export type StateOperation = 'Submit' | 'Audit' | 'UnAudit' | 'CancelAssign' | 'Delete' | 'Forbid' | 'Enable';

const OPERATION_SERVICE = {
  Submit: SERVICE.submit,
  Audit: SERVICE.audit,
  UnAudit: SERVICE.unAudit,
  CancelAssign: SERVICE.cancelAssign,
  Delete: SERVICE.delete,
} as const;

export interface KingdeeClientOptions {
  config: KingdeeConfig;
  connectionId: string;
  log: Logger;
  signal?: AbortSignal;
  /** For tests: the clock LoginBySign timestamps come from. */
  now?: () => number;
}

export class KingdeeClient {
  private readonly http: HttpClient;
  /** Logins and logout go without the session strategy (it is what they produce). */
  private readonly anonymous: HttpClient;
  private readonly session: ReturnType<typeof cachedToken>;

  constructor(options: KingdeeClientOptions) {
    const { config } = options;
    const common = {
      baseUrl: config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`,
      connectorId: 'kingdee',
      connectionId: options.connectionId,
      log: options.log,
      rateLimit: config.requestsPerSecond
        ? {
            requestsPerSecond: config.requestsPerSecond,
            burst: Math.max(1, Math.ceil(config.requestsPerSecond)),
          }
        : KINGDEE_RATE_LIMIT,
      vendorName: 'Kingdee',
      classifyResponse: classifyKingdeeResponse,
      vendorMessage: kingdeeVendorMessage,
      vendorCode: kingdeeVendorCode,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      redactHeaders: ['cookie', SESSION_COOKIE],
      ...(options.signal ? { signal: options.signal } : {}),
    };
    this.anonymous = new HttpClient(common);
    this.session = cachedToken({
      fetch: () => login(this.anonymous, config, options.now),
      apply: (request, cookieHeader) => {
        request.headers.cookie = cookieHeader;
        const sid = sessionIdOf(cookieHeader);
        if (sid) request.headers[SESSION_COOKIE] = sid;
      },
      secretHeaders: ['cookie', SESSION_COOKIE],
    });
    this.http = new HttpClient({ ...common, auth: this.session });
  }

  /** ExecuteBillQuery (API文档 › 单据查询): rows of `fieldKeys`, in order. */
  async query(request: QueryRequest): Promise<Cell[][]> {
    const limit = Math.min(MAX_QUERY_ROWS, Math.max(1, request.limit));
    const data = {
      FormId: request.formId,
      FieldKeys: request.fieldKeys.join(','),
      FilterString: request.filter ?? '',
      OrderString: request.order ?? '',
      TopRowCount: 0,
      StartRow: request.startRow ?? 0,
      Limit: limit,
    };
    const response = await this.http.post(servicePath(SERVICE.executeBillQuery), {
      body: { data },
      schema: billQueryResultSchema,
    });
    const result = response.data;
    if (!Array.isArray(result))
      throw statusError(result.Result.ResponseStatus, `query of ${FORM_LABEL[request.formId]}`);
    return result;
  }

  /**
   * Save (API文档 › 保存): creates (no internal id in the Model) or modifies a record; returns its internal id.
   * `needUpdateFields` limits a modification to those keys, so fields Junction does not manage stay as they are.
   */
  async save(
    formId: FormId,
    model: Record<string, unknown>,
    options: { needUpdateFields?: readonly string[]; what: string },
  ): Promise<number> {
    const data = {
      NeedUpDateFields: options.needUpdateFields ?? [],
      NeedReturnFields: [],
      // Entries Junction does not send (an employee's other posts) must survive an update.
      IsDeleteEntry: false,
      // References must point at audited, enabled records, as an expense claim would need them.
      IsVerifyBaseDataField: true,
      ValidateFlag: true,
      NumberSearch: true,
      Model: model,
    };
    const status = await this.call(
      SERVICE.save,
      { formid: formId, data },
      `save of ${FORM_LABEL[formId]} ${options.what}`,
    );
    const id = Number(status.SuccessEntitys?.[0]?.Id);
    if (!Number.isInteger(id) || id <= 0) {
      throw statusError(
        { ...status, IsSuccess: false },
        `save of ${FORM_LABEL[formId]} ${options.what} (no id returned)`,
      );
    }
    return id;
  }

  /** Submit / Audit / UnAudit / CancelAssign / Delete, or Forbid / Enable through ExcuteOperation, by internal id. */
  async operate(formId: FormId, operation: StateOperation, id: number, what: string): Promise<void> {
    const data = { Ids: String(id), Numbers: [] };
    const label = `${operation} of ${FORM_LABEL[formId]} ${what}`;
    if (operation === 'Forbid' || operation === 'Enable') {
      // API文档 › 操作接口: ExcuteOperation (the vendor's spelling) with opNumber Forbid (禁用) / Enable (反禁用).
      await this.call(SERVICE.excuteOperation, { formid: formId, opNumber: operation, data }, label);
      return;
    }
    await this.call(OPERATION_SERVICE[operation], { formid: formId, data }, label);
  }

  /** Logs the session out, freeing the concurrent-user seat it holds. */
  async close(): Promise<void> {
    const cookieHeader = this.session.current();
    if (cookieHeader) await logout(this.anonymous, cookieHeader);
  }

  private async call(service: ServiceName, body: unknown, what: string): Promise<ResponseStatus> {
    const response = await this.http.post(servicePath(service), { body, schema: operationResultSchema });
    const status = response.data.Result.ResponseStatus;
    if (!status.IsSuccess) throw statusError(status, what);
    return status;
  }
}
