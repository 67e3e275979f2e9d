import { connect, createServer, type Server, type Socket } from 'node:net';
import type { FaultInjector } from '../../kit/simulator/fault-injector.js';
import { SeededRandom } from '../../kit/simulator/seeded-random.js';
import { LdapResult } from '../ldap-errors.js';
import { errorResponse, expectsResponse, frameMessages, type FramedMessage } from './ldap-framing.js';

export interface FaultProxy {
  port: number;
  host: string;
  stop(): Promise<void>;
}

/**
 * A TCP proxy in front of slapd that turns the kit's HTTP-shaped fault knobs into what an LDAP client meets in
 * the wild. It frames each LDAP request (BER) and, per the injector's settings:
 * - latencyMs: holds the request that long;
 * - next429 / rate429: answers it with busy (51), LDAP's "too many requests";
 * - burst5xx: for each request of the burst, alternately drops the connection after letting part of the
 *   server's answer through (a failure mid-read), and answers unavailable (52).
 * Unbind and abandon pass untouched and are not counted; the injector's stats count what was injected.
 */
export async function startFaultProxy(options: {
  upstreamHost: string;
  upstreamPort: number;
  faults: FaultInjector;
  host?: string;
  port?: number;
  seed?: number;
}): Promise<FaultProxy> {
  const { faults } = options;
  const random = new SeededRandom(options.seed ?? 7);
  let burstIndex = 0;
  const sockets = new Set<Socket>();

  const server: Server = createServer((client) => {
    const upstream = connect(options.upstreamPort, options.upstreamHost);
    sockets.add(client);
    sockets.add(upstream);
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', () => {
      sockets.delete(client);
      upstream.end();
    });
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.end();
    });
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);

    /** When set, the next bytes from the server are cut short and the connection dropped. */
    let dropOnAnswer = false;
    upstream.on('data', (chunk: Buffer) => {
      if (!dropOnAnswer) return void client.write(chunk);
      client.write(chunk.subarray(0, Math.floor(chunk.length / 2)), closeBoth);
    });

    let pending = Buffer.alloc(0);
    // Requests are handled in order even when some are held back (latency).
    let queue: Promise<void> = Promise.resolve();
    client.on('data', (chunk: Buffer) => {
      let framed: ReturnType<typeof frameMessages>;
      try {
        framed = frameMessages(Buffer.concat([pending, chunk]));
      } catch {
        return closeBoth();
      }
      pending = Buffer.from(framed.rest);
      for (const message of framed.messages) queue = queue.then(() => handle(message));
    });

    async function handle(message: FramedMessage): Promise<void> {
      if (client.destroyed) return;
      if (!expectsResponse(message.op)) return void upstream.write(message.bytes);
      faults.stats.requests += 1;
      const s = faults.settings;
      if (s.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, s.latencyMs));
      if (s.burst5xx > 0) {
        s.burst5xx -= 1;
        faults.stats.injected5xx += 1;
        if (burstIndex++ % 2 === 0) {
          dropOnAnswer = true;
          upstream.write(message.bytes);
        } else {
          client.write(errorResponse(message, LdapResult.unavailable, 'simulated: server unavailable'));
        }
        return;
      }
      if (s.next429 > 0 || (s.rate429 > 0 && random.chance(s.rate429))) {
        if (s.next429 > 0) s.next429 -= 1;
        faults.stats.injected429 += 1;
        client.write(errorResponse(message, LdapResult.busy, 'simulated: server busy, try again later'));
        return;
      }
      upstream.write(message.bytes);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    host: options.host ?? '127.0.0.1',
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
