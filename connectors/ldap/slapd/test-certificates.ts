import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
  /** The CA certificate (PEM) clients must trust: what a connection's `caCertificate` holds. */
  caPem: string;
}

/**
 * A throwaway CA and a server certificate for 127.0.0.1 / localhost, made with the openssl CLI (EC P-256, valid
 * two days), so tests can speak ldaps:// and StartTLS to slapd with a CA that no system trusts.
 */
export async function makeTestCertificates(dir: string): Promise<TestCertificates> {
  mkdirSync(dir, { recursive: true });
  const path = (name: string): string => join(dir, name);
  const openssl = async (args: string[]): Promise<void> => {
    try {
      await run('openssl', args, { cwd: dir });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(
        code === 'ENOENT'
          ? 'openssl not found: TLS for the test slapd needs it (`apt-get install openssl`)'
          : `openssl ${args[0] ?? ''} failed: ${(error as { stderr?: string }).stderr ?? String(error)}`,
        { cause: error },
      );
    }
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    path('ca.key'),
    '-out',
    path('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=Junction test CA',
  ]);
  await openssl([
    'req',
    ...ec,
    '-keyout',
    path('server.key'),
    '-out',
    path('server.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  writeFileSync(path('san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  await openssl([
    'x509',
    '-req',
    '-in',
    path('server.csr'),
    '-CA',
    path('ca.pem'),
    '-CAkey',
    path('ca.key'),
    '-CAcreateserial',
    '-out',
    path('server.pem'),
    '-days',
    '2',
    '-extfile',
    path('san.cnf'),
  ]);
  return {
    caFile: path('ca.pem'),
    certFile: path('server.pem'),
    keyFile: path('server.key'),
    caPem: readFileSync(path('ca.pem'), 'utf8'),
  };
}
