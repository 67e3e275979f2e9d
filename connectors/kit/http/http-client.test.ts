import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { z } from 'zod';
import { ConnectorError } from '../errors.js';
import { cachedToken, oauth2ClientCredentials } from './auth.js';
import { HttpClient, type HttpClientOptions } from './http-client.js';

/** A real HTTP server whose behaviour each test scripts; the client is exercised over real sockets. */
let server: Server;
let baseUrl: string;
let handler: express.RequestHandler = (_req, res) => void res.status(500).end();
let hits = 0;
const logLines: string[] = [];
const lateTimers: NodeJS.Timeout[] = [];

beforeAll(async () => {
  const app = express();
  app.use(express.json());
  app.use(express.urlencoded({ extended: false }));
  app.use((req, res, next) => {
    hits += 1;
    handler(req, res, next);
  });
  await new Promise<void>((resolve) => {
    server = app.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  for (const timer of lateTimers) clearTimeout(timer);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  hits = 0;
  logLines.length = 0;
});

let connectionSeq = 0;
function client(options: Partial<HttpClientOptions> = {}): HttpClient {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString());
      callback();
    },
  });
  connectionSeq += 1;
  return new HttpClient({
    baseUrl,
    connectorId: 'test',
    connectionId: `c${connectionSeq}`,
    log: pino({ level: 'trace' }, sink),
    rateLimit: { requestsPerSecond: 1000, burst: 100 },
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    vendorName: 'Vendor',
    ...options,
  });
}

