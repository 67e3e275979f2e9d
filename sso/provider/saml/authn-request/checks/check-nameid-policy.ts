import { NAMEID_FORMAT, SUPPORTED_NAMEID_FORMATS } from '../../saml-constants.js';
import { SamlMessageRejected } from '../../xml/safe-xml.js';
import type { AuthnRequestCheck } from '../authn-request-context.js';

/**
 * Core §3.4.1.1: a NameIDPolicy Format we cannot honour is answered with InvalidNameIDPolicy; `unspecified` (or no
 * policy) means the SP's registered format, persistent by default.
 */
export const checkNameIdPolicy: AuthnRequestCheck = (ctx) => {
  const registered = ctx.sp?.saml.nameIdFormat ?? NAMEID_FORMAT.persistent;
  const asked = ctx.request.nameIdFormat;
  if (asked === undefined || asked === NAMEID_FORMAT.unspecified) {
    ctx.request.nameIdFormat = registered;
    return;
  }
  if (!SUPPORTED_NAMEID_FORMATS.includes(asked)) {
    throw new SamlMessageRejected('nameid-policy', `NameID format ${asked} is not supported`);
  }
};
