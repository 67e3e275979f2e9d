import { apiKeyHeader, basicAuth, cachedToken, type AuthRequest } from './auth.js';

const request = (): AuthRequest => ({ headers: {}, query: {} });

describe('cachedToken', () => {
  it('fetches lazily, shares one fetch between concurrent callers, and renews before expiry', async () => {
    let now = 0;
    let fetches = 0;
    let release: () => void = () => undefined;
    const auth = cachedToken({
      now: () => now,
      fetch: () =>
        new Promise((resolve) => {
          fetches += 1;
          const n = fetches;
          release = () => resolve({ token: `t${n}`, expiresInSeconds: 600 });
        }),
      apply: (r, token) => {
        r.query.access_token = token;
      },
    });
    expect(fetches).toBe(0);
    const a = request();
    const b = request();
    const pending = Promise.all([auth.apply(a), auth.apply(b)]);
    release();
    await pending;
    expect(fetches).toBe(1);
    expect([a.query.access_token, b.query.access_token]).toEqual(['t1', 't1']);

    // 10% of 600 s (60 s) before expiry the token is renewed, not used to the last second.
    now = 539_000;
    const c = request();
    await auth.apply(c);
    expect(c.query.access_token).toBe('t1');
    now = 541_000;
    const d = request();
    const renewing = auth.apply(d);
    release();
    await renewing;
    expect(d.query.access_token).toBe('t2');
  });

  it('refresh() forces a new token, and a failed fetch is not cached', async () => {
    let n = 0;
    let fail = false;
    const auth = cachedToken({
      fetch: async () => {
        if (fail) throw new Error('vendor down');
        n += 1;
        return { token: `t${n}`, expiresInSeconds: 7200 };
      },
      apply: (r, token) => {
        r.headers.cookie = `session=${token}`;
      },
    });
    const first = request();
    await auth.apply(first);
    await auth.refresh?.();
    const second = request();
    await auth.apply(second);
    expect([first.headers.cookie, second.headers.cookie]).toEqual(['session=t1', 'session=t2']);
    fail = true;
    await expect(auth.refresh?.()).rejects.toThrow('vendor down');
    fail = false;
    const third = request();
    await auth.apply(third);
    expect(third.headers.cookie).toBe('session=t3');
  });
});

describe('static strategies', () => {
  it('put the credential where the scheme says', async () => {
    const basic = request();
    await basicAuth('key', 'x').apply(basic);
    expect(basic.headers.authorization).toBe(`Basic ${Buffer.from('key:x').toString('base64')}`);
    const header = request();
    const strategy = apiKeyHeader('X-API-Key', 'secret');
    await strategy.apply(header);
    expect(header.headers['x-api-key']).toBe('secret');
    expect(strategy.secretHeaders).toEqual(['x-api-key']);
  });
});
