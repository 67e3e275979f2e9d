import { checkAssertionIssuer } from './checks/check-assertion-issuer.js';
import { checkAssertionReplay } from './checks/check-assertion-replay.js';
import { checkAssertionTime } from './checks/check-assertion-time.js';
import { checkAudience } from './checks/check-audience.js';
import { checkInResponseTo } from './checks/check-in-response-to.js';
import { checkRecipient } from './checks/check-recipient.js';
import { checkResponseDestination } from './checks/check-response-destination.js';
import { checkResponseShape } from './checks/check-response-shape.js';
import { checkResponseStatus } from './checks/check-response-status.js';
import { checkSingleAssertion } from './checks/check-single-assertion.js';
import type { SamlResponseCheck } from './saml-response-context.js';

/** Structure checks on the raw Response, before any signature is verified (nothing here is trusted yet). */
export const BEFORE_SIGNATURE: readonly SamlResponseCheck[] = [
  checkResponseShape,
  checkResponseStatus,
  checkSingleAssertion,
  checkResponseDestination,
];

/**
 * Checks on the assertion node-saml verified (signature on the assertion or the response, per the provider's
 * `signatureRequired`; decryption when encrypted). Replay is last so a refused assertion does not burn its ID.
 */
export const AFTER_SIGNATURE: readonly SamlResponseCheck[] = [
  checkAssertionIssuer,
  checkAudience,
  checkRecipient,
  checkAssertionTime,
  checkInResponseTo,
  checkAssertionReplay,
];
