import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { AxiosHeaders, type AxiosInstance, type AxiosResponse } from 'axios';
import type { z } from 'zod';
import type { Logger } from '../../../core/logger.js';
import type { RateLimit } from '../contract.js';
import { ConnectorError } from '../errors.js';
import type { AuthRequest, AuthStrategy } from './auth.js';
import { fullJitterDelay } from './backoff.js';
import { rateLimiterFor } from './rate-limiters.js';
import { redactBody, redactHeaders, redactUrl } from './redact.js';
import { parseRetryAfter } from './retry-after.js';
import { abortReason, sleep } from './sleep.js';
import { type TokenBucket } from './token-bucket.js';
import { defaultVendorCode, defaultVendorMessage, type HttpResponseInfo } from './vendor-message.js';

export type { HttpResponseInfo } from './vendor-message.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

/**
 * What a connector's classifier returns for a response: a ConnectorError to throw (or to retry, when it is
 * retryable — `rate_limited` with `retryAfterMs` waits that long), 'retry_auth' when the credential expired
 * (refresh once and resend), or undefined to let the HTTP status decide.
 */
export type ResponseClassifier = (response: HttpResponseInfo) => ConnectorError | 'retry_auth' | undefined;

export interface RetryOptions {
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number;
  /** First backoff ceiling. Default 250 ms. */
  baseDelayMs?: number;
  /** Backoff ceiling. Default 15 s. */
  maxDelayMs?: number;
  /**
   * A Retry-After longer than this is not slept through in-process: the call fails with a retryable
   * `rate_limited` carrying `retryAfterMs`, and the Temporal activity retries after that delay. Default 60 s.
   */
  maxRetryAfterMs?: number;
}

export interface HttpClientOptions {
  baseUrl: string;
  connectorId: string;
  connectionId: string;
  log: Logger;
  /** The vendor's documented limit; shared by every client of this connection in the process. */
  rateLimit: RateLimit;
  auth?: AuthStrategy;
  /** Per attempt. Default 30 s. */
  timeoutMs?: number;
  retry?: RetryOptions;
  classifyResponse?: ResponseClassifier;
  /** Cancels waits and in-flight requests (activity cancelled, worker shutting down). */
  signal?: AbortSignal;
  /** Sent with every request (e.g. `accept: application/json`). */
  headers?: Record<string, string>;
  /** Name used in error messages ("BambooHR rejected the credentials"). Default: the connector id. */
  vendorName?: string;
  /** Reads the vendor's error message / code from an error response, when the default reading does not fit. */
  vendorMessage?: (response: HttpResponseInfo) => string | undefined;
  vendorCode?: (response: HttpResponseInfo) => string | undefined;
  /** More query parameter / header names to redact in debug logs. */
  redactQueryParams?: readonly string[];
  redactHeaders?: readonly string[];
  /** For tests: jitter source. */
  random?: () => number;
}

export interface HttpRequest<T> {
  method: HttpMethod;
  /** Appended to baseUrl; an absolute URL is used as-is. */
  path: string;
  /** Arrays repeat the key (`a=1&a=2`); null / undefined are left out. */
  query?: Record<string, QueryValue>;
  /** JSON unless `form` (application/x-www-form-urlencoded); a string or Buffer is sent as-is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Parses the 2xx body; a mismatch is a non-retryable `vendor_error` naming what did not match. */
  schema?: z.ZodType<T>;
  form?: boolean;
  timeoutMs?: number;
  /**
   * Whether network errors and 5xx may resend this request. Default true. Set false for a create the vendor
   * cannot de-duplicate; 429s are always retried (the vendor did not process the request).
   */
  retry?: boolean;
}

export interface HttpResponse<T> {
  status: number;
  data: T;
  headers: Record<string, string>;
}

type RequestWithoutMethod<T> = Omit<HttpRequest<T>, 'method' | 'path'>;

const keepAliveHttp = new HttpAgent({ keepAlive: true, maxSockets: 32 });
const keepAliveHttps = new HttpsAgent({ keepAlive: true, maxSockets: 32 });

