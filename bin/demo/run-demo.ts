import type { DataSource } from 'typeorm';
import type { Logger } from '../../core/logger.js';
import { startConnectionSync, type StartedRun } from '../../workers/client.js';
import { demoAdminFile, demoAdminFileExists } from './demo-admin-file.js';
import { startDemoApp, type RunningDemoApp } from './demo-app.js';
import { DEMO_ADMIN, DEMO_GROUP, DEMO_SUBSIDIARIES } from './demo-plan.js';
import { startDemoSimulators, type RunningDemoSimulators } from './demo-simulators.js';
import { inspectDemo, withDemoLock } from './demo-state.js';
import { repointDemoApp } from './repoint-demo-app.js';
import { findDemoConnections, resumeDemo } from './resume-demo.js';
import {
  DEMO_APP_CLIENT_ID,
  removeDemoTenant,
  seedDemo,
  type DemoConnectionRef,
  type DemoDeps,
  type SeededDemo,
} from './seed-demo.js';

/** The demo app listens after the simulators: `JUNCTION_DEMO_SIMULATOR_BASE_PORT + 6`. */
export const DEMO_APP_PORT_OFFSET = 6;

export interface DemoReport {
  /** This start seeded the demo (and printed the password). */
  seeded: SeededDemo | undefined;
  connections: DemoConnectionRef[];
  /** The first runs: a full read of each HR source, which then provisions its subsidiary's targets. */
  runs: StartedRun[];
  /** Start-up banner lines. */
  lines: string[];
}

export interface PreparedDemo {
  simulators: RunningDemoSimulators;
  app: RunningDemoApp;
  /** Seeds an empty database or resumes the demo it holds, then starts the first runs. Call with a worker polling. */
  activate(deps: DemoDeps): Promise<DemoReport>;
  stop(): Promise<void>;
}

/**
 * `junction start`'s demo, in two steps so the simulators outlive the worker on shutdown: `prepareDemo` (before
 * the worker) decides whether there is a demo to run and starts its simulators and app; `activate` (once the
 * worker polls) seeds or resumes it. Nothing happens for a database holding someone's real tenants, and an empty
 * database is seeded only when `seed` (JUNCTION_SEED_DEMO) is on. `junction gateway` / `worker` never call this.
 */
export async function prepareDemo(options: {
  dataSource: DataSource;
  seed: boolean;
  /** 0: free ports (tests). */
  basePort: number;
  publicUrl: string;
  log: Logger;
  env?: NodeJS.ProcessEnv;
}): Promise<PreparedDemo | undefined> {
  const log = options.log.child({ module: 'demo' });
  const state = await inspectDemo(options.dataSource);
  if (state.kind === 'other') return undefined;
  if (!options.seed && state.kind !== 'seeded') {
    if (state.kind === 'interrupted')
      log.warn('an unfinished demo seed is in the database; start with JUNCTION_SEED_DEMO=true to redo it');
    else log.info('the database is empty and JUNCTION_SEED_DEMO=false: no demo');
    return undefined;
  }

  // A seeded demo runs the simulators its connections use (LDAP only if it was seeded with one).
  const only =
    state.kind === 'seeded'
      ? (await findDemoConnections(options.dataSource, state.groupId)).map((c) => c.plan.simulator)
      : undefined;
  const simulators = await startDemoSimulators({
    basePort: options.basePort,
    log,
    ...(only ? { only } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  let app: RunningDemoApp;
  try {
    app = await startDemoApp({
      port: options.basePort === 0 ? 0 : options.basePort + DEMO_APP_PORT_OFFSET,
      issuer: `${options.publicUrl}/oidc`,
      clientId: DEMO_APP_CLIENT_ID,
      log,
    });
  } catch (error) {
    await simulators.stop();
    throw new Error(
      `the demo app cannot listen on port ${options.basePort + DEMO_APP_PORT_OFFSET}: ${error instanceof Error ? error.message : String(error)}; set JUNCTION_DEMO_SIMULATOR_BASE_PORT or JUNCTION_SEED_DEMO=false`,
      { cause: error },
    );
  }

  return {
    simulators,
    app,
    activate: async (deps) => {
      const demoDeps = { ...deps, log };
      const outcome = await withDemoLock(deps.dataSource, async () => {
        let current = await inspectDemo(deps.dataSource);
        if (current.kind === 'interrupted') {
          log.warn('removing a demo whose seeding was interrupted, to seed it again');
          await removeDemoTenant(demoDeps, current.groupId);
          current = await inspectDemo(deps.dataSource);
        }
        if (current.kind === 'empty' && options.seed) {
          log.info('empty database: seeding the demo');
          const seeded = await seedDemo(demoDeps, simulators, { demoAppUrl: app.url });
          return { seeded, connections: seeded.connections };
        }
        if (current.kind === 'seeded') {
          await repointDemoApp(demoDeps, app.url);
          return { seeded: undefined, connections: await resumeDemo(demoDeps, simulators, current.groupId) };
        }
        return { seeded: undefined, connections: [] };
      });
      const runs: StartedRun[] = [];
      for (const connection of outcome.connections) {
        if (connection.direction !== 'source') continue;
        runs.push(
          await startConnectionSync(
            deps.temporal.client,
            deps.temporal.taskQueue,
            { id: connection.id, direction: 'source' },
            { mode: 'full', trigger: 'manual', requestedBy: 'junction start (demo)' },
          ),
        );
      }
      return {
        ...outcome,
        runs,
        lines: outcome.connections.length > 0 ? banner(deps, outcome.seeded, simulators, app) : [],
      };
    },
    stop: async () => {
      await app.stop();
      await simulators.stop();
    },
  };
}

function banner(
  deps: DemoDeps,
  seeded: SeededDemo | undefined,
  simulators: RunningDemoSimulators,
  app: RunningDemoApp,
): string[] {
  const names = Object.values(DEMO_SUBSIDIARIES)
    .map((s) => s.name)
    .join(' and ');
  const password = seeded
    ? `${seeded.admin.password}   (shown this once; kept in ${seeded.admin.file}, mode 0600)`
    : demoAdminFileExists(deps.dataDir)
      ? `in ${demoAdminFile(deps.dataDir)}`
      : `printed when the demo was seeded (${demoAdminFile(deps.dataDir)} has since been removed)`;
  const [first, ...rest] = simulators.describe();
  return [
    `Demo: ${DEMO_GROUP.name.replace(/ \(demo\)$/, '')} with ${names}. ${
      seeded
        ? 'Seeded just now; the first sync is running and accounts appear in the simulators within a minute.'
        : 'The simulators started empty; a full sync is re-creating their accounts.'
    }`,
    `  Console     ${deps.publicUrl}/console/`,
    `  Sign-in     ${deps.publicUrl}/sso/login   (apps: ${deps.publicUrl}/sso/apps)`,
    `  Admin       ${DEMO_ADMIN.email}   (group_admin of the whole group)`,
    `  Password    ${password}`,
    `  Demo app    ${app.url}/   (signs in through Junction and shows the claims it gets)`,
    `  Simulators  ${first ?? 'none'}`,
    ...rest.map((line) => `              ${line}`),
  ];
}
