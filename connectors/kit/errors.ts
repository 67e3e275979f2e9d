import { JunctionError } from '../../core/errors.js';

/** Stable codes every connector maps its vendor's failures onto. */
export type ConnectorErrorCode =
  | 'auth_failed'
  | 'permission_denied'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'invalid_config'
  | 'vendor_error'
  | 'unavailable';

const DEFAULT_RETRYABLE: Record<ConnectorErrorCode, boolean> = {
  auth_failed: false,
  permission_denied: false,
  not_found: false,
  conflict: false,
  rate_limited: true,
  invalid_config: false,
  vendor_error: false,
  unavailable: true,
};

const STATUS: Record<ConnectorErrorCode, number> = {
  auth_failed: 502,
  permission_denied: 502,
  not_found: 404,
  conflict: 409,
  rate_limited: 503,
  invalid_config: 400,
  vendor_error: 502,
  unavailable: 503,
};

export interface ConnectorErrorOptions {
  /** What the admin should read: what went wrong and what to fix. */
  message: string;
  retryable?: boolean;
  /** For rate limits: how long the vendor asked us to wait. */
  retryAfterMs?: number;
  /** The vendor's own error code and message (WeCom `errcode`, SCIM `scimType`, HTTP status…). */
  vendorCode?: string | number;
  vendorMessage?: string;
  httpStatus?: number;
  cause?: unknown;
}

/**
 * The one error a connector throws. Retryability is decided here, where the failure is understood: bad
 * credentials or configuration never retry; rate limits retry after the vendor's Retry-After.
 */
export class ConnectorError extends JunctionError {
  readonly connectorCode: ConnectorErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly vendorCode: string | undefined;
  readonly vendorMessage: string | undefined;
  readonly httpStatus: number | undefined;

  constructor(code: ConnectorErrorCode, options: ConnectorErrorOptions) {
    super({
      code,
      status: STATUS[code],
      publicMessage: options.message,
      detail: {
        vendorCode: options.vendorCode,
        vendorMessage: options.vendorMessage,
        httpStatus: options.httpStatus,
      },
      cause: options.cause,
    });
    this.connectorCode = code;
    this.retryable = options.retryable ?? DEFAULT_RETRYABLE[code];
    this.retryAfterMs = options.retryAfterMs;
    this.vendorCode = options.vendorCode === undefined ? undefined : String(options.vendorCode);
    this.vendorMessage = options.vendorMessage;
    this.httpStatus = options.httpStatus;
  }

  /** What a SyncEvent records: codes and messages, never a stack. */
  toRecord(): { code: string; message: string; vendorCode?: string; vendorMessage?: string } {
    return {
      code: this.connectorCode,
      message: this.publicMessage,
      ...(this.vendorCode === undefined ? {} : { vendorCode: this.vendorCode }),
      ...(this.vendorMessage === undefined ? {} : { vendorMessage: this.vendorMessage }),
    };
  }
}

export function isConnectorError(error: unknown): error is ConnectorError {
  return error instanceof ConnectorError;
}
