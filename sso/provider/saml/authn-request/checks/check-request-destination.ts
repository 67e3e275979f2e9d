import { SamlMessageRejected } from '../../xml/safe-xml.js';
import type { AuthnRequestCheck } from '../authn-request-context.js';

/**
 * Bindings §3.4.5.2 / §3.5.5.2: a signed request MUST carry Destination, and any Destination must be the endpoint
 * that received it — a request signed for another IdP is not for us.
 */
export const checkRequestDestination: AuthnRequestCheck = (ctx) => {
  const { destination } = ctx.request;
  const signed =
    ctx.message.redirectSignature !== undefined ||
    ctx.root.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature').length > 0;
  if (destination === undefined) {
    if (signed) throw new SamlMessageRejected('destination', 'a signed request must name its Destination');
    return;
  }
  if (destination !== ctx.idp.ssoUrl) {
    throw new SamlMessageRejected('destination', `Destination ${destination} is not ${ctx.idp.ssoUrl}`);
  }
};
