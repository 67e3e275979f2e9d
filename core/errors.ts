/**
 * The one error shape Junction throws on purpose. `code` is stable and machine-readable, `status` is the HTTP
 * status a request handler answers with, `publicMessage` is safe to show to whoever made the request, and
 * `detail` is for operators only: it is logged (redacted) but never put in a response.
 */
export interface JunctionErrorOptions {
  code: string;
  status?: number;
  publicMessage: string;
  detail?: Record<string, unknown>;
  cause?: unknown;
}

export class JunctionError extends Error {
  readonly code: string;
  readonly status: number;
  readonly publicMessage: string;
  readonly detail: Record<string, unknown>;

  constructor(options: JunctionErrorOptions) {
    super(options.publicMessage, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.status = options.status ?? 500;
    this.publicMessage = options.publicMessage;
    this.detail = options.detail ?? {};
  }

  /** What a response body may carry: never `detail`, never a stack. */
  toPublic(): { code: string; message: string } {
    return { code: this.code, message: this.publicMessage };
  }
}

/** Raised at start-up when the environment is wrong; the message is one line naming the variable. */
export class ConfigError extends JunctionError {
  readonly variable: string;

  constructor(variable: string, message: string) {
    super({ code: 'invalid_config', status: 500, publicMessage: `${variable}: ${message}` });
    this.variable = variable;
  }
}

export class NotFoundError extends JunctionError {
  constructor(what: string, detail?: Record<string, unknown>) {
    super({ code: 'not_found', status: 404, publicMessage: `${what} not found`, detail });
  }
}

export class ValidationError extends JunctionError {
  constructor(publicMessage: string, detail?: Record<string, unknown>) {
    super({ code: 'validation_failed', status: 400, publicMessage, detail });
  }
}

export class ConflictError extends JunctionError {
  constructor(publicMessage: string, detail?: Record<string, unknown>) {
    super({ code: 'conflict', status: 409, publicMessage, detail });
  }
}

/**
 * A write that named the version it read (an If-Match) found another one: someone changed the object in between.
 * Thrown by the conditional write itself, so a change landing between the check and the write cannot get through.
 */
export class StaleVersionError extends JunctionError {
  constructor(
    what: string,
    readonly currentVersion: number,
  ) {
    super({
      code: 'precondition_failed',
      status: 412,
      publicMessage: `The ${what} changed since you read it: fetch it again and re-apply your change`,
      detail: { currentVersion },
    });
  }
}
