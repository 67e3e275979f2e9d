import type { DataSource } from 'typeorm';
import type { endSessionsForPerson as EndSessionsForPerson } from '../../sso/sessions/end-sessions-for-person.js';
import type { Logger } from '../../core/logger.js';
import type { Vault } from '../../core/vault/vault.js';
import { registryOpener } from '../../workers/sync/registry-opener.js';
import { connectWorker, type TemporalTarget } from '../../workers/temporal-connection.js';
import { installTemporalRuntime } from '../../workers/temporal-runtime.js';
import { createJunctionWorker } from '../../workers/worker.js';

/** Starts a worker polling the task queue; `stop` drains in-flight tasks and closes the connection. */
export async function runWorker(options: {
  target: TemporalTarget;
  dataSource: DataSource;
  log: Logger;
  /** Opens connection credentials for the connectors the sync activities run. */
  vault: Vault;
  /** The gateway's public URL: with it, leavers' SSO sessions and tokens end when HR marks them gone. */
  publicUrl?: string;
}): Promise<{ stop: () => Promise<void> }> {
  installTemporalRuntime(options.log);
  const connection = await connectWorker(options.target);
  // Loaded only once Temporal answered: the SSO stack's import prints oidc-provider's runtime notice, which must
  // not precede a one-line configuration error.
  const { endSessionsForPerson } = await import('../../sso/sessions/end-sessions-for-person.js');
  const worker = await createJunctionWorker({
    connection,
    namespace: options.target.namespace,
    taskQueue: options.target.taskQueue,
    deps: {
      dataSource: options.dataSource,
      log: options.log,
      openConnector: registryOpener(options.vault),
      ...(options.publicUrl
        ? {
            endSessionsForPeople: leaverSessionEnder(endSessionsForPerson, {
              ...options,
              publicUrl: options.publicUrl,
            }),
          }
        : {}),
    },
  });
  const running = worker.run();
  running.catch((error: unknown) => options.log.error({ err: error }, 'worker stopped with an error'));
  options.log.info({ taskQueue: options.target.taskQueue }, 'worker polling');
  return {
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await connection.close();
    },
  };
}

/**
 * The leaver path's SSO step, injected into the sync activities (workers may not import sso/): every session,
 * grant and refresh token of each leaver ends, and apps with back-channel logout are told.
 */
function leaverSessionEnder(
  endSessionsForPerson: typeof EndSessionsForPerson,
  deps: {
    dataSource: DataSource;
    vault: Vault;
    log: Logger;
    publicUrl: string;
  },
): (personIds: string[]) => Promise<void> {
  return async (personIds) => {
    for (const personId of personIds) {
      await endSessionsForPerson(deps, personId, { reason: 'leaver', actor: { type: 'system' } });
    }
  };
}