describe('HttpClient', () => {
  it('retries a burst of 5xx and then returns the parsed body', async () => {
    let n = 0;
    handler = (_req, res) => {
      n += 1;
      if (n <= 3) return void res.status([500, 502, 503][n - 1]!).send('boom');
      res.json({ id: 7, name: 'x' });
    };
    const response = await client().get('/thing', { schema: z.object({ id: z.number(), name: z.string() }) });
    expect(response.data).toEqual({ id: 7, name: 'x' });
    expect(hits).toBe(4);
  });

  it('gives up after maxAttempts with a retryable unavailable that carries a retry delay', async () => {
    handler = (_req, res) => void res.status(503).json({ message: 'down for maintenance' });
    const error = await client({ retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 10 } })
      .get('/thing')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    const failure = error as ConnectorError;
    expect(failure.connectorCode).toBe('unavailable');
    expect(failure.retryable).toBe(true);
    expect(failure.retryAfterMs).toBeGreaterThanOrEqual(0);
    expect(failure.vendorMessage).toBe('down for maintenance');
    expect(hits).toBe(3);
  });

  it('waits Retry-After (seconds) on 429 before retrying, and holds the whole connection', async () => {
    let limited = false;
    handler = (_req, res) => {
      if (!limited) {
        limited = true;
        return void res.status(429).set('retry-after', '1').json({ message: 'slow down' });
      }
      res.json({ ok: true });
    };
    const http = client();
    const started = Date.now();
    const first = http.get('/a');
    // A second request of the same connection, sent while the first is waiting, also waits for the hold.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = http.get('/b');
    await Promise.all([first, second]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(hits).toBe(3);
  });

  it('reads Retry-After as an HTTP date', async () => {
    let limited = false;
    handler = (_req, res) => {
      if (!limited) {
        limited = true;
        return void res
          .status(429)
          .set('retry-after', new Date(Date.now() + 1500).toUTCString())
          .end();
      }
      res.json({ ok: true });
    };
    const started = Date.now();
    await client().get('/a');
    // HTTP dates have one-second resolution: the wait is between 0.5 and 1.5 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  });

  it('fails at once with rate_limited and retryAfterMs when the vendor asks for a long wait', async () => {
    handler = (_req, res) => void res.status(429).set('retry-after', '120').end();
    const error = (await client()
      .get('/a')
      .catch((e: unknown) => e)) as ConnectorError;
    expect(error.connectorCode).toBe('rate_limited');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(120_000);
    expect(hits).toBe(1);
  });

  it('refreshes the credential once on 401 and resends', async () => {
    let issued = 0;
    const auth = cachedToken({
      fetch: async () => ({ token: `t${++issued}`, expiresInSeconds: 3600 }),
      apply: (request, token) => {
        request.query.access_token = token;
      },
      secretQueryParams: ['access_token'],
    });
    handler = (req, res) => {
      if (req.query.access_token !== 't2') return void res.status(401).json({ message: 'token expired' });
      res.json({ ok: true });
    };
    const response = await client({ auth }).get('/a');
    expect(response.data).toEqual({ ok: true });
    expect(issued).toBe(2);
    // The token never reaches a log line.
    expect(logLines.join('')).not.toMatch(/access_token=t\d/);
    expect(logLines.join('')).toContain('access_token=%5Bredacted%5D');
  });

  it('reports auth_failed (non-retryable) when the refreshed credential is rejected too', async () => {
    const auth = cachedToken({
      fetch: async () => ({ token: 'bad', expiresInSeconds: 3600 }),
      apply: (request, token) => {
        request.headers.authorization = `Bearer ${token}`;
      },
    });
    handler = (_req, res) =>
      void res.status(401).json({ error: { code: 'Unauthorized', message: 'Invalid API key' } });
    const error = (await client({ auth })
      .get('/a')
      .catch((e: unknown) => e)) as ConnectorError;
    expect(error.connectorCode).toBe('auth_failed');
    expect(error.retryable).toBe(false);
    expect(error.publicMessage).toContain('Invalid API key');
    expect(hits).toBe(2);
  });

  it.each([
    [403, 'permission_denied'],
    [404, 'not_found'],
    [409, 'conflict'],
    [400, 'vendor_error'],
    [422, 'vendor_error'],
  ])('maps HTTP %i to %s, non-retryable, with the vendor message', async (status, code) => {
    handler = (_req, res) => void res.status(status).json({ title: 'Nope', detail: `because ${status}` });
    const error = (await client()
      .post('/a', { body: { x: 1 } })
      .catch((e: unknown) => e)) as ConnectorError;
    expect(error.connectorCode).toBe(code);
    expect(error.retryable).toBe(false);
    expect(error.vendorMessage).toBe(`because ${status}`);
    expect(hits).toBe(1);
  });

  it('rejects a body that does not match the schema, naming the field', async () => {
    handler = (_req, res) => void res.json({ items: [{ id: 'x' }] });
    const error = (await client()
      .get('/a', { schema: z.object({ items: z.array(z.object({ id: z.number() })) }) })
      .catch((e: unknown) => e)) as ConnectorError;
    expect(error.connectorCode).toBe('vendor_error');
    expect(error.publicMessage).toContain('items.0.id');
  });

  it('lets a classifier turn a 200 with a vendor error code into a rate limit or an auth refresh', async () => {
    let n = 0;
    let refreshed = 0;
    handler = (_req, res) => {
      n += 1;
      if (n === 1) return void res.json({ errcode: 45009, errmsg: 'api freq out of limit' });
      if (n === 2) return void res.json({ errcode: 42001, errmsg: 'access_token expired' });
      res.json({ errcode: 0, value: 1 });
    };
    const response = await client({
      auth: { apply: async () => undefined, refresh: async () => void (refreshed += 1) },
      classifyResponse: ({ data }) => {
        const body = data as { errcode?: number; errmsg?: string };
        if (body.errcode === 45009) {
          return new ConnectorError('rate_limited', { message: 'frequency limit', retryAfterMs: 50 });
        }
        if (body.errcode === 42001) return 'retry_auth';
        return undefined;
      },
    }).get('/a', { schema: z.object({ errcode: z.literal(0), value: z.number() }) });
    expect(response.data.value).toBe(1);
    expect(refreshed).toBe(1);
    expect(n).toBe(3);
  });

  it('times out a slow attempt and retries it', async () => {
    let n = 0;
    handler = (_req, res) => {
      n += 1;
      if (n === 1) {
        lateTimers.push(setTimeout(() => res.json({ late: true }), 1000));
        return;
      }
      res.json({ late: false });
    };
    const response = await client({ timeoutMs: 200 }).get('/a');
    expect(response.data).toEqual({ late: false });
  });

  it('does not resend a non-retryable request after a 5xx', async () => {
    handler = (_req, res) => void res.status(500).end();
    const error = (await client()
      .post('/create', { body: { a: 1 }, retry: false })
      .catch((e: unknown) => e)) as ConnectorError;
    expect(error.connectorCode).toBe('unavailable');
    expect(hits).toBe(1);
  });

  it('reports an unreachable vendor as unavailable', async () => {
    const error = (await client({ baseUrl: 'http://127.0.0.1:1', retry: { maxAttempts: 2, baseDelayMs: 1 } })
      .get('/a')
      .catch((e: unknown) => e)) as ConnectorError;
    expect(error.connectorCode).toBe('unavailable');
    expect(error.retryable).toBe(true);
    expect(error.publicMessage).toContain('ECONNREFUSED');
  });

  it('sends forms, repeated query keys, and redacts secret headers and body fields in trace logs', async () => {
    let seen: { query: unknown; body: unknown; auth: unknown } | undefined;
    handler = (req, res) => {
      seen = { query: req.query, body: req.body as unknown, auth: req.headers.authorization };
      res.json({});
    };
    await client({ auth: { apply: async (r) => void (r.headers.authorization = 'Basic c2VjcmV0') } }).post(
      '/f',
      {
        query: { 'filter[ids]': [1, 2], skip: undefined },
        body: { name: 'n', password: 'hunter2' },
        form: true,
      },
    );
    expect(seen).toEqual({
      query: { 'filter[ids]': ['1', '2'] },
      body: { name: 'n', password: 'hunter2' },
      auth: 'Basic c2VjcmV0',
    });
    const logs = logLines.join('');
    expect(logs).not.toContain('hunter2');
    expect(logs).not.toContain('c2VjcmV0');
  });

  it('cancels a wait when the signal aborts', async () => {
    handler = (_req, res) => void res.status(429).set('retry-after', '30').end();
    const controller = new AbortController();
    const pending = client({ signal: controller.signal }).get('/a');
    setTimeout(() => controller.abort(new Error('cancelled')), 100);
    await expect(pending).rejects.toThrow('cancelled');
  });
});

describe('oauth2ClientCredentials', () => {
  it('gets a token with client_secret_basic, caches it, and reports bad client credentials clearly', async () => {
    let tokens = 0;
    handler = (req, res) => {
      if (req.path === '/token') {
        const basic = Buffer.from(
          (req.headers.authorization ?? '').replace('Basic ', ''),
          'base64',
        ).toString();
        const form = req.body as Record<string, string>;
        if (basic !== 'client:s3cret' || form.grant_type !== 'client_credentials') {
          return void res.status(401).json({ error: 'invalid_client' });
        }
        tokens += 1;
        return void res.json({ access_token: `tok${tokens}`, token_type: 'Bearer', expires_in: 3600 });
      }
      if (req.headers.authorization !== 'Bearer tok1') return void res.status(401).end();
      res.json({ ok: true });
    };
    const http = client({
      auth: oauth2ClientCredentials({
        tokenUrl: `${baseUrl}/token`,
        clientId: 'client',
        clientSecret: 's3cret',
      }),
    });
    await Promise.all([http.get('/a'), http.get('/b'), http.get('/c')]);
    expect(tokens).toBe(1);

    const bad = client({
      auth: oauth2ClientCredentials({
        tokenUrl: `${baseUrl}/token`,
        clientId: 'client',
        clientSecret: 'wrong',
      }),
    });
    const error = (await bad.get('/a').catch((e: unknown) => e)) as ConnectorError;
    expect(error.connectorCode).toBe('auth_failed');
    expect(error.vendorCode).toBe('invalid_client');
    expect(error.retryable).toBe(false);
  });
});
