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
  process.on('SIGTERM', () => process.exit(0));
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
