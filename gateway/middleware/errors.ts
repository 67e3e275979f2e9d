import type { ErrorRequestHandler, RequestHandler } from 'express';
import { JunctionError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';

/**
 * Every error leaves as an RFC 9457 problem document with a stable `code`. Unknown errors become a generic 500:
 * their message and stack go to the log, never to the client.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    void _next;
    if (error instanceof JunctionError) {
      if (error.status >= 500) log.error({ err: error, detail: error.detail, path: req.path }, error.message);
      res
        .status(error.status)
        .type('application/problem+json')
        .json({
          type: `https://junction.dev/problems/${error.code}`,
          title: error.publicMessage,
          status: error.status,
          code: error.code,
          detail: error.publicMessage,
          instance: req.originalUrl.split('?')[0],
          ...publicExtensions(error),
        });
      return;
    }
    const status = bodyParserStatus(error);
    if (status !== undefined) {
      res.status(status).type('application/problem+json').json({
        type: 'https://junction.dev/problems/malformed_request',
        title: 'The request body could not be read',
        status,
        code: 'malformed_request',
      });
      return;
    }
    log.error({ err: error, path: req.path }, 'unhandled error');
    res.status(500).type('application/problem+json').json({
      type: 'https://junction.dev/problems/internal_error',
      title: 'Something went wrong on our side',
      status: 500,
      code: 'internal_error',
    });
  };
}

export const notFound: RequestHandler = (_req, res) => {
  res.status(404).type('application/problem+json').json({
    type: 'https://junction.dev/problems/not_found',
    title: 'No such resource',
    status: 404,
    code: 'not_found',
  });
};

/** express.json() marks its errors with a 4xx `status` and `type` such as `entity.parse.failed`. */
function bodyParserStatus(error: unknown): number | undefined {
  const e = error as { status?: unknown; type?: unknown };
  return typeof e.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.type === 'string'
    ? e.status
    : undefined;
}

/** Errors may carry extra public members (validation errors per field, the current ETag): see gateway/api. */
function publicExtensions(error: JunctionError): Record<string, unknown> {
  const withExtensions = error as JunctionError & { problemExtensions?: () => Record<string, unknown> };
  return typeof withExtensions.problemExtensions === 'function' ? withExtensions.problemExtensions() : {};
}