/**
 * The HTTP client every REST connector uses: per-connection rate limit, per-attempt timeout, retries with
 * exponential backoff and full jitter on network errors and 5xx, Retry-After honoured on 429 (and on vendor
 * rate-limit codes the classifier maps), one credential refresh on expiry, responses parsed with zod, and
 * vendor failures mapped onto ConnectorError codes. Debug logs show requests with secrets redacted.
 */
export class HttpClient {
  private readonly axios: AxiosInstance;
  private readonly limiter: TokenBucket;
  private readonly log: Logger;
  private readonly vendorName: string;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly secretQueryParams: string[];
  private readonly secretHeaders: string[];

  constructor(private readonly options: HttpClientOptions) {
    this.axios = axios.create({
      httpAgent: keepAliveHttp,
      httpsAgent: keepAliveHttps,
      // Every status is a response we classify ourselves; bodies are parsed here, not by axios.
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      maxRedirects: 0,
    });
    this.limiter = rateLimiterFor(options.connectorId, options.connectionId, options.rateLimit);
    this.log = options.log.child({ connector: options.connectorId, connection: options.connectionId });
    this.vendorName = options.vendorName ?? options.connectorId;
    this.maxAttempts = Math.max(1, options.retry?.maxAttempts ?? 5);
    this.baseDelayMs = options.retry?.baseDelayMs ?? 250;
    this.maxDelayMs = options.retry?.maxDelayMs ?? 15_000;
    this.maxRetryAfterMs = options.retry?.maxRetryAfterMs ?? 60_000;
    this.secretQueryParams = [
      ...(options.redactQueryParams ?? []),
      ...(options.auth?.secretQueryParams ?? []),
    ];
    this.secretHeaders = [...(options.redactHeaders ?? []), ...(options.auth?.secretHeaders ?? [])];
  }

  get<T = unknown>(path: string, request: RequestWithoutMethod<T> = {}): Promise<HttpResponse<T>> {
    return this.request({ ...request, method: 'GET', path });
  }
  post<T = unknown>(path: string, request: RequestWithoutMethod<T> = {}): Promise<HttpResponse<T>> {
    return this.request({ ...request, method: 'POST', path });
  }
  put<T = unknown>(path: string, request: RequestWithoutMethod<T> = {}): Promise<HttpResponse<T>> {
    return this.request({ ...request, method: 'PUT', path });
  }
  patch<T = unknown>(path: string, request: RequestWithoutMethod<T> = {}): Promise<HttpResponse<T>> {
    return this.request({ ...request, method: 'PATCH', path });
  }
  delete<T = unknown>(path: string, request: RequestWithoutMethod<T> = {}): Promise<HttpResponse<T>> {
    return this.request({ ...request, method: 'DELETE', path });
  }

