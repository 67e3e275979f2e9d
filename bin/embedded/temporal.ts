import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Logger } from '../../core/logger.js';
import { findTemporalCli, TEMPORAL_CLI_HELP } from './find-temporal-cli.js';

export interface DevTemporalHandle {
  address: string;
  namespace: string;
  uiUrl: string | undefined;
  stop(): Promise<void>;
}

/**
 * Starts the real Temporal dev server (`temporal server start-dev`). The SDK's ephemeral-server support runs the
 * process and stops it on teardown; we hand it the CLI we found, or let it download one when none is installed and
 * the machine is online. With `dataDir`, state persists to `<dataDir>/temporal.db` across restarts.
 */
export async function startDevTemporal(options: {
  log: Logger;
  dataDir?: string;
  port?: number;
  uiPort?: number;
  namespace?: string;
  env?: NodeJS.ProcessEnv;
}): Promise<DevTemporalHandle> {
  const namespace = options.namespace ?? 'default';
  const found = findTemporalCli(options.env);
  let dbFilename: string | undefined;
  if (options.dataDir) {
    mkdirSync(resolve(options.dataDir), { recursive: true });
    dbFilename = join(resolve(options.dataDir), 'temporal.db');
  }
  const server = {
    namespace,
    ip: '127.0.0.1',
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.uiPort === undefined ? {} : { ui: true, uiPort: options.uiPort }),
    ...(dbFilename === undefined ? {} : { dbFilename }),
    log: { format: 'pretty', level: 'error' },
  };

  let env: TestWorkflowEnvironment;
  if (found) {
    options.log.info({ cli: found.path, via: found.via }, 'starting the Temporal dev server');
    try {
      env = await TestWorkflowEnvironment.createLocal({
        server: { ...server, executable: { type: 'existing-path', path: found.path } },
      });
    } catch (error) {
      throw new Error(`the Temporal dev server at ${found.path} did not start: ${describe(error)}`, {
        cause: error,
      });
    }
  } else {
    options.log.warn('no temporal CLI found; asking the Temporal SDK to download one');
    try {
      env = await TestWorkflowEnvironment.createLocal({
        server: { ...server, executable: { type: 'cached-download', downloadDir: options.dataDir } },
      });
    } catch (error) {
      throw new Error(
        `no Temporal CLI found and the download failed (${describe(error)}): ${TEMPORAL_CLI_HELP}`,
        {
          cause: error,
        },
      );
    }
  }
  return {
    address: env.address,
    namespace,
    uiUrl: options.uiPort === undefined ? undefined : `http://127.0.0.1:${options.uiPort}`,
    stop: () => env.teardown(),
  };
}

function describe(error: unknown): string {
  const text = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
  // The SDK repeats the URL and the resolver's words several times; the first part says enough.
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}
