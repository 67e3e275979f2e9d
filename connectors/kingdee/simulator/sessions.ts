import { randomBytes } from 'node:crypto';

/**
 * Login sessions. A successful login sets the `kdservice-sessionid` cookie (the official SDKs read that cookie and
 * echo it both as a cookie and as a `kdservice-sessionid` request header) and IIS's `ASP.NET_SessionId`; either
 * identifies the session on later calls. A session past its lifetime is gone: calls answer MsgCode 1 "会话信息已丢失，
 * 请重新登录" (API文档 › MsgCode 1 上下文丢失). The lifetime here is absolute from login, so tests can make a session
 * expire in the middle of a read; a real server also drops idle sessions and every session on an app-pool recycle.
 */

export interface Session {
  id: string;
  aspNetId: string;
  acctId: string;
  userName: string;
  lcid: number;
  orgId: number;
  expiresAt: number;
}

export const SESSION_COOKIE = 'kdservice-sessionid';
export const ASP_NET_COOKIE = 'ASP.NET_SessionId';

export class SessionStore {
  private readonly byId = new Map<string, Session>();
  private readonly byAspNetId = new Map<string, string>();

  constructor(
    private readonly ttlMs: () => number,
    private readonly now: () => number,
  ) {}

  create(fields: Omit<Session, 'id' | 'aspNetId' | 'expiresAt'>): Session {
    const session: Session = {
      ...fields,
      id: randomBytes(16).toString('hex'),
      aspNetId: randomBytes(12).toString('base64url'),
      expiresAt: this.now() + this.ttlMs(),
    };
    this.byId.set(session.id, session);
    this.byAspNetId.set(session.aspNetId, session.id);
    return session;
  }

  /** The live session a request names through the header or either cookie; undefined when none or expired. */
  resolve(header: string | undefined, cookies: Record<string, string>): Session | undefined {
    const id =
      header ??
      cookies[SESSION_COOKIE] ??
      (cookies[ASP_NET_COOKIE] ? this.byAspNetId.get(cookies[ASP_NET_COOKIE]) : undefined);
    if (!id) return undefined;
    const session = this.byId.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.end(session.id);
      return undefined;
    }
    return session;
  }

  end(id: string): void {
    const session = this.byId.get(id);
    if (!session) return;
    this.byId.delete(id);
    this.byAspNetId.delete(session.aspNetId);
  }

  /** Drops every session, as an app-pool recycle does. */
  expireAll(): void {
    this.byId.clear();
    this.byAspNetId.clear();
  }

  get count(): number {
    return this.byId.size;
  }
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    cookies[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return cookies;
}