  async request<T = unknown>(request: HttpRequest<T>): Promise<HttpResponse<T>> {
    const signal = this.options.signal;
    const operation = `${request.method} ${request.path.split('?')[0]}`;
    let attempt = 0;
    let refreshedAuth = false;
    for (;;) {
      attempt += 1;
      await this.limiter.take(signal);
      const sent = await this.prepare(request);
      const started = performance.now();
      let raw: AxiosResponse<unknown>;
      try {
        raw = await this.axios.request({
          method: request.method,
          url: sent.url,
          headers: sent.headers,
          data: sent.body,
          timeout: request.timeoutMs ?? this.options.timeoutMs ?? 30_000,
          ...(signal ? { signal } : {}),
        });
      } catch (cause) {
        if (signal?.aborted) throw abortReason(signal);
        const ms = Math.round(performance.now() - started);
        const reason = describeNetworkError(cause);
        this.log.debug({ http: { ...sent.logged, attempt, ms, error: reason } }, 'vendor request failed');
        if (request.retry !== false && attempt < this.maxAttempts) {
          await sleep(this.backoff(attempt), signal);
          continue;
        }
        throw new ConnectorError('unavailable', {
          message: `${this.vendorName} could not be reached (${operation}: ${reason}) after ${attempt} attempt(s)`,
          retryAfterMs: this.backoff(attempt + 1),
          cause,
        });
      }
      const response: HttpResponseInfo = {
        status: raw.status,
        data: parseBody(raw.data, raw.headers['content-type']),
        headers: flattenHeaders(raw.headers),
      };
      this.log.debug(
        {
          http: {
            ...sent.logged,
            attempt,
            status: response.status,
            ms: Math.round(performance.now() - started),
            bytes: typeof raw.data === 'string' ? raw.data.length : undefined,
            // Response headers only at trace level, session cookies redacted; bodies are never logged (PII).
            ...(this.log.isLevelEnabled('trace')
              ? { responseHeaders: redactHeaders(response.headers, this.secretHeaders) }
              : {}),
          },
        },
        'vendor request',
      );

      const verdict = this.options.classifyResponse?.(response);
      const authExpired = verdict === 'retry_auth' || (verdict === undefined && response.status === 401);
      if (authExpired) {
        if (this.options.auth?.refresh && !refreshedAuth) {
          // "Refreshed once without failing the call": the refresh does not count as an attempt.
          refreshedAuth = true;
          attempt -= 1;
          await this.options.auth.refresh();
          continue;
        }
        throw this.statusError(401, response, operation);
      }

      let failure: ConnectorError | undefined = verdict instanceof ConnectorError ? verdict : undefined;
      if (!failure && response.status >= 200 && response.status < 300) {
        return {
          status: response.status,
          data: this.parse(request, response, operation),
          headers: response.headers,
        };
      }
      failure ??= this.statusError(response.status, response, operation);
      if (!failure.retryable) throw failure;

      const rateLimited = failure.connectorCode === 'rate_limited';
      if (!rateLimited && request.retry === false) throw failure;
      const retryAfterMs = failure.retryAfterMs;
      const delay = retryAfterMs ?? this.backoff(attempt);
      if (attempt >= this.maxAttempts || delay > this.maxRetryAfterMs) {
        throw withRetryAfter(failure, delay, attempt);
      }
      // A Retry-After applies to the connection: every request of it waits, not only this one.
      if (retryAfterMs !== undefined) this.limiter.hold(retryAfterMs);
      this.log.debug({ http: { ...sent.logged, attempt, waitMs: delay } }, 'vendor request will be retried');
      await sleep(delay, signal);
    }
  }

  private async prepare(request: HttpRequest<unknown>): Promise<{
    url: string;
    headers: Record<string, string>;
    body: unknown;
    logged: Record<string, unknown>;
  }> {
    const auth: AuthRequest = {
      headers: lowerKeys({ accept: 'application/json', ...this.options.headers, ...request.headers }),
      query: {},
    };
    await this.options.auth?.apply(auth);
    const url = new URL(
      /^https?:\/\//.test(request.path)
        ? request.path
        : `${this.options.baseUrl.replace(/\/+$/, '')}/${request.path.replace(/^\/+/, '')}`,
    );
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value === null || value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(key, String(item));
      else url.searchParams.append(key, String(value));
    }
    for (const [key, value] of Object.entries(auth.query)) url.searchParams.set(key, value);

