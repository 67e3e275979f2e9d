import { CLOCK_SKEW_SECONDS } from '../../saml-constants.js';
import { SamlMessageRejected } from '../../xml/safe-xml.js';
import type { AuthnRequestCheck } from '../authn-request-context.js';

/** A request older than this is stale: browsers deliver them within seconds. */
export const MAX_REQUEST_AGE_SECONDS = 10 * 60;

/** Core §1.3.3: IssueInstant is judged with a clock-skew allowance; too old or from the future is refused. */
export const checkRequestFreshness: AuthnRequestCheck = (ctx) => {
  const issued = ctx.request.issueInstant;
  if (issued === undefined) throw new SamlMessageRejected('freshness', 'no IssueInstant');
  if (issued > ctx.now + CLOCK_SKEW_SECONDS)
    throw new SamlMessageRejected('freshness', 'IssueInstant is in the future');
  if (issued < ctx.now - MAX_REQUEST_AGE_SECONDS - CLOCK_SKEW_SECONDS) {
    throw new SamlMessageRejected('freshness', `request issued ${ctx.now - issued} s ago`);
  }
};
