import { JunctionError } from '../../../core/errors.js';
import { ApiProblem, validationProblem } from '../http/problem.js';

/**
 * Other modules (the SSO admin functions, the sync engine) report bad input as core ValidationErrors naming the
 * field first (`config.issuer: …`); the API answers them as field problems.
 */
export async function asApiProblem<T>(pointerBase: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // Already an API answer (a 412 from a conditional write, say): not a field problem.
    if (error instanceof ApiProblem) throw error;
    if (error instanceof JunctionError && error.status < 500) {
      const field = /^([A-Za-z0-9_.]+):/.exec(error.publicMessage)?.[1];
      throw validationProblem(error.publicMessage, [
        {
          pointer: field ? `${pointerBase}.${field}` : pointerBase,
          message: error.publicMessage,
          code: error.code,
        },
      ]);
    }
    throw error;
  }
}
