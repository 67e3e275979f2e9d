import type { Response } from 'express';
import { ERROR_SCHEMA, SCIM_MEDIA_TYPE } from '../urns.js';

/** RFC 7644 §3.12: the `scimType` values a service provider answers 400 and 409 with. */
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

/** A failure the simulator answers with an RFC 7644 §3.12 error body; thrown anywhere in a request handler. */
export class ScimProtocolError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
  ) {
    super(detail);
    this.name = 'ScimProtocolError';
  }
}

export const badRequest = (scimType: ScimType, detail: string): ScimProtocolError =>
  new ScimProtocolError(400, detail, scimType);

/** Sends an RFC 7644 §3.12 error body: `schemas`, `status` as a string, and `scimType` / `detail` when known. */
export function sendScimError(res: Response, error: ScimProtocolError): void {
  res
    .status(error.status)
    .type(SCIM_MEDIA_TYPE)
    .send(
      JSON.stringify({
        schemas: [ERROR_SCHEMA],
        status: String(error.status),
        ...(error.scimType ? { scimType: error.scimType } : {}),
        detail: error.detail,
      }),
    );
}
