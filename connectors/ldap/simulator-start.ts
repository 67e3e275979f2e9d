import type { RunningSimulator, SimulatorStartOptions } from '../simulators.js';
import { startLdapSimulator } from './simulator.js';

/** `junction simulate ldap`: a real slapd seeded with a generated organisation, behind the fault proxy. */
export async function startLdapSimulatorForCli(options: SimulatorStartOptions): Promise<RunningSimulator> {
  const sim = await startLdapSimulator({
    people: options.people,
    seed: options.seed,
    ...(options.port ? { port: options.port } : {}),
    ...(options.host ? { host: options.host } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const { slapd, counts } = sim;
  return {
    url: sim.url,
    faults: sim.faults,
    connectionConfig: { ...sim.connectionConfig },
    notes: [
      `slapd (${slapd.flavour}) with ${counts.people.toLocaleString('en')} people in ${counts.departments.toLocaleString('en')} department OUs under ${slapd.usersDn}, ${counts.groups} groups in ${slapd.groupsDn}; seeded in ${(sim.seedMs / 1000).toFixed(1)} s`,
      `bind as ${slapd.adminDn} / ${slapd.adminPassword}; people bind with their DN and the password ${sim.peoplePassword}; read-only ${slapd.readerDn} / ${slapd.readerPassword}`,
      `try: ldapsearch -x -H ${sim.url} -D '${slapd.adminDn}' -w '${slapd.adminPassword}' -b '${slapd.usersDn}' -E pr=500/noprompt '(objectClass=inetOrgPerson)' cn mail`,
      `faults: rate limits answer LDAP busy (51); 5xx bursts drop the connection mid-answer or answer unavailable (52); slapd itself (no faults) is at ${slapd.url}`,
    ],
    stop: () => sim.stop(),
  };
}
