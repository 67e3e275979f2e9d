import { JunctionError } from '../../../core/errors.js';

/**
 * An error the admin API answers with an RFC 9457 problem document. `extensions` are extra members that are safe
 * to show the caller (the field-level validation errors, the current ETag on a precondition failure); internal
 * detail stays in `detail`, which is logged and never sent.
 */
export class ApiProblem extends JunctionError {
  readonly extensions: Record<string, unknown>;

  constructor(options: {
    code: string;
    status: number;
    message: string;
    extensions?: Record<string, unknown>;
    detail?: Record<string, unknown>;
  }) {
    super({
      code: options.code,
      status: options.status,
      publicMessage: options.message,
      detail: options.detail,
    });
    this.extensions = options.extensions ?? {};
  }

  /** Read by the gateway's error handler (middleware/errors.ts) to add members to the problem document. */
  problemExtensions(): Record<string, unknown> {
    return this.extensions;
  }
}

export interface FieldError {
  /** Where in the request: `body.config.apiKey`, `query.limit`. */
  pointer: string;
  message: string;
  code: string;
}

export function validationProblem(message: string, errors: FieldError[]): ApiProblem {
  return new ApiProblem({ code: 'validation_failed', status: 400, message, extensions: { errors } });
}

export const problems = {
  unauthenticated: (message = 'Authentication required: send a bearer API token or sign in to the console') =>
    new ApiProblem({ code: 'unauthenticated', status: 401, message }),
  forbidden: (message = 'Your admin role does not allow this') =>
    new ApiProblem({ code: 'forbidden', status: 403, message }),
  notFound: (what: string) =>
    new ApiProblem({ code: 'not_found', status: 404, message: `${what} not found` }),
  conflict: (message: string) => new ApiProblem({ code: 'conflict', status: 409, message }),
  preconditionFailed: (currentEtag: string) =>
    new ApiProblem({
      code: 'precondition_failed',
      status: 412,
      message: 'The object changed since you read it: fetch it again and re-apply your change',
      extensions: { currentEtag },
    }),
  invalidCursor: () =>
    new ApiProblem({
      code: 'invalid_cursor',
      status: 400,
      message: 'The cursor is not one this list handed out for this sort order',
    }),
  unprocessable: (code: string, message: string) => new ApiProblem({ code, status: 422, message }),
  unavailable: (code: string, message: string) => new ApiProblem({ code, status: 503, message }),
};
