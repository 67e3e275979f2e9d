import { JunctionError } from '../core/errors.js';

/**
 * Why a sign-in was refused. The code is stable (audit log, metrics, tests); the public message is what the person
 * sees and never says more than they need (no "that user does not exist", no "signature invalid"); `reason` is the
 * full story for the audit log.
 */
export const REJECTION_MESSAGES = {
  invalid_request: 'The sign-in request was not valid. Go back to the app and try again.',
  expired: 'This sign-in took too long and has expired. Go back to the app and try again.',
  upstream_failed: 'Your organisation’s sign-in service did not confirm who you are. Try again.',
  bad_credentials: 'Incorrect email or password.',
  bad_second_factor: 'That code was not accepted. Try again.',
  second_factor_missing:
    'Your organisation requires a second sign-in step that is not set up for you yet. Ask your admin.',
  locked: 'Too many failed attempts. Wait a while before trying again, or ask your admin.',
  rate_limited: 'Too many attempts. Wait a minute and try again.',
  no_matching_person: 'We could not find you in your organisation’s directory. Ask your admin to add you.',
  pending_approval: 'Your account is waiting for an administrator to confirm it.',
  person_inactive: 'Your account is not active. Ask your admin.',
  no_access: 'You do not have access to this app. Ask your admin.',
  csrf: 'This form has expired. Reload the page and try again.',
} as const;

export type RejectionCode = keyof typeof REJECTION_MESSAGES;

/** 401 where trying again with other credentials may work; 403 where it will not; 429 when slowed down. */
const STATUS: Partial<Record<RejectionCode, number>> = {
  invalid_request: 400,
  bad_credentials: 401,
  bad_second_factor: 401,
  rate_limited: 429,
};

export class SignInRejected extends JunctionError {
  readonly rejection: RejectionCode;
  /** For the audit log only. */
  readonly reason: string;

  constructor(code: RejectionCode, reason: string, options: { status?: number; cause?: unknown } = {}) {
    super({
      code: `sign_in_${code}`,
      status: options.status ?? STATUS[code] ?? 403,
      publicMessage: REJECTION_MESSAGES[code],
      detail: { reason },
      cause: options.cause,
    });
    this.rejection = code;
    this.reason = reason;
  }
}
