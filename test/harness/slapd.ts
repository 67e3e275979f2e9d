import {
  launchSlapd,
  type LaunchSlapdOptions,
  type RunningSlapd,
} from '../../connectors/ldap/slapd/launch-slapd.js';

export type { RunningSlapd, LaunchSlapdOptions };
export type { LdifEntry } from '../../connectors/ldap/protocol/ldif.js';

/**
 * A real OpenLDAP slapd for one test file: `const ldap = await startSlapd({ seed })` in beforeAll, `await
 * ldap.stop()` in afterAll. See `launchSlapd` for the options; the server listens on a free loopback port, the
 * root DN is `cn=admin,<baseDn>`, people go in `ou=people`, groups in `ou=groups`, and `cn=reader,<baseDn>` is
 * a read-only account. `flavour: 'ad'` loads the Active Directory emulation schema.
 */
export function startSlapd(options: LaunchSlapdOptions = {}): Promise<RunningSlapd> {
  return launchSlapd(options);
}
