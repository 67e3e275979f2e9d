/**
 * The benchmark's browser: a cookie jar per host and manual redirects, no HTML parsing (the federated path is all
 * redirects when the app passes login_hint). Fetch keeps connections alive, as a browser does.
 */
export class BenchBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  /** Follows redirects from `url` until the next hop satisfies `stop`; returns that URL. */
  async followUntil(url: string, stop: (next: URL) => boolean, maxHops = 20): Promise<URL> {
    let current = new URL(url);
    for (let hop = 0; hop < maxHops; hop += 1) {
      const cookies = this.jar.get(current.host);
      const t0 = performance.now();
      const response = await fetch(current, {
        redirect: 'manual',
        headers:
          cookies && cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {},
      });
      for (const line of response.headers.getSetCookie()) this.store(current.host, line);
      const location = response.headers.get('location');
      await response.arrayBuffer();
      if (process.env.BENCH_TRACE)
        process.stderr.write(`${current.pathname.slice(0, 30)} ${Math.round(performance.now() - t0)}ms\n`);
      if (!location || response.status < 300 || response.status >= 400) {
        throw new Error(`sign-in stopped at ${current.pathname} with status ${response.status}`);
      }
      const next = new URL(location, current);
      if (stop(next)) return next;
      current = next;
    }
    throw new Error(`more than ${maxHops} redirects from ${url}`);
  }

  private store(host: string, line: string): void {
    const [pair, ...attributes] = line.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (!pair || eq <= 0) return;
    let cookies = this.jar.get(host);
    if (!cookies) {
      cookies = new Map();
      this.jar.set(host, cookies);
    }
    const name = pair.slice(0, eq).trim();
    const expired = attributes.some(
      (a) => /^\s*max-age=0/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a),
    );
    if (expired) cookies.delete(name);
    else cookies.set(name, pair.slice(eq + 1).trim());
  }
}
