import cluster from 'node:cluster';
import { createServer } from 'node:http';
import express from 'express';
import { createDataSource } from '../core/db/data-source.js';
import { createLogger } from '../core/logger.js';
import { Vault } from '../core/vault/vault.js';
import { errorHandler, notFound } from '../gateway/middleware/errors.js';
import { ssoRoutes } from '../gateway/sso/sso-routes.js';

/**
 * Gateway replicas for the SSO benchmark: REPLICAS Node processes (node:cluster) sharing one port, each with the
 * gateway's real sign-in router and its own PostgreSQL pool — the distributed mode's "any number of stateless
 * replicas" on one machine. Environment: DATABASE_URL, JUNCTION_MASTER_KEY (hex), PUBLIC_URL, PORT, REPLICAS.
 */
const env = process.env;

if (cluster.isPrimary) {
  const replicas = Number(env.REPLICAS ?? 2);
  let ready = 0;
  for (let i = 0; i < replicas; i += 1) {
    const worker = cluster.fork();
    worker.on('message', (message) => {
      if (message === 'ready' && ++ready === replicas) process.stdout.write('ready\n');
    });
  }
  cluster.on('exit', (_worker, code) => {
    if (code !== 0) process.exit(code ?? 1);
  });
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  process.on('SIGTERM', () => {
    if (env.BENCH_REQUEST_CPU) printRequestCpu();
    process.exit(0);
  });
  void (async () => {
    const log = createLogger({ level: env.LOG_LEVEL ?? 'warn', name: 'bench-gateway' });
    const dataSource = createDataSource({
      url: env.DATABASE_URL ?? '',
      poolSize: Number(env.POOL_SIZE ?? 16),
      applicationName: 'bench-gateway',
    });
    await dataSource.initialize();
    const sso = ssoRoutes({
      dataSource,
      vault: new Vault(Buffer.from(env.JUNCTION_MASTER_KEY ?? '', 'hex')),
      log,
      publicUrl: env.PUBLIC_URL ?? '',
    });
    await sso.ready();
    const app = express();
    app.disable('x-powered-by');
    if (env.BENCH_REQUEST_CPU) app.use(requestCpu());
    app.use(sso.router);
    app.use(notFound);
    app.use(errorHandler(log));
    createServer({ keepAliveTimeout: 60_000 }, app).listen(Number(env.PORT), '127.0.0.1', () =>
      process.send?.('ready'),
    );
  })().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

/**
 * BENCH_REQUEST_CPU=1 (with REPLICAS=1 and the bench at --concurrency 1, so no two requests interleave): CPU
 * microseconds per request by route, printed to stderr when the replica stops — which hop of a sign-in costs what.
 * With requests in flight at once the figures mix, so they mean something only at concurrency 1.
 */
const perRoute = new Map<string, { n: number; us: number }>();

function requestCpu(): express.RequestHandler {
  return (req, res, next) => {
    const start = process.cpuUsage();
    res.once('finish', () => {
      const used = process.cpuUsage(start);
      const route = `${req.method} ${req.path.replace(/\/[^/]{16,}/g, '/:id')}`;
      const entry = perRoute.get(route) ?? { n: 0, us: 0 };
      entry.n += 1;
      entry.us += used.user + used.system;
      perRoute.set(route, entry);
    });
    next();
  };
}

function printRequestCpu(): void {
  for (const [route, { n, us }] of [...perRoute].sort((a, b) => b[1].us - a[1].us)) {
    process.stderr.write(`request-cpu ${route} n=${n} us/req=${Math.round(us / n)}\n`);
  }
}
