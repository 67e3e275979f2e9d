import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'ldapts';
import type { Logger } from '../../../core/logger.js';
import { withDeadline } from '../../../core/with-deadline.js';
import { childDn, parseDn } from '../protocol/dn.js';
import { formatLdifEntry, type LdifEntry } from '../protocol/ldif.js';
import { baseEntries, directoryLayout, type DirectoryLayout } from './base-entries.js';
import { findSlapd, type SlapdInstallation } from './find-slapd.js';
import { slapdConfigLdif, sshaHash, type DirectoryFlavour } from './slapd-config.js';
import { makeTestCertificates } from './test-certificates.js';

export type SlapdSeed = string | Iterable<LdifEntry> | AsyncIterable<LdifEntry>;

export interface LaunchSlapdOptions {
  /** `openldap` (inetOrgPerson, groupOfNames, ppolicy) or `ad` (the Active Directory emulation schema). */
  flavour?: DirectoryFlavour;
  /** Default `dc=example,dc=org`. */
  baseDn?: string;
  /** The root DN's password; random when omitted. */
  adminPassword?: string;
  /** Password of the read-only account `cn=reader,<baseDn>`; random when omitted. */
  readerPassword?: string;
  /**
   * Entries bulk-loaded with `slapadd` before the server starts, below the base structure the launcher creates
   * (`<baseDn>`, `ou=people`, `ou=groups`, `cn=reader`, and for openldap `ou=policies`). LDIF text or entries;
   * iterables are streamed, so 100,000 entries never sit in memory.
   */
  seed?: SlapdSeed;
  /** Default: a free loopback port. */
  port?: number;
  /** Default 30 s: how long to wait for the server to accept a bind. */
  startTimeoutMs?: number;
  /** Largest page a paged search may ask for (default 1000, AD's MaxPageSize). */
  maxPageSize?: number;
  /** Also serve ldaps:// (and StartTLS on ldap://) with a throwaway CA; needs the openssl CLI. */
  tls?: boolean;
  log?: Logger;
  env?: NodeJS.ProcessEnv;
}

