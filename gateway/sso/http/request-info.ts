import type { Request } from 'express';
import type { RequestInfo } from '../../../sso/login/complete-sign-in.js';

/** Client address (Express resolves X-Forwarded-For only from trusted proxies) and user agent, for the audit log. */
export function requestInfo(req: Request): RequestInfo {
  return { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
}
