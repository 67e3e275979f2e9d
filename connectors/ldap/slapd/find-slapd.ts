import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface SlapdInstallation {
  slapd: string;
  slapadd: string;
  /** Where back_mdb, memberof, ppolicy, refint and rwm are (OpenLDAP builds them as modules on Debian). */
  moduleDir: string;
  /** Where core.ldif, cosine.ldif, nis.ldif and inetorgperson.ldif are. */
  schemaDir: string;
}

export const SLAPD_INSTALL_HELP =
  'install OpenLDAP: `apt-get install slapd ldap-utils` (Debian/Ubuntu; `.ci/run` does this), or set SLAPD_PATH, ' +
  'SLAPD_MODULE_DIR and SLAPD_SCHEMA_DIR';

const MODULE_DIRS = ['/usr/lib/ldap', '/usr/lib64/openldap', '/usr/lib/openldap', '/usr/libexec/openldap'];
const SCHEMA_DIRS = ['/etc/ldap/schema', '/etc/openldap/schema', '/usr/share/openldap/schema'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const dirs = [...(env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  return dirs.map((dir) => join(dir, name)).find(executable);
}

/** Finds slapd, slapadd, the module and schema directories, or explains how to install them. */
export function findSlapd(env: NodeJS.ProcessEnv = process.env): SlapdInstallation {
  const slapd = env.SLAPD_PATH ?? onPath('slapd', env);
  if (!slapd || !executable(slapd)) {
    throw new Error(
      `slapd not found${env.SLAPD_PATH ? ` at SLAPD_PATH=${env.SLAPD_PATH}` : ''}: ${SLAPD_INSTALL_HELP}`,
    );
  }
  // slapadd is slapd itself under another name (slaptools dispatch on argv[0]); Debian installs the link.
  const slapadd = onPath('slapadd', env) ?? join(slapd, '..', 'slapadd');
  if (!executable(slapadd)) throw new Error(`slapadd not found next to ${slapd}: ${SLAPD_INSTALL_HELP}`);
  const moduleDir = env.SLAPD_MODULE_DIR ?? MODULE_DIRS.find((dir) => existsSync(join(dir, 'back_mdb.so')));
  if (!moduleDir)
    throw new Error(
      `OpenLDAP modules (back_mdb.so) not found in ${MODULE_DIRS.join(', ')}: ${SLAPD_INSTALL_HELP}`,
    );
  const schemaDir =
    env.SLAPD_SCHEMA_DIR ?? SCHEMA_DIRS.find((dir) => existsSync(join(dir, 'inetorgperson.ldif')));
  if (!schemaDir)
    throw new Error(`OpenLDAP schema files not found in ${SCHEMA_DIRS.join(', ')}: ${SLAPD_INSTALL_HELP}`);
  return { slapd, slapadd, moduleDir, schemaDir };
}