export interface RunningSlapd extends DirectoryLayout {
  flavour: DirectoryFlavour;
  url: string;
  host: string;
  port: number;
  adminDn: string;
  adminPassword: string;
  readerPassword: string;
  /** The temporary directory holding cn=config and the database (removed by stop()). */
  dataDir: string;
  /** With `tls`: the ldaps:// URL and the CA certificate (PEM) that signed the server's certificate. */
  tls?: { url: string; port: number; caCertificate: string };
  /** What the seed load took: entries loaded by slapadd (base structure included) and milliseconds. */
  seeded: { entries: number; ms: number };
  /** Stops slapd and removes its directory. Safe to call twice. */
  stop(): Promise<void>;
  /** Stops the slapd process but keeps its data: the directory is down until resume() (fault injection). */
  halt(): Promise<void>;
  /** Starts slapd again on the same port with the same data. */
  resume(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * Starts a throwaway, real OpenLDAP slapd on loopback with its own generated cn=config in a temporary directory:
 * `slapadd -n0` loads the config, `slapadd -n1` bulk-loads the base structure and seed, then slapd runs in the
 * foreground (`-d none`) under a tiny shell guard that kills it when our process goes away, so no slapd outlives
 * the test run. Resolves once an admin bind succeeds; fails with slapd's own words (or how to install it) within
 * the deadline, never hangs. Works as root (CI) and as a normal user.
 */
export async function launchSlapd(options: LaunchSlapdOptions = {}): Promise<RunningSlapd> {
  const install = findSlapd(options.env);
  const flavour = options.flavour ?? 'openldap';
  const baseDn = options.baseDn ?? 'dc=example,dc=org';
  parseDn(baseDn);
  const layout = directoryLayout(baseDn);
  const adminDn = childDn('cn=admin', baseDn);
  const adminPassword = options.adminPassword ?? randomBytes(12).toString('base64url');
  const readerPassword = options.readerPassword ?? randomBytes(12).toString('base64url');
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;

  const dataDir = mkdtempSync(join(tmpdir(), 'junction-slapd-'));
  const configDir = join(dataDir, 'config');
  mkdirSync(configDir);
  mkdirSync(join(dataDir, 'db'));
  mkdirSync(join(dataDir, 'accesslog'));
  let server: SlapdProcess | undefined;
  try {
    const certificates = options.tls ? await makeTestCertificates(join(dataDir, 'tls')) : undefined;
    const config = slapdConfigLdif({
      ...(certificates ? { tls: certificates } : {}),
      flavour,
      baseDn,
      rootDn: adminDn,
      rootPassword: adminPassword,
      dataDir,
      install,
      policyDn: layout.policyDn,
      maxPageSize: options.maxPageSize ?? 1000,
    });
    await slapadd(install, ['-n0', '-F', configDir], toChunks(config), startTimeoutMs, 'load cn=config');

    const started = Date.now();
    let entries = 0;
    // Entries go to slapadd in chunks of some 64 KB: one pipe write per entry costs more than the LDIF itself.
    const counted = async function* (): AsyncGenerator<string> {
      let chunk = '';
      for (const entry of baseEntries(layout, flavour, sshaHash(readerPassword))) {
        entries++;
        chunk += formatLdifEntry(entry);
      }
      const seed = options.seed;
      if (typeof seed === 'string') {
        entries += (seed.match(/^dn::? /gim) ?? []).length;
        chunk += `${seed.trim()}\n\n`;
      } else if (seed) {
        for await (const entry of seed) {
          entries++;
          chunk += formatLdifEntry(entry);
          if (chunk.length >= 65_536) {
            yield chunk;
            chunk = '';
          }
        }
      }
      if (chunk) yield chunk;
    };
    // Seeds of 100,000 entries take a while; the start deadline applies to slapd, not to the bulk load.
    await slapadd(
      install,
      ['-q', '-n1', '-F', configDir],
      counted(),
      Math.max(startTimeoutMs, 600_000),
      'load the seed',
    );
    const seeded = { entries, ms: Date.now() - started };
    options.log?.debug({ dataDir, ...seeded }, 'slapd seeded');

    const fixedPort = options.port;
    let port = fixedPort ?? (await freeLoopbackPort());
    let tlsPort = certificates ? await freeLoopbackPort() : undefined;
    const listen = (): string[] => [
      `ldap://${HOST}:${port}/`,
      ...(tlsPort ? [`ldaps://${HOST}:${tlsPort}/`] : []),
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        server = await startServer(
          install,
          configDir,
          listen(),
          port,
          adminDn,
          adminPassword,
          startTimeoutMs,
        );
        break;
      } catch (error) {
        // Another process took the free port between our probe and slapd's bind: try another one.
        if (fixedPort === undefined && attempt < 3 && String(error).includes('errno=98')) {
          port = await freeLoopbackPort();
          if (tlsPort) tlsPort = await freeLoopbackPort();
          continue;
        }
        throw error;
      }
    }
    options.log?.debug({ port, flavour, baseDn }, 'slapd started');

    let stopped = false;
    const running: RunningSlapd = {
      ...layout,
      flavour,
      url: `ldap://${HOST}:${port}`,
      host: HOST,
      port,
      adminDn,
      adminPassword,
      readerPassword,
      dataDir,
      ...(certificates && tlsPort
        ? { tls: { url: `ldaps://${HOST}:${tlsPort}`, port: tlsPort, caCertificate: certificates.caPem } }
        : {}),
      seeded,
      async stop() {
        if (stopped) return;
        stopped = true;
        await server?.kill();
        rmSync(dataDir, { recursive: true, force: true });
      },
      async halt() {
        await server?.kill();
        server = undefined;
      },
      async resume() {
        if (stopped) throw new Error('slapd was stopped for good');
        if (server?.alive()) return;
        server = await startServer(
          install,
          configDir,
          listen(),
          port,
          adminDn,
          adminPassword,
          startTimeoutMs,
        );
      },
    };
    return running;
  } catch (error) {
    await server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

async function* toChunks(text: string): AsyncGenerator<string> {
  yield text;
}

/** Runs slapadd, streaming LDIF into its stdin with back-pressure. */
async function slapadd(
  install: SlapdInstallation,
  args: string[],
  ldif: AsyncIterable<string>,
  deadlineMs: number,
  what: string,
): Promise<void> {
  const child = spawn(install.slapadd, args, { stdio: ['pipe', 'ignore', 'pipe'] });
  const stderr = tail(child);
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const feed = (async () => {
    try {
      for await (const chunk of ldif) {
        if (!child.stdin.write(chunk)) await once(child.stdin, 'drain');
      }
    } finally {
      child.stdin.end();
    }
  })();
  try {
    const [code] = await withDeadline(
      Promise.all([
        exited,
        feed.catch((error: unknown) => {
          // slapadd stopped reading (it failed on an entry): its exit code and stderr say why.
          if ((error as NodeJS.ErrnoException).code === 'EPIPE') return;
          throw error;
        }),
      ]),
      deadlineMs,
      `slapadd (${what}) did not finish`,
    );
    if (code !== 0) throw new Error(`slapadd could not ${what} (exit ${code}): ${stderr()}`);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

interface SlapdProcess {
  alive(): boolean;
  kill(): Promise<void>;
}

/**
 * Why a shell: slapd must not outlive us even when the test runner is killed with SIGKILL. The guard runs slapd,
 * prints its pid, and kills it as soon as its stdin (a pipe from us) reaches end-of-file, which the kernel
 * delivers when our process dies, whatever the signal.
 */
export const GUARD = [
  'exec 3<&0',
  '"$0" "$@" &',
  'pid=$!',
  'echo "$pid"',
  '( read -r _ <&3; kill -TERM "$pid" 2>/dev/null ) &',
  'guard=$!',
  'wait "$pid"; status=$?',
  'kill "$guard" 2>/dev/null',
  'exit "$status"',
].join('\n');

async function startServer(
  install: SlapdInstallation,
  configDir: string,
  urls: string[],
  port: number,
  adminDn: string,
  adminPassword: string,
  deadlineMs: number,
): Promise<SlapdProcess> {
  const child = spawn(
    'sh',
    ['-c', GUARD, install.slapd, '-h', urls.join(' '), '-F', configDir, '-d', 'none'],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const stderr = tail(child);
  let pid: number | undefined;
  child.stdout.setEncoding('utf8').once('data', (text: string) => {
    pid = Number.parseInt(text, 10);
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('close', (code) => {
      exitCode = code;
      resolve();
    });
  });
  child.once('error', () => undefined);

  const kill = async (): Promise<void> => {
    if (exitCode !== undefined) return;
    child.stdin.end();
    try {
      await withDeadline(exited, 10_000, 'slapd did not stop');
    } catch {
      if (pid) process.kill(pid, 'SIGKILL');
      child.kill('SIGKILL');
      await exited;
    }
  };

  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(`slapd exited (code ${exitCode}) before accepting connections: ${stderr()}`);
    }
    if (await canBind(port, adminDn, adminPassword)) break;
    if (Date.now() > deadline) {
      await kill();
      throw new Error(
        `slapd did not accept a bind on port ${port} within ${deadlineMs / 1000} s: ${stderr()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { alive: () => exitCode === undefined, kill };
}

async function canBind(port: number, dn: string, password: string): Promise<boolean> {
  const client = new Client({ url: `ldap://${HOST}:${port}`, connectTimeout: 1000, timeout: 2000 });
  try {
    await client.bind(dn, password);
    return true;
  } catch {
    return false;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** The last lines a child wrote to stderr, for error messages. */
function tail(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    text = (text + chunk).slice(-4000);
  });
  return () => {
    const lines = text
      .split('\n')
      .map((l) => l.replace(/^[0-9a-f]+\.[0-9a-f]+ 0x[0-9a-f]+ /, '').trim())
      .filter((l) => l && !l.startsWith('@(#)') && !l.startsWith('Debian OpenLDAP'));
    return lines.slice(-6).join(' | ') || '(no output)';
  };
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
