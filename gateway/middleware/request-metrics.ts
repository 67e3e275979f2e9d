import type { RequestHandler } from 'express';
import type { Metrics } from '../metrics.js';

/** Counts and times every request by its route pattern (not its URL, which would explode label cardinality). */
export function requestMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const stop = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const route =
        (req.route as { path?: string } | undefined)?.path ??
        (res.statusCode === 404 ? 'unmatched' : req.baseUrl || 'other');
      const labels = { method: req.method, route: String(route) };
      stop(labels);
      metrics.httpRequests.inc({ ...labels, status: String(res.statusCode) });
    });
    next();
  };
}
