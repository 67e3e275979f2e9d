#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError, JunctionError } from '../core/errors.js';

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
