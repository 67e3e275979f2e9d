/**
 * `npm run bench -- <name> [options]` (npm builds first, then runs dist/bench/run.js). Each bench prints one JSON
 * object per line per figure. Adding a bench: a module exporting `run…Bench(argv)` and a line in BENCHES.
 */
type Bench = (argv: string[]) => Promise<void>;

const BENCHES: Record<string, () => Promise<Bench>> = {
  connectors: async () => (await import('./connectors.js')).runConnectorsBench,
  rules: async () => (await import('./rules.js')).runRulesBench,
  'ldap-seed': async () => (await import('./ldap-seed.js')).runLdapSeedBench,
  sso: async () => (await import('./sso.js')).runSsoBench,
  sync: async () => (await import('./sync.js')).runSyncBench,
};

async function main(): Promise<void> {
  const [name, ...argv] = process.argv.slice(2);
  const names = name === undefined || name === 'all' ? Object.keys(BENCHES) : [name];
  for (const bench of names) {
    const load = BENCHES[bench];
    if (!load) {
      console.error(`unknown bench "${bench}"; available: ${Object.keys(BENCHES).join(', ')}`);
      process.exitCode = 2;
      return;
    }
    await (
      await load()
    )(argv);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
