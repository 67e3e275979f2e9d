import { generateOrg } from '../connectors/kit/simulator/generate-org.js';
import { startLdapSimulator } from '../connectors/ldap/simulator.js';

/**
 * `npm run bench -- ldap-seed [--n 100000] [--flavour openldap|ad]`: how long the LDAP simulator takes to be
 * ready with N generated people: generating the organisation, streaming it through `slapadd` into a fresh mdb
 * database, and starting slapd behind the fault proxy. One JSON line per flavour.
 */
export async function runLdapSeedBench(argv: string[]): Promise<void> {
  const n = Number(option(argv, '--n') ?? 100_000);
  const flavours = (option(argv, '--flavour') ?? 'openldap,ad').split(',') as ('openldap' | 'ad')[];
  for (const flavour of flavours) {
    let started = performance.now();
    generateOrg({ people: n, seed: 1, domain: 'example.com' });
    const generateSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const sim = await startLdapSimulator({ people: n, seed: 1, flavour });
    const readySeconds = (performance.now() - started) / 1000;
    try {
      process.stdout.write(
        `${JSON.stringify({
          bench: 'connectors.ldap.seed',
          flavour,
          n,
          entries: sim.slapd.seeded.entries,
          generate_s: round(generateSeconds),
          slapadd_s: round(sim.slapd.seeded.ms / 1000),
          ready_s: round(readySeconds),
          entries_per_s: Math.round(sim.slapd.seeded.entries / (sim.slapd.seeded.ms / 1000)),
        })}\n`,
      );
    } finally {
      await sim.stop();
    }
  }
}

function round(value: number): number {
  return Number(value.toFixed(2));
}

function option(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : undefined;
}
