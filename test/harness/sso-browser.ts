/**
 * A scripted browser for sign-in tests: a cookie jar (per host:port, honouring Path, Expires/Max-Age), manual
 * redirect following with the chain recorded, and HTML form extraction so tests submit the real forms the pages
 * render (hidden CSRF fields, auto-posting SAML forms). It is not a mock of anything of ours: every request goes to
 * the real gateway and the real peers over HTTP.
 */
export interface Page {
  url: string;
  status: number;
  headers: Headers;
  body: string;
  /** Every URL visited to get here, first to last. */
  chain: string[];
  setCookies: string[];
}

/** A form by id, by a substring or pattern of its action, or by a predicate (e.g. "has a password field"). */
export type FormSelector = string | RegExp | ((form: HtmlForm) => boolean);

export interface HtmlForm {
  action: string;
  method: string;
  fields: Record<string, string>;
  /** Submit buttons by name → value (a chooser uses them). */
  buttons: { name: string; value: string; label: string }[];
  id: string | undefined;
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
  expires: number | undefined;
  attributes: Record<string, string | true>;
}

export class SsoBrowser {
  private readonly jar = new Map<string, Map<string, StoredCookie>>();
  /** Rewrites a URL before it is fetched (emulates a load balancer in front of several gateways). */
  route: (url: URL) => URL = (url) => url;
  /** Requests made, for assertions about what went where. */
  readonly log: { method: string; url: string; status: number }[] = [];

  async get(url: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.navigate('GET', url, undefined, headers);
  }

  /** Follows redirects until the next location satisfies `stop`; returns that redirect without following it. */
  async getUntil(url: string, stop: (next: URL) => boolean): Promise<Page & { next: string }> {
    let current = url;
    const chain: string[] = [];
    for (let hop = 0; hop < 25; hop += 1) {
      const page = await this.fetchOnce('GET', current);
      chain.push(page.url);
      const location = page.headers.get('location');
      if (!location || page.status < 300 || page.status >= 400) {
        throw new Error(
          `no redirect matching the stop condition after ${chain.join(' -> ')} (status ${page.status})`,
        );
      }
      const next = new URL(location, page.url);
      if (stop(next)) return { ...page, chain, next: next.toString() };
      current = next.toString();
    }
    throw new Error(`too many redirects from ${url}`);
  }

  async post(
    url: string,
    fields: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Page> {
    return this.navigate('POST', url, new URLSearchParams(fields).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    });
  }

