#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError, JunctionError } from '../core/errors.js';
import { numberFlag } from './commands/number-flag.js';

/** The `junction` command. Each subcommand loads only what it needs. */
const program = new Command()
  .name('junction')
  .description('Junction: one sign-in, one access model and connectors that keep SaaS systems in step');

program
  .command('start')
  .description(
    'run everything on one machine (embedded PostgreSQL and Temporal dev server unless configured)',
  )
  .action(async () => (await import('./commands/start.js')).startCommand());

program
  .command('gateway')
  .description('run one gateway replica (needs DATABASE_URL, TEMPORAL_ADDRESS, JUNCTION_MASTER_KEY)')
  .action(async () => (await import('./commands/gateway.js')).gatewayCommand());

program
  .command('worker')
  .description('run one worker replica (needs DATABASE_URL, TEMPORAL_ADDRESS, JUNCTION_MASTER_KEY)')
  .action(async () => (await import('./commands/worker.js')).workerCommand());

program
  .command('migrate')
  .description('apply pending database migrations (safe to run again)')
  .action(async () => (await import('./commands/migrate.js')).migrateCommand());

program
  .command('doctor')
  .description('check configuration, master key, database and Temporal, and say how to fix what is wrong')
  .action(async () => {
    process.exitCode = await (await import('./commands/doctor.js')).doctorCommand();
  });

program
  .command('migration:generate')
  .argument('<Name>', 'PascalCase name of the change, e.g. AddApprovals')
  .description('(developers) write a migration for the entity changes not yet in migrations/')
  .action(async (name: string) => {
    const file = await (await import('./commands/migration-generate.js')).generateMigration(name);
    process.stdout.write(file ? `Wrote ${file}\n` : 'Entities and migrations agree; nothing to generate.\n');
  });

program
  .command('sync')
  .argument('<connection>', 'connection id, slug, or tenant-slug/slug')
  .description('run a connection now: a source reads HR and provisions every target; a target is provisioned')
  .option('--full', 'read everything (and find leavers) instead of changes since the last run')
  .option(
    '--dry-run',
    'print the plan (creates, updates, disables, deletes with field diffs) and write nothing',
  )
  .option('--no-wait', 'start the run and return at once')
  .action(async (reference: string, options: { full?: boolean; dryRun?: boolean; wait?: boolean }) => {
    process.exitCode = await (await import('./commands/sync.js')).syncCommand(reference, options);
  });

program
  .command('api-token')
  .description('admin API tokens')
  .command('create')
  .description('mint an admin API token (the first one of a fresh installation); prints it once')
  .requiredOption('--tenant <slug>', 'the tenant whose subtree the token acts on')
  .option('--role <role>', 'group_admin, subsidiary_admin, connector_operator or auditor', 'group_admin')
  .option('--name <name>', 'what the token is for', 'bootstrap')
  .option('--create-tenant <name>', 'create the group tenant with this name when no tenant has the slug')
  .option('--expires-in-days <days>', 'let the token expire', (value: string) => Number(value))
  .action(
    async (options: {
      tenant: string;
      role: string;
      name: string;
      createTenant?: string;
      expiresInDays?: number;
    }) => {
      process.exitCode = await (await import('./commands/api-token.js')).apiTokenCreateCommand(options);
    },
  );

program
  .command('simulate')
  .argument('<vendor>', 'connector id: bamboohr, wecom, scim, kingdee, …')
  .description('run one vendor simulator standalone and print its URL and a connection config')
  .option(
    '--port <n>',
    'port to listen on (0: any free port)',
    numberFlag({ integer: true, min: 0, max: 65535 }),
    0,
  )
  .option('--host <address>', 'address to listen on', '127.0.0.1')
  .option('--people <n>', 'people to generate', numberFlag({ integer: true, min: 0, max: 1_000_000 }), 1000)
  .option('--seed <n>', 'seed of the generated organisation', numberFlag({ integer: true, min: 0 }), 1)
  .option('--latency <ms>', 'added to every response', numberFlag({ min: 0 }))
  .option('--rate-429 <p>', 'share of requests rate limited (0..1)', numberFlag({ min: 0, max: 1 }))
  .option('--retry-after <s>', 'Retry-After of rate-limited answers', numberFlag({ integer: true, min: 0 }))
  .option(
    '--burst-5xx <n>',
    'the first N requests fail with 500/502/503',
    numberFlag({ integer: true, min: 0 }),
  )
  .option('--token-ttl <s>', 'lifetime of issued tokens / sessions', numberFlag({ integer: true, min: 1 }))
  .action(async (vendor: string, o: Record<string, number | string | undefined>) => {
    const knob = (name: string, value: unknown) => (typeof value === 'number' ? { [name]: value } : {});
    await (
      await import('./commands/simulate.js')
    ).simulateCommand(vendor, {
      port: Number(o.port),
      host: String(o.host),
      people: Number(o.people),
      seed: Number(o.seed),
      faults: {
        ...knob('latencyMs', o.latency),
        ...knob('rate429', o.rate429),
        ...knob('retryAfterSeconds', o.retryAfter),
        ...knob('burst5xx', o.burst5xx),
        ...knob('tokenTtlSeconds', o.tokenTtl),
      },
    });
  });

const connector = program.command('connector').description('connector kinds and connections');
connector
  .command('list')
  .description('the connector kinds this build has: id, category, title, capabilities')
  .action(async () => (await import('./commands/connector.js')).connectorListCommand());
connector
  .command('check')
  .argument('<connection>', 'connection id, slug, or tenant/slug')
  .description('test a connection: reach the vendor with its stored credentials and report what works')
  .action(async (reference: string) => {
    process.exitCode = await (await import('./commands/connector.js')).connectorCheckCommand(reference);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  // Configuration mistakes are one line naming the variable; anything else gets its message, not a stack.
  if (error instanceof ConfigError) {
    process.stderr.write(`junction: ${error.publicMessage}\n`);
  } else if (error instanceof JunctionError) {
    process.stderr.write(`junction: ${error.code}: ${error.publicMessage}\n`);
  } else {
    process.stderr.write(`junction: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.LOG_LEVEL === 'debug' && error instanceof Error)
      process.stderr.write(`${error.stack ?? ''}\n`);
  }
  process.exit(1);
});
