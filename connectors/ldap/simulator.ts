import { FaultInjector, type FaultSettings } from '../kit/simulator/fault-injector.js';
import { generateOrg } from '../kit/simulator/generate-org.js';
import type { Logger } from '../../core/logger.js';
import type { LdapConfig } from './config.js';
import { directorySeed, type DirectorySeedCounts } from './simulator/directory-seed.js';
import { startFaultProxy } from './simulator/fault-proxy.js';
import { directoryLayout } from './slapd/base-entries.js';
import { launchSlapd, type RunningSlapd } from './slapd/launch-slapd.js';
import { ACCESSLOG_SUFFIX, sshaHash, type DirectoryFlavour } from './slapd/slapd-config.js';

export interface LdapSimulatorOptions {
  /** People to generate (100,000 and more load with slapadd before the server starts). */
  people: number;
  seed: number;
  flavour?: DirectoryFlavour;
  /** Port of the fault proxy clients connect to; 0 or absent: a free one. */
  port?: number;
  host?: string;
  faults?: Partial<FaultSettings>;
  /** Password every generated person can bind with (LDAP sign-in). Default `junction-demo`. */
  peoplePassword?: string;
  log?: Logger;
}

export interface LdapSimulator {
  /** What clients use: the fault proxy in front of slapd. */
  url: string;
  faults: FaultInjector;
  /** The slapd behind the proxy (its own url bypasses fault injection). */
  slapd: RunningSlapd;
  counts: DirectorySeedCounts;
  /** Time the seed took to generate and bulk-load, in ms. */
  seedMs: number;
  peoplePassword: string;
  connectionConfig: LdapConfig;
  stop(): Promise<void>;
}

const BASE_DN = 'dc=example,dc=com';

/**
 * The LDAP "vendor API" is the protocol, so the simulator is a real slapd (openldap flavour, or the AD emulation
 * schema) seeded with a generated organisation, behind a fault proxy that makes the kit's knobs mean something
 * in LDAP: busy (51) for rate limits, unavailable (52) and dropped connections for server failures. The people
 * live in department OUs (departmentPlacement `ou`); leavers are disabled as the flavour disables accounts.
 */
export async function startLdapSimulator(options: LdapSimulatorOptions): Promise<LdapSimulator> {
  const flavour = options.flavour ?? 'openldap';
  const peoplePassword = options.peoplePassword ?? 'junction-demo';
  const started = Date.now();
  const org = generateOrg({ people: options.people, seed: options.seed, domain: 'example.com' });
  const seed = directorySeed(org, {
    flavour,
    layout: directoryLayout(BASE_DN),
    passwordHash: sshaHash(peoplePassword),
    seed: options.seed,
  });
  const slapd = await launchSlapd({
    flavour,
    baseDn: BASE_DN,
    seed: seed.entries,
    ...(options.log ? { log: options.log } : {}),
  });
  const seedMs = Date.now() - started;
  const faults = new FaultInjector(options.faults ?? {}, { seed: options.seed });
  let proxy;
  try {
    proxy = await startFaultProxy({
      upstreamHost: slapd.host,
      upstreamPort: slapd.port,
      faults,
      seed: options.seed,
      ...(options.host ? { host: options.host } : {}),
      ...(options.port ? { port: options.port } : {}),
    });
  } catch (error) {
    await slapd.stop();
    throw error;
  }
  const shownHost = proxy.host === '0.0.0.0' ? '127.0.0.1' : proxy.host;
  const url = `ldap://${shownHost}:${proxy.port}`;
  const connectionConfig: LdapConfig = {
    url,
    startTls: false,
    bindDn: slapd.adminDn,
    bindPassword: slapd.adminPassword,
    baseDn: BASE_DN,
    flavour,
    usersOu: 'ou=people',
    groupsOu: 'ou=groups',
    departmentPlacement: 'ou',
    disabledOu: 'ou=disabled',
    // slapd does not mint objectGUID for entries added over LDAP (see ad-schema.ts): use entryUUID with the emulation.
    uuidAttribute: 'entryUUID',
    setRandomPassword: true,
    pageSize: 500,
    timeoutMs: 30_000,
    incrementalOverlapSeconds: 120,
    // The simulator's slapd logs deletes (slapd-config.ts): incremental reads see people deleted in it.
    ...(flavour === 'openldap' ? { accesslogDn: ACCESSLOG_SUFFIX } : {}),
  };
  return {
    url,
    faults,
    slapd,
    counts: seed.counts,
    seedMs,
    peoplePassword,
    connectionConfig,
    async stop() {
      await proxy.stop();
      await slapd.stop();
    },
  };
}
