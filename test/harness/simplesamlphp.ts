import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../bin/runtime/free-port.js';
import { withDeadline } from '../../core/with-deadline.js';
import { generateSamlKey } from '../../sso/provider/keys/generate-keys.js';

/**
 * A subsidiary's SAML IdP: SimpleSAMLphp 1.19 from the Debian package, run by `php -S` on a free loopback port with
 * its whole configuration generated into a temporary directory (SIMPLESAMLPHP_CONFIG_DIR) — nothing under /usr or
 * /etc is touched. Users come from `exampleauth:UserPass`; the IdP signs assertions and responses with a throwaway
 * key, issues persistent NameIDs (saml:PersistentNameID from `uid`), and knows one SP: Junction.
 */
export interface SimpleSamlUser {
  username: string;
  password: string;
  attributes: Record<string, string[]>;
}

export interface SimpleSamlPhp {
  url: string;
  entityId: string;
  ssoUrl: string;
  certificatePem: string;
  stop(): Promise<void>;
}

export interface SimpleSamlOptions {
  sp: { entityId: string; acsUrl: string; certificatePem?: string; encryptAssertions?: boolean };
  users: SimpleSamlUser[];
}

const SSP_ROOT = '/usr/share/simplesamlphp';

export async function startSimpleSamlPhp(options: SimpleSamlOptions): Promise<SimpleSamlPhp> {
  if (!existsSync(`${SSP_ROOT}/www/index.php`)) {
    throw new Error(
      `simplesamlphp harness: ${SSP_ROOT} not found — install the Debian package simplesamlphp (see .ci/run)`,
    );
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'junction-ssp-'));
  for (const sub of ['config', 'metadata', 'cert', 'log', 'data', 'tmp', 'sessions'])
    mkdirSync(join(dir, sub));
  const key = await generateSamlKey('SimpleSAMLphp test IdP');
  writeFileSync(join(dir, 'cert', 'idp.key'), key.privateKeyPem, { mode: 0o600 });
  writeFileSync(join(dir, 'cert', 'idp.crt'), key.certificatePem);
  writeFileSync(join(dir, 'config', 'config.php'), configPhp(dir, url));
  writeFileSync(join(dir, 'config', 'authsources.php'), authsourcesPhp(options.users));
  writeFileSync(join(dir, 'metadata', 'saml20-idp-hosted.php'), idpHostedPhp());
  writeFileSync(join(dir, 'metadata', 'saml20-sp-remote.php'), spRemotePhp(options.sp));

  const child: ChildProcess = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', `${SSP_ROOT}/www`], {
    env: { ...process.env, SIMPLESAMLPHP_CONFIG_DIR: join(dir, 'config') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`php -S exited with ${String(code)}: ${output}`))),
  );
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const entityId = `${url}/saml2/idp/metadata.php`;
  try {
    await withDeadline(
      Promise.race([waitForMetadata(entityId), exited]),
      20_000,
      'simplesamlphp harness: IdP metadata not served',
    );
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${output}`, { cause: error });
  }
  exited.catch(() => undefined);
  return {
    url,
    entityId,
    ssoUrl: `${url}/saml2/idp/SSOService.php`,
    certificatePem: key.certificatePem,
    stop,
  };
}

async function waitForMetadata(url: string): Promise<void> {
  for (;;) {
    try {
      const response = await fetch(url);
      const body = await response.text();
      if (response.ok && body.includes('IDPSSODescriptor')) return;
      if (response.status >= 500)
        throw new Error(`metadata answered ${response.status}: ${body.slice(0, 500)}`);
    } catch (error) {
      if (error instanceof Error && /answered/.test(error.message)) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const php = (value: unknown): string => {
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map(php).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `[${Object.entries(value)
      .map(([k, v]) => `${php(k)} => ${php(v)}`)
      .join(', ')}]`;
  }
  return 'null';
};

function configPhp(dir: string, url: string): string {
  return `<?php\n$config = ${php({
    baseurlpath: `${url}/`,
    certdir: join(dir, 'cert') + '/',
    loggingdir: join(dir, 'log') + '/',
    datadir: join(dir, 'data') + '/',
    tempdir: join(dir, 'tmp'),
    metadatadir: join(dir, 'metadata') + '/',
    technicalcontact_name: 'Junction tests',
    technicalcontact_email: 'tests@example.test',
    timezone: 'UTC',
    secretsalt: randomBytes(24).toString('hex'),
    'auth.adminpassword': randomBytes(24).toString('hex'),
    'admin.protectindexpage': true,
    'admin.protectmetadata': false,
    'logging.level': 4,
    'logging.handler': 'file',
    'logging.logfile': 'simplesamlphp.log',
    'enable.saml20-idp': true,
    'module.enable': { exampleauth: true, core: true, saml: true, admin: true },
    'session.cookie.secure': false,
    'session.cookie.name': 'SimpleSAMLSessionID',
    'session.phpsession.cookiename': 'SimpleSAML',
    'session.phpsession.savepath': join(dir, 'sessions'),
    'store.type': 'phpsession',
    'language.available': ['en'],
    'language.default': 'en',
    'theme.use': 'default:default',
  })};\n`;
}

function authsourcesPhp(users: SimpleSamlUser[]): string {
  const userpass: Record<string, unknown> = { 0: 'exampleauth:UserPass' };
  for (const user of users) userpass[`${user.username}:${user.password}`] = user.attributes;
  return `<?php\n$config = ${php({ admin: ['core:AdminPassword'], 'example-userpass': userpass })};\n`;
}

function idpHostedPhp(): string {
  return `<?php\n$metadata['__DYNAMIC:1__'] = ${php({
    host: '__DEFAULT__',
    privatekey: 'idp.key',
    certificate: 'idp.crt',
    auth: 'example-userpass',
    'saml20.sign.assertion': true,
    'saml20.sign.response': true,
    'signature.algorithm': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    authproc: { 90: { class: 'saml:PersistentNameID', attribute: 'uid' } },
  })};\n`;
}

function spRemotePhp(sp: SimpleSamlOptions['sp']): string {
  const entry: Record<string, unknown> = {
    AssertionConsumerService: [
      { Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', Location: sp.acsUrl, index: 0 },
    ],
    NameIDFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    'saml20.sign.assertion': true,
    'saml20.sign.response': true,
  };
  if (sp.certificatePem) {
    entry.certData = sp.certificatePem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
    entry['assertion.encryption'] = sp.encryptAssertions === true;
  }
  return `<?php\n$metadata[${php(sp.entityId)}] = ${php(entry)};\n`;
}
