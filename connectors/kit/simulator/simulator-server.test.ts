import axios from 'axios';
import { documentedRateLimit } from './documented-rate-limit.js';
import { SimulatorServer, type SimulatorHandle } from './simulator-server.js';
import { TokenStore } from './token-store.js';

const http = axios.create({ validateStatus: () => true });

describe('SimulatorServer', () => {
  let server: SimulatorServer;
  let handle: SimulatorHandle;

  beforeAll(async () => {
    server = new SimulatorServer({
      name: 'test',
      responders: {
        tooManyRequests: (_req, res, seconds) =>
          void res.status(200).json({ errcode: 45009, errmsg: `limited for ${seconds}s` }),
      },
    });
    server.app.get('/thing', (_req, res) => void res.json({ ok: true }));
    handle = await server.start();
  });
  afterAll(() => handle.stop());
  beforeEach(() => server.faults.reset());

  it('serves the vendor routes', async () => {
    const response = await http.get(`${handle.url}/thing`);
    expect(response.data).toEqual({ ok: true });
  });

  it('injects a 5xx burst and then answers normally, counting what it injected', async () => {
    const before = server.faults.stats.injected5xx;
    server.faults.set({ burst5xx: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await http.get(`${handle.url}/thing`)).status);
    expect(statuses).toEqual([500, 502, 503, 200]);
    expect(server.faults.stats.injected5xx - before).toBe(3);
  });

  it("answers rate limits the vendor's way", async () => {
    server.faults.set({ next429: 1, retryAfterSeconds: 2 });
    expect((await http.get(`${handle.url}/thing`)).data).toEqual({
      errcode: 45009,
      errmsg: 'limited for 2s',
    });
    expect((await http.get(`${handle.url}/thing`)).data).toEqual({ ok: true });
  });

  it('rate limits a share of requests with rate429, reproducibly', async () => {
    server.faults.set({ rate429: 0.5 });
    let limited = 0;
    for (let i = 0; i < 40; i += 1) if ((await http.get(`${handle.url}/thing`)).data.errcode) limited += 1;
    expect(limited).toBeGreaterThan(5);
    expect(limited).toBeLessThan(35);
  });

  it('lets the knobs be read and changed over HTTP, and refuses unknown ones', async () => {
    const changed = await http.put(`${handle.url}/_sim/faults`, { latencyMs: 50 });
    expect(changed.data.settings.latencyMs).toBe(50);
    const started = Date.now();
    await http.get(`${handle.url}/thing`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    const refused = await http.put(`${handle.url}/_sim/faults`, { explode: 1 });
    expect(refused.status).toBe(400);
    expect(refused.data.error).toContain('explode');
  });
});

describe('documentedRateLimit', () => {
  it('answers over-limit requests with the vendor response and a Retry-After', async () => {
    const server = new SimulatorServer({ name: 'limited' });
    server.app.use(
      documentedRateLimit({
        limit: { requestsPerSecond: 1, burst: 2 },
        respond: (_req, res, seconds) => void res.status(429).set('retry-after', String(seconds)).end(),
      }),
    );
    server.app.get('/x', (_req, res) => void res.json({}));
    const handle = await server.start();
    try {
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await http.get(`${handle.url}/x`)).status);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await handle.stop();
    }
  });
});

describe('TokenStore', () => {
  it('tells expired tokens from unknown ones', () => {
    let now = 0;
    const store = new TokenStore<string>(
      () => 60,
      () => now,
    );
    const { token, expiresInSeconds } = store.issue('app');
    expect(expiresInSeconds).toBe(60);
    expect(store.verify(token)).toEqual({ ok: true, subject: 'app' });
    now += 61_000;
    expect(store.verify(token)).toEqual({ ok: false, reason: 'expired' });
    expect(store.verify('nope')).toEqual({ ok: false, reason: 'invalid' });
    const second = store.issue('app');
    store.expireAll();
    expect(store.verify(second.token)).toEqual({ ok: false, reason: 'expired' });
  });
});
