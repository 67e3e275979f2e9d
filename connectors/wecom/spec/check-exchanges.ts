import type { Exchange } from '../../kit/simulator/exchange-recorder.js';
import { violations, type ApiSpec } from './field-lists.js';

/**
 * How one recorded exchange departs from the vendor's field lists: the method, the query parameters and the
 * body against the request fields (required flags included), and the answer against the response fields.
 * Error answers (errcode ≠ 0) carry only errcode and errmsg, both documented, so they are checked the same way.
 */
export function exchangeViolations(exchange: Exchange, specs: ReadonlyMap<string, ApiSpec>): string[] {
  const path = exchange.path.replace(/^\/cgi-bin/, '');
  const spec = specs.get(path);
  const where = `${exchange.method} ${path}`;
  if (!spec) return [`${where}: not a documented API`];
  const out: string[] = [];
  if (exchange.method !== spec.method) out.push(`${where}: documented as ${spec.method}`);
  out.push(...violations(exchange.query, spec.query, true).map((v) => `${where} query ${v}`));
  if (spec.method === 'POST') {
    const body = exchange.requestBody ?? {};
    out.push(...violations(body, spec.body, true).map((v) => `${where} body ${v}`));
  }
  if (exchange.status === 200) {
    out.push(...violations(exchange.responseBody, spec.response, false).map((v) => `${where} answer ${v}`));
  }
  return out;
}
