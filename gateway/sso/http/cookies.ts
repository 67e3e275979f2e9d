import type { Request, Response } from 'express';

/** RFC 6265 §5.4 cookie header → name/value map (first occurrence wins, values URI-decoded when valid). */
export function readCookies(req: Request): Record<string, string> {
  const header = req.headers.cookie;
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name in out) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
}

export interface CookieFlags {
  secure: boolean;
  maxAgeSeconds?: number;
  expires?: Date;
}

/**
 * Every cookie the sign-in routes set is HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site
 * sub-requests or POSTs: CSRF defence in depth), Path=/ and, when the gateway is reached over https, Secure.
 */
export function setCookie(res: Response, name: string, value: string, flags: CookieFlags): void {
  res.cookie(name, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: flags.secure,
    path: '/',
    ...(flags.maxAgeSeconds !== undefined ? { maxAge: flags.maxAgeSeconds * 1000 } : {}),
    ...(flags.expires ? { expires: flags.expires } : {}),
    encode: String,
  });
}

export function clearCookie(res: Response, name: string, secure: boolean): void {
  res.clearCookie(name, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}