  /** One request, no redirect following. */
  async fetchOnce(
    method: string,
    url: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<Page> {
    const target = new URL(url);
    const cookie = this.cookieHeader(target);
    const response = await fetch(this.route(new URL(target)).toString(), {
      method,
      body,
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...headers },
    });
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) this.store(target, line);
    const text = await response.text();
    this.log.push({ method, url: target.toString(), status: response.status });
    return {
      url: target.toString(),
      status: response.status,
      headers: response.headers,
      body: text,
      chain: [target.toString()],
      setCookies,
    };
  }

  /** A request and every redirect after it (303 / 302 / 301 turn into GET; 307 / 308 repeat the method). */
  async navigate(
    method: string,
    url: string,
    body?: string,
    headers: Record<string, string> = {},
    maxHops = 25,
  ): Promise<Page> {
    const chain: string[] = [];
    const setCookies: string[] = [];
    let current = url;
    let currentMethod = method;
    let currentBody = body;
    let currentHeaders = headers;
    for (let hop = 0; hop <= maxHops; hop += 1) {
      const page = await this.fetchOnce(currentMethod, current, currentBody, currentHeaders);
      chain.push(page.url);
      setCookies.push(...page.setCookies);
      const location = page.headers.get('location');
      if (page.status >= 300 && page.status < 400 && location) {
        current = new URL(location, page.url).toString();
        if (page.status !== 307 && page.status !== 308) {
          currentMethod = 'GET';
          currentBody = undefined;
          currentHeaders = {};
        }
        continue;
      }
      return { ...page, chain, setCookies };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** Submits a form found on the page (the first, or the one with this id / whose action matches). */
  async submit(
    page: Page,
    options: { form?: FormSelector; fields?: Record<string, string>; button?: string } = {},
  ): Promise<Page> {
    const form = this.form(page, options.form);
    const fields = { ...form.fields, ...(options.fields ?? {}) };
    if (options.button !== undefined) {
      const button = form.buttons.find((b) => b.value === options.button || b.label === options.button);
      if (!button) throw new Error(`no button ${options.button} in form ${form.action}`);
      fields[button.name] = button.value;
    }
    const action = new URL(form.action || page.url, page.url).toString();
    if (form.method === 'get') {
      const target = new URL(action);
      for (const [k, v] of Object.entries(fields)) target.searchParams.set(k, v);
      return this.get(target.toString());
    }
    return this.post(action, fields);
  }

  form(page: Page, which?: FormSelector): HtmlForm {
    const forms = parseForms(page.body);
    const found =
      which === undefined
        ? forms[0]
        : forms.find((f) =>
            typeof which === 'function'
              ? which(f)
              : typeof which === 'string'
                ? f.id === which || f.action.includes(which)
                : which.test(f.action),
          );
    if (!found)
      throw new Error(
        `no form ${String(which ?? '')} on ${page.url} (status ${page.status}):\n${page.body.slice(0, 1500)}`,
      );
    return found;
  }

  cookie(url: string, name: string): StoredCookie | undefined {
    const target = new URL(url);
    return this.jar.get(target.host)?.get(name);
  }

  setCookie(url: string, name: string, value: string): void {
    this.store(new URL(url), `${name}=${value}; Path=/`);
  }

  clearCookies(): void {
    this.jar.clear();
  }

  private cookieHeader(url: URL): string {
    const now = Date.now();
    const cookies = this.jar.get(url.host);
    if (!cookies) return '';
    return [...cookies.values()]
      .filter((c) => (c.expires === undefined || c.expires > now) && url.pathname.startsWith(c.path))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  private store(url: URL, line: string): void {
    const [pair, ...attrs] = line.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (!pair || eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const attributes: Record<string, string | true> = {};
    for (const attr of attrs) {
      const i = attr.indexOf('=');
      const key = (i < 0 ? attr : attr.slice(0, i)).trim().toLowerCase();
      attributes[key] = i < 0 ? true : attr.slice(i + 1).trim();
    }
    let expires: number | undefined;
    if (typeof attributes['max-age'] === 'string')
      expires = Date.now() + Number(attributes['max-age']) * 1000;
    else if (typeof attributes.expires === 'string') expires = Date.parse(attributes.expires);
    const path = typeof attributes.path === 'string' ? attributes.path : defaultPath(url);
    let cookies = this.jar.get(url.host);
    if (!cookies) {
      cookies = new Map();
      this.jar.set(url.host, cookies);
    }
    if (expires !== undefined && expires <= Date.now()) cookies.delete(name);
    else cookies.set(name, { name, value, path, expires, attributes });
  }
}

function defaultPath(url: URL): string {
  const i = url.pathname.lastIndexOf('/');
  return i <= 0 ? '/' : url.pathname.slice(0, i);
}

const decode = (value: string): string =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x2F;/gi, '/')
    .replace(/&#x3D;/gi, '=')
    .replace(/&amp;/g, '&');

function attr(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  const raw = match?.[1] ?? match?.[2] ?? match?.[3];
  return raw === undefined ? undefined : decode(raw);
}

/** Forms in a page: action, method, named inputs (with their values) and submit buttons. */
export function parseForms(body: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  const formRe = /<form\b([^>]*)>([\s\S]*?)<\/form>/gi;
  for (const match of body.matchAll(formRe)) {
    const open = match[1] ?? '';
    const inner = match[2] ?? '';
    const fields: Record<string, string> = {};
    const buttons: HtmlForm['buttons'] = [];
    for (const input of inner.matchAll(/<input\b[^>]*>/gi)) {
      const tag = input[0];
      const name = attr(tag, 'name');
      const type = (attr(tag, 'type') ?? 'text').toLowerCase();
      if (!name) continue;
      if (type === 'submit')
        buttons.push({ name, value: attr(tag, 'value') ?? '', label: attr(tag, 'value') ?? '' });
      else if (type === 'checkbox' || type === 'radio') {
        if (/\schecked\b/i.test(tag)) fields[name] = attr(tag, 'value') ?? 'on';
      } else fields[name] = attr(tag, 'value') ?? '';
    }
    for (const button of inner.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)) {
      const tag = button[1] ?? '';
      const name = attr(` ${tag}`, 'name');
      if (name)
        buttons.push({
          name,
          value: attr(` ${tag}`, 'value') ?? '',
          label: (button[2] ?? '').replace(/<[^>]+>/g, '').trim(),
        });
    }
    forms.push({
      action: attr(` ${open}`, 'action') ?? '',
      method: (attr(` ${open}`, 'method') ?? 'get').toLowerCase(),
      fields,
      buttons,
      id: attr(` ${open}`, 'id'),
    });
  }
  return forms;
}
