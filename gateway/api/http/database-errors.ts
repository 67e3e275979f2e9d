import { QueryFailedError } from 'typeorm';
import { ApiProblem } from './problem.js';

/**
 * Turns the PostgreSQL errors a request can cause (a duplicate slug, a reference to something that just went away,
 * a value out of range) into problem documents; anything else stays an internal error. Codes:
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
export function problemFromDatabaseError(error: unknown): ApiProblem | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driver = error.driverError as { code?: string; constraint?: string; detail?: string };
  switch (driver.code) {
    case '23505':
      return new ApiProblem({
        code: 'conflict',
        status: 409,
        message: `An object with the same unique value already exists${uniqueHint(driver.detail)}`,
        detail: { constraint: driver.constraint },
      });
    case '23503':
      return new ApiProblem({
        code: 'conflict',
        status: 409,
        message:
          'The change refers to an object that does not exist, or other objects still refer to this one',
        detail: { constraint: driver.constraint },
      });
    case '40001':
    case '40P01':
      return new ApiProblem({
        code: 'concurrent_update',
        status: 409,
        message: 'Another change to the same object happened at the same time: retry',
      });
    case '22001':
    case '22003':
    case '22007':
    case '22008':
    case '22P02':
      return new ApiProblem({
        code: 'validation_failed',
        status: 400,
        message: 'A value is out of range or malformed for its field',
      });
    default:
      return undefined;
  }
}

/** `Key (slug)=(acme) already exists.` → ` (slug)`; the value itself is not echoed. */
function uniqueHint(detail: string | undefined): string {
  const match = /^Key \(([^)]+)\)=/.exec(detail ?? '');
  return match ? ` (${match[1]})` : '';
}
