import { SamlMessageRejected } from '../../../provider/saml/xml/safe-xml.js';
import type { SamlResponseCheck } from '../saml-response-context.js';

/**
 * Bindings §3.5.5.2: a signed Response sent by HTTP-POST MUST carry Destination, and it must be the ACS URL that
 * received it — a response the IdP addressed to another SP cannot be replayed at ours.
 */
export const checkResponseDestination: SamlResponseCheck = ({ root, acsUrl }) => {
  const destination = root.getAttribute('Destination');
  if (destination !== acsUrl)
    throw new SamlMessageRejected('destination', `Destination ${String(destination)} is not ${acsUrl}`);
};
