import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../core/logger.js';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Sends the Temporal SDK's own log lines (worker state changes, bundler output) through our logger at WARN and
 * above, instead of the SDK's default stderr printing. The runtime is a per-process singleton: the first call wins.
 */
export function installTemporalRuntime(log: Logger, level: LogLevel = 'WARN'): void {
  if (Runtime._instance) return;
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      log[PINO_LEVEL[entry.level]]({ temporal: entry.meta }, entry.message);
    }),
  });
}
