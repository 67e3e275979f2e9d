import type { Logger } from '../../../core/logger.js';
import { problems } from '../http/problem.js';

/**
 * Calls Temporal's client for an action. An unreachable cluster is a 503 with a stable code the console can show
 * ("the sync service is unavailable"), not a 500.
 */
export async function temporalCall<T>(log: Logger, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (name === 'WorkflowNotFoundError') {
      throw problems.unprocessable('run_not_running', 'The run is no longer running');
    }
    log.warn({ err: error }, `Temporal refused ${what}`);
    throw problems.unavailable(
      'temporal_unavailable',
      `Could not ${what}: the sync service (Temporal) is unavailable`,
    );
  }
}
