import type { RequestHandler } from 'express';

/** One request and the simulator's answer, as a test validating traffic against the vendor's spec sees them. */
export interface Exchange {
  method: string;
  /** Path without the query string, as the vendor's route sees it. */
  path: string;
  query: Record<string, unknown>;
  requestHeaders: Record<string, string | string[] | undefined>;
  requestBody: unknown;
  status: number;
  responseHeaders: Record<string, unknown>;
  /** The JSON body sent, or the text; undefined when empty. */
  responseBody: unknown;
}

/**
 * Records exchanges while `enabled`: `res.json` / `res.send` bodies are captured as sent. Off by default, because
 * a 100,000-person read would otherwise keep every page in memory.
 */
export class ExchangeRecorder {
  enabled = false;
  readonly exchanges: Exchange[] = [];

  middleware(): RequestHandler {
    return (req, res, next) => {
      if (!this.enabled || req.path.startsWith('/_sim/')) return next();
      let body: unknown;
      // Routers rewrite req.url / req.path while routing; keep what the client asked for.
      const path = req.path;
      const query = { ...(req.query as Record<string, unknown>) };
      const originalJson = res.json.bind(res);
      const originalSend = res.send.bind(res);
      res.json = (value: unknown) => {
        body = value;
        return originalJson(value);
      };
      res.send = (value?: unknown) => {
        if (body === undefined) body = typeof value === 'string' ? tryJson(value) : value;
        return originalSend(value);
      };
      res.on('finish', () => {
        this.exchanges.push({
          method: req.method,
          path,
          query,
          requestHeaders: { ...req.headers },
          requestBody: req.body as unknown,
          status: res.statusCode,
          responseHeaders: { ...res.getHeaders() },
          responseBody: body,
        });
      });
      next();
    };
  }

  clear(): void {
    this.exchanges.length = 0;
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
