import type { ErrorRequestHandler, RequestHandler } from 'express';
import { QueryFailedError } from 'typeorm';
import type { Logger } from '../../core/logger.js';

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** RFC 7644 §3.12 `scimType` values. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** An error a SCIM client gets as an RFC 7644 §3.12 error response. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
  ) {
    super(detail);
  }
}

export const scimErrors = {
  invalidValue: (detail: string) => new ScimError(400, detail, 'invalidValue'),
  invalidSyntax: (detail: string) => new ScimError(400, detail, 'invalidSyntax'),
  invalidFilter: (detail: string) => new ScimError(400, detail, 'invalidFilter'),
  invalidPath: (detail: string) => new ScimError(400, detail, 'invalidPath'),
  noTarget: (detail: string) => new ScimError(400, detail, 'noTarget'),
  mutability: (detail: string) => new ScimError(400, detail, 'mutability'),
  uniqueness: (detail: string) => new ScimError(409, detail, 'uniqueness'),
  notFound: (what: string, id: string) => new ScimError(404, `${what} ${id} not found`),
  unauthorized: (detail: string) => new ScimError(401, detail),
  preconditionFailed: () => new ScimError(412, 'The resource changed since the version in If-Match'),
};

export function scimErrorBody(status: number, detail: string, scimType?: string) {
  return { schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

/**
 * Every failure under /scim/v2 leaves as a SCIM error, never an HTML page or a problem document: clients such as
 * Entra parse the body to decide whether to retry. Input problems are 4xx; only our own faults are 500.
 */
export function scimErrorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    void _next;
    if (error instanceof ScimError) {
      if (error.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="junction-scim"');
      res
        .status(error.status)
        .type('application/scim+json')
        .json(scimErrorBody(error.status, error.detail, error.scimType));
      return;
    }
    const e = error as { status?: unknown; type?: unknown };
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.type === 'string') {
      res
        .status(e.status)
        .type('application/scim+json')
        .json(scimErrorBody(e.status, 'The request body is not valid JSON', 'invalidSyntax'));
      return;
    }
    if (error instanceof QueryFailedError) {
      const code = (error.driverError as { code?: string }).code;
      if (code === '23505') {
        res
          .status(409)
          .type('application/scim+json')
          .json(scimErrorBody(409, 'A resource with that value already exists', 'uniqueness'));
        return;
      }
      if (code === '40P01' || code === '40001') {
        res.status(409).type('application/scim+json').json(scimErrorBody(409, 'Concurrent change: retry'));
        return;
      }
      if (code?.startsWith('22')) {
        res
          .status(400)
          .type('application/scim+json')
          .json(scimErrorBody(400, 'A value is malformed or too long', 'invalidValue'));
        return;
      }
    }
    log.error({ err: error, path: req.path }, 'SCIM request failed');
    res.status(500).type('application/scim+json').json(scimErrorBody(500, 'Internal error'));
  };
}

export const scimNotFound: RequestHandler = (req, res) => {
  res
    .status(404)
    .type('application/scim+json')
    .json(scimErrorBody(404, `No SCIM endpoint ${req.method} ${req.path}`));
};
