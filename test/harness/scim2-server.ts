import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../bin/runtime/free-port.js';

/**
 * Runs `scim2-server` (PyPI, by Yaal Coop) as a real third-party SCIM 2.0 service provider for the `scim`
 * connector's tests: its own CLI (`python3 -m scim2_server.testserver.cli`, an in-memory store, static bearer
 * tokens) on a free loopback port. Fails fast with what to install when the package is missing; never hangs.
 */
export const SCIM2_SERVER_VERSION = '0.8.3';
const INSTALL_HINT = `install it with \`python3 -m pip install 'scim2-server==${SCIM2_SERVER_VERSION}'\` (.ci/run does)`;

export interface Scim2ServerOptions {
  /** The bearer token the server accepts. */
  token?: string;
  /** The Python interpreter that has scim2-server. Default $SCIM2_SERVER_PYTHON, else python3. */
  python?: string;
  /** Replaces the announced ServiceProviderConfig (RFC 7643 §5), e.g. to turn PATCH or ETags off. */
  serviceProviderConfig?: Record<string, unknown>;
  startTimeoutMs?: number;
}

export interface Scim2ServerHandle {
  /** The SCIM base URL (`http://127.0.0.1:PORT/v2`). */
  baseUrl: string;
  token: string;
  version: string;
  /** What the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** The installed scim2-server version, or an Error saying what to install. */
export function findScim2Server(python = defaultPython()): { python: string; version: string } | Error {
  const probe = spawnSync(
    python,
    ['-c', 'import importlib.metadata as m, scim2_server.testserver.cli; print(m.version("scim2-server"))'],
    { encoding: 'utf8', timeout: 30_000 },
  );
  if (probe.error)
    return new Error(`scim2-server: cannot run ${python} (${probe.error.message}); ${INSTALL_HINT}`);
  if (probe.status !== 0) {
    const why = probe.stderr.trim().split('\n').at(-1) ?? `exit ${String(probe.status)}`;
    return new Error(`scim2-server is not installed for ${python} (${why}); ${INSTALL_HINT}`);
  }
  return { python, version: probe.stdout.trim() };
}

export async function startScim2Server(options: Scim2ServerOptions = {}): Promise<Scim2ServerHandle> {
  const found = findScim2Server(options.python);
  if (found instanceof Error) throw found;
  const token = options.token ?? 'scim2-server-test-token';
  const workDir = mkdtempSync(join(tmpdir(), 'junction-scim2-server-'));
  const args = ['-m', 'scim2_server.testserver.cli', '--hostname', '127.0.0.1', '--bearer-token', token];
  if (options.serviceProviderConfig) {
    const file = join(workDir, 'service-provider-config.json');
    writeFileSync(file, JSON.stringify(options.serviceProviderConfig));
    args.push('--service-provider-config', file);
  }
  let lastError: Error | undefined;
  // freePort() can lose a race with another process between probing and binding: try a few ports.
  for (let tries = 0; tries < 3; tries += 1) {
    const port = await freePort();
    try {
      const handle = await launch(found.python, [...args, '--port', String(port)], port, token, options);
      return {
        ...handle,
        version: found.version,
        stop: async () => {
          await handle.stop();
          rmSync(workDir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error as Error;
      if (!/address already in use/i.test(lastError.message)) break;
    }
  }
  rmSync(workDir, { recursive: true, force: true });
  throw lastError ?? new Error('scim2-server did not start');
}

async function launch(
  python: string,
  args: string[],
  port: number,
  token: string,
  options: Scim2ServerOptions,
): Promise<Omit<Scim2ServerHandle, 'version'>> {
  const child = spawn(python, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    // Keep the tail only: the server logs a line per request.
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const baseUrl = `http://127.0.0.1:${port}/v2`;
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    await terminate(child);
  };
  try {
    await waitUntilServing(child, baseUrl, token, options.startTimeoutMs ?? 20_000, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, token, output: () => output, stop };
}

async function waitUntilServing(
  child: ChildProcess,
  baseUrl: string,
  token: string,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited (${signal ?? `code ${String(code)}`})`;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`scim2-server ${exited} before serving: ${tail(output())}`);
    try {
      const response = await fetch(`${baseUrl}/ServiceProviderConfig`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(2_000),
      });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `scim2-server did not answer on ${baseUrl} within ${timeoutMs / 1000} s: ${tail(output())}`,
  );
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function tail(text: string): string {
  const lines = text.trim().split('\n').slice(-5).join(' | ');
  return lines || '(no output)';
}

function defaultPython(): string {
  return process.env.SCIM2_SERVER_PYTHON ?? 'python3';
}
