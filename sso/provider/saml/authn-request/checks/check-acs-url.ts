import { SamlMessageRejected } from '../../xml/safe-xml.js';
import type { AuthnRequestCheck } from '../authn-request-context.js';

/**
 * Profiles §4.1.4.1: the IdP MUST ensure the AssertionConsumerServiceURL belongs to the requester. Only the exact,
 * registered ACS URL is accepted (no prefix or pattern matching), so a response never travels to a URL an
 * attacker put in a request.
 */
export const checkAcsUrl: AuthnRequestCheck = (ctx) => {
  const sp = ctx.sp;
  if (!sp) throw new SamlMessageRejected('acs', 'issuer not resolved');
  const asked = ctx.request.acsUrl;
  if (asked !== undefined && asked !== sp.saml.acsUrl) {
    throw new SamlMessageRejected(
      'acs',
      `AssertionConsumerServiceURL ${asked} is not the one registered for ${sp.slug}`,
    );
  }
  ctx.request.acsUrl = sp.saml.acsUrl;
};
