import { generateOrg } from '../../connectors/kit/simulator/generate-org.js';
import { directorySeed, type DirectorySeedCounts } from '../../connectors/ldap/simulator/directory-seed.js';
import { directoryLayout } from '../../connectors/ldap/slapd/base-entries.js';
import {
  launchSlapd,
  type LaunchSlapdOptions,
  type RunningSlapd,
  type SlapdSeed,
} from '../../connectors/ldap/slapd/launch-slapd.js';
import { sshaHash } from '../../connectors/ldap/slapd/slapd-config.js';

export type { RunningSlapd, LaunchSlapdOptions, SlapdSeed };
export type { LdifEntry } from '../../connectors/ldap/protocol/ldif.js';

/** Generated people instead of LDIF: an organisation from the kit's generator, laid out as the simulator does. */
export interface GeneratedPeopleSeed {
  people: number;
  /** Generator seed (default 1): the same number gives the same people. */
  seed?: number;
  /** Every generated person's password (default `junction-demo`). */
  password?: string;
}

export interface StartSlapdOptions extends Omit<LaunchSlapdOptions, 'seed'> {
  /** LDIF text, LDIF entries, or `{ people: n }` for a generated organisation. */
  seed?: SlapdSeed | GeneratedPeopleSeed;
}

export interface TestSlapd extends RunningSlapd {
  /** With a generated seed: what was generated, and the password every person binds with. */
  generated?: DirectorySeedCounts & { password: string };
}

function isGenerated(seed: StartSlapdOptions['seed']): seed is GeneratedPeopleSeed {
  return typeof seed === 'object' && seed !== null && 'people' in seed && typeof seed.people === 'number';
}

/**
 * A real OpenLDAP slapd for one test file: `const ldap = await startSlapd({ seed })` in beforeAll, `await
 * ldap.stop()` in afterAll. The server listens on a free loopback port; the root DN is `cn=admin,<baseDn>`
 * (password `adminPassword`, random unless given); people go in `ou=people`, groups in `ou=groups`;
 * `cn=reader,<baseDn>` is a read-only account. `flavour: 'ad'` loads the Active Directory emulation schema.
 *
 * Generated people (`seed: { people: 50 }`) sit in department OUs below `ou=people` as
 * `uid=<mail local part>` (openldap) or `cn=<display name>` with sAMAccountName (ad); each can bind with its DN
 * and `generated.password`. Leavers are locked (ppolicy) or disabled (userAccountControl) and cannot bind.
 */
export async function startSlapd(options: StartSlapdOptions = {}): Promise<TestSlapd> {
  const { seed, ...rest } = options;
  if (!isGenerated(seed)) return launchSlapd({ ...rest, ...(seed === undefined ? {} : { seed }) });
  const flavour = options.flavour ?? 'openldap';
  const password = seed.password ?? 'junction-demo';
  const org = generateOrg({ people: seed.people, seed: seed.seed ?? 1, domain: 'example.com' });
  const generated = directorySeed(org, {
    flavour,
    layout: directoryLayout(options.baseDn ?? 'dc=example,dc=org'),
    passwordHash: sshaHash(password),
    seed: seed.seed ?? 1,
  });
  const running = await launchSlapd({ ...rest, seed: generated.entries });
  return Object.assign(running, { generated: { ...generated.counts, password } });
}
