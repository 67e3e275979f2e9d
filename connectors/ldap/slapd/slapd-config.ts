import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { adEmulationSchemaLdif } from './ad-schema.js';
import type { SlapdInstallation } from './find-slapd.js';
import { ldifLine } from '../protocol/ldif.js';

export type DirectoryFlavour = 'openldap' | 'ad';

export interface SlapdConfigInput {
  flavour: DirectoryFlavour;
  baseDn: string;
  rootDn: string;
  rootPassword: string;
  dataDir: string;
  install: SlapdInstallation;
  /** The default password policy entry (openldap flavour): lockout honoured, so disabled accounts cannot bind. */
  policyDn: string;
  /** Largest page a paged search may ask for (AD's MaxPageSize is 1000). */
  maxPageSize: number;
  /** Certificate files for ldaps:// and StartTLS; absent: plain LDAP only. */
  tls?: { caFile: string; certFile: string; keyFile: string };
}

/** `{SSHA}` as slapd verifies it (salted SHA-1, RFC 2307 userPassword scheme). */
export function sshaHash(password: string): string {
  const salt = randomBytes(8);
  const digest = createHash('sha1').update(password, 'utf8').update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`;
}

/** The suffix of the openldap flavour's slapo-accesslog database. */
export const ACCESSLOG_SUFFIX = 'cn=accesslog';

/**
 * openldap flavour: slapo-accesslog(5) writes every successful delete in the main database as an `auditDelete`
 * entry (with `reqDN` and `reqEntryUUID`) below cn=accesslog, kept a week. It is what lets an incremental read
 * see people deleted in the directory (`accesslogDn` in the connector config); bound users may read it, as a
 * real deployment would grant the service account.
 */
function accesslogBlocks(input: SlapdConfigInput, mainDb: string, limits: string): string[] {
  return [
    [
      'dn: olcDatabase={2}mdb,cn=config',
      'objectClass: olcDatabaseConfig',
      'objectClass: olcMdbConfig',
      'olcDatabase: {2}mdb',
      `olcDbDirectory: ${join(input.dataDir, 'accesslog')}`,
      `olcSuffix: ${ACCESSLOG_SUFFIX}`,
      'olcDbMaxSize: 1073741824',
      'olcDbNoSync: TRUE',
      `olcSizeLimit: ${limits}`,
      'olcDbIndex: objectClass eq',
      'olcDbIndex: reqStart eq',
      'olcAccess: {0}to * by users read by * none',
    ].join('\n'),
    [
      `dn: olcOverlay={3}accesslog,${mainDb}`,
      'objectClass: olcOverlayConfig',
      'objectClass: olcAccessLogConfig',
      'olcOverlay: {3}accesslog',
      `olcAccessLogDB: ${ACCESSLOG_SUFFIX}`,
      'olcAccessLogOps: delete',
      'olcAccessLogSuccess: TRUE',
      // Purge entries older than 7 days, checking daily.
      'olcAccessLogPurge: 07+00:00 01+00:00',
    ].join('\n'),
  ];
}

/**
 * The whole cn=config tree for one throwaway slapd, loaded with `slapadd -n0`: the mdb database for `baseDn`, the
 * standard schemas, memberof + refint (group membership kept consistent on delete and rename, as AD does), and
 * per flavour either ppolicy (openldap: `pwdAccountLockedTime` locks an account) and an access log of deletes, or
 * the AD emulation schema with rwm aliases (ad). Anonymous users may only bind; any bound user may read; only the root DN writes.
 */
export function slapdConfigLdif(input: SlapdConfigInput): string {
  const ad = input.flavour === 'ad';
  const modules = ['back_mdb', 'memberof', 'refint', ...(ad ? ['rwm'] : ['ppolicy', 'accesslog'])];
  const schemas = ['core', 'cosine', 'nis', 'inetorgperson'].map(
    (name) => `include: file://${join(input.install.schemaDir, `${name}.ldif`)}`,
  );
  const limits = `size.soft=500 size.hard=unlimited size.pr=${input.maxPageSize} size.prtotal=unlimited`;
  const db = 'olcDatabase={1}mdb,cn=config';
  const indexes = [
    'objectClass eq',
    'entryUUID eq',
    'uid,mail,cn,ou,employeeNumber eq',
    'member,memberOf eq',
    'modifyTimestamp eq',
    ...(ad ? ['sAMAccountName,userPrincipalName,employeeID eq'] : []),
  ];
  const blocks: string[] = [
    [
      'dn: cn=config',
      'objectClass: olcGlobal',
      'cn: config',
      'olcLogLevel: none',
      `olcPidFile: ${join(input.dataDir, 'slapd.pid')}`,
      ...(input.tls
        ? [
            `olcTLSCACertificateFile: ${input.tls.caFile}`,
            `olcTLSCertificateFile: ${input.tls.certFile}`,
            `olcTLSCertificateKeyFile: ${input.tls.keyFile}`,
          ]
        : []),
    ].join('\n'),
    [
      'dn: cn=module{0},cn=config',
      'objectClass: olcModuleList',
      'cn: module{0}',
      `olcModulePath: ${input.install.moduleDir}`,
      ...modules.map((m) => `olcModuleLoad: ${m}`),
    ].join('\n'),
    ['dn: cn=schema,cn=config', 'objectClass: olcSchemaConfig', 'cn: schema', '', ...schemas].join('\n'),
    ...(ad ? [adEmulationSchemaLdif().trimEnd()] : []),
    [
      'dn: olcDatabase={-1}frontend,cn=config',
      'objectClass: olcDatabaseConfig',
      'objectClass: olcFrontendConfig',
      'olcDatabase: {-1}frontend',
      `olcSizeLimit: ${limits}`,
    ].join('\n'),
    ['dn: olcDatabase={0}config,cn=config', 'objectClass: olcDatabaseConfig', 'olcDatabase: {0}config'].join(
      '\n',
    ),
    [
      `dn: ${db}`,
      'objectClass: olcDatabaseConfig',
      'objectClass: olcMdbConfig',
      'olcDatabase: {1}mdb',
      `olcDbDirectory: ${join(input.dataDir, 'db')}`,
      ldifLine('olcSuffix', input.baseDn).trimEnd(),
      ldifLine('olcRootDN', input.rootDn).trimEnd(),
      `olcRootPW: ${sshaHash(input.rootPassword)}`,
      // The map is reserved address space, not disk: room for a few hundred thousand entries.
      'olcDbMaxSize: 8589934592',
      // Throwaway data: skip fsync on every write (tests and simulators only).
      'olcDbNoSync: TRUE',
      `olcSizeLimit: ${limits}`,
      ...indexes.map((i) => `olcDbIndex: ${i}`),
      `olcAccess: {0}to attrs=${ad ? 'userPassword,unicodePwd' : 'userPassword'} by self write by anonymous auth by * none`,
      'olcAccess: {1}to * by users read by * none',
    ].join('\n'),
    [
      `dn: olcOverlay={0}memberof,${db}`,
      'objectClass: olcOverlayConfig',
      'objectClass: olcMemberOf',
      'olcOverlay: {0}memberof',
      'olcMemberOfRefInt: TRUE',
      `olcMemberOfGroupOC: ${ad ? 'group' : 'groupOfNames'}`,
      'olcMemberOfMemberAD: member',
      'olcMemberOfMemberOfAD: memberOf',
    ].join('\n'),
    [
      `dn: olcOverlay={1}refint,${db}`,
      'objectClass: olcOverlayConfig',
      'objectClass: olcRefintConfig',
      'olcOverlay: {1}refint',
      'olcRefintAttribute: member manager',
    ].join('\n'),
    ad
      ? [
          `dn: olcOverlay={2}rwm,${db}`,
          'objectClass: olcOverlayConfig',
          'objectClass: olcRwmConfig',
          'olcOverlay: {2}rwm',
          'olcRwmMap: attribute whenChanged modifyTimestamp',
          'olcRwmMap: attribute whenCreated createTimestamp',
        ].join('\n')
      : [
          `dn: olcOverlay={2}ppolicy,${db}`,
          'objectClass: olcOverlayConfig',
          'objectClass: olcPPolicyConfig',
          'olcOverlay: {2}ppolicy',
          ldifLine('olcPPolicyDefault', input.policyDn).trimEnd(),
        ].join('\n'),
    ...(ad ? [] : accesslogBlocks(input, db, limits)),
  ];
  return `${blocks.join('\n\n')}\n`;
}