    let body: unknown = request.body;
    if (body !== undefined && !(typeof body === 'string') && !Buffer.isBuffer(body)) {
      if (request.form) {
        const form = new URLSearchParams();
        for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
          if (value !== undefined && value !== null) form.append(key, String(value));
        }
        body = form.toString();
        auth.headers['content-type'] ??= 'application/x-www-form-urlencoded';
      } else {
        body = JSON.stringify(body);
        auth.headers['content-type'] ??= 'application/json';
      }
    }
    const logged: Record<string, unknown> = {
      method: request.method,
      url: redactUrl(url.toString(), this.secretQueryParams),
    };
    if (this.log.isLevelEnabled('trace')) {
      logged.headers = redactHeaders(auth.headers, this.secretHeaders);
      if (request.body !== undefined) logged.body = redactBody(request.body);
    }
    return { url: url.toString(), headers: auth.headers, body, logged };
  }

  private parse<T>(request: HttpRequest<T>, response: HttpResponseInfo, operation: string): T {
    if (!request.schema) return response.data as T;
    const parsed = request.schema.safeParse(response.data);
    if (parsed.success) return parsed.data;
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.length ? issue.path.join('.') : '(body)'}: ${issue.message}`)
      .join('; ');
    throw new ConnectorError('vendor_error', {
      message: `${this.vendorName} answered ${operation} with a body we do not understand (${issues}${
        parsed.error.issues.length > 3 ? `; and ${parsed.error.issues.length - 3} more` : ''
      })`,
      httpStatus: response.status,
    });
  }

  /** The ConnectorError for an HTTP status (the default mapping; connectors' classifiers come first). */
  statusError(status: number, response: HttpResponseInfo, operation: string): ConnectorError {
    const vendorMessage = (this.options.vendorMessage ?? defaultVendorMessage)(response);
    const vendorCode = (this.options.vendorCode ?? defaultVendorCode)(response);
    const said = vendorMessage ? `: ${vendorMessage}` : '';
    const common = {
      httpStatus: status,
      ...(vendorMessage ? { vendorMessage } : {}),
      vendorCode: vendorCode ?? status,
    };
    if (status === 401) {
      return new ConnectorError('auth_failed', {
        ...common,
        message: `${this.vendorName} rejected the credentials (HTTP 401${said}); check the connection's credentials`,
      });
    }
    if (status === 403) {
      return new ConnectorError('permission_denied', {
        ...common,
        message: `${this.vendorName} denied ${operation} (HTTP 403${said}); give the connection's account the permission it needs`,
      });
    }
    if (status === 404) {
      return new ConnectorError('not_found', {
        ...common,
        message: `${this.vendorName}: ${operation} found nothing (HTTP 404${said})`,
      });
    }
    if (status === 409) {
      return new ConnectorError('conflict', {
        ...common,
        message: `${this.vendorName}: ${operation} conflicts with existing data (HTTP 409${said})`,
      });
    }
    const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
    if (status === 429) {
      return new ConnectorError('rate_limited', {
        ...common,
        message: `${this.vendorName} is rate limiting ${operation} (HTTP 429${said})`,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
    if (status >= 500 || status === 408) {
      return new ConnectorError('unavailable', {
        ...common,
        message: `${this.vendorName} failed ${operation} (HTTP ${status}${said})`,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
    return new ConnectorError('vendor_error', {
      ...common,
      message: `${this.vendorName} refused ${operation} (HTTP ${status}${said})`,
    });
  }

  private backoff(attempt: number): number {
    return fullJitterDelay(attempt, this.baseDelayMs, this.maxDelayMs, this.options.random);
  }
}

/** The give-up error: the same code, still retryable, with the delay the activity should wait before retrying. */
function withRetryAfter(failure: ConnectorError, delayMs: number, attempts: number): ConnectorError {
  return new ConnectorError(failure.connectorCode, {
    message: `${failure.publicMessage} — gave up after ${attempts} attempt(s)`,
    retryable: true,
    retryAfterMs: failure.retryAfterMs ?? delayMs,
    ...(failure.vendorCode === undefined ? {} : { vendorCode: failure.vendorCode }),
    ...(failure.vendorMessage === undefined ? {} : { vendorMessage: failure.vendorMessage }),
    ...(failure.httpStatus === undefined ? {} : { httpStatus: failure.httpStatus }),
    cause: failure,
  });
}

function parseBody(data: unknown, contentType: unknown): unknown {
  if (typeof data !== 'string') return data;
  if (data === '') return undefined;
  const type = typeof contentType === 'string' ? contentType : '';
  const looksJson = /json/i.test(type) || /^\s*[[{]/.test(data);
  if (!looksJson) return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

function flattenHeaders(headers: AxiosResponse['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  const plain = headers instanceof AxiosHeaders ? headers.toJSON() : headers;
  for (const [key, value] of Object.entries(plain as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    out[key.toLowerCase()] = Array.isArray(value) ? value.map(String).join('\n') : String(value);
  }
  return out;
}

function lowerKeys(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) if (value !== undefined) out[key.toLowerCase()] = value;
  return out;
}

function describeNetworkError(error: unknown): string {
  if (axios.isAxiosError(error)) {
    if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT') return 'timed out';
    return error.code ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
