export {
  HttpClient,
  type HttpClientOptions,
  type HttpRequest,
  type HttpResponse,
  type HttpMethod,
  type HttpResponseInfo,
  type ResponseClassifier,
  type RetryOptions,
} from './http-client.js';
export {
  apiKeyHeader,
  basicAuth,
  bearerToken,
  cachedToken,
  oauth2ClientCredentials,
  type AuthRequest,
  type AuthStrategy,
  type CachedTokenOptions,
  type FetchedToken,
  type OAuth2ClientCredentialsOptions,
} from './auth.js';
export { TokenBucket } from './token-bucket.js';
export { rateLimiterFor } from './rate-limiters.js';
export { parseRetryAfter } from './retry-after.js';
export { redactUrl, redactHeaders, redactQuery, redactBody } from './redact.js';
