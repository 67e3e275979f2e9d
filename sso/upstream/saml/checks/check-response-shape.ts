import { NS } from '../../../provider/saml/saml-constants.js';
import { SamlMessageRejected } from '../../../provider/saml/xml/safe-xml.js';
import type { SamlResponseCheck } from '../saml-response-context.js';

/** Core §3.2.2: the message is a samlp:Response, Version 2.0, with an ID. */
export const checkResponseShape: SamlResponseCheck = ({ root }) => {
  if (root.namespaceURI !== NS.protocol || root.localName !== 'Response') {
    throw new SamlMessageRejected('shape', `expected samlp:Response, got ${root.localName}`);
  }
  if (root.getAttribute('Version') !== '2.0' || !root.getAttribute('ID')) {
    throw new SamlMessageRejected('shape', 'Version must be 2.0 and ID present');
  }
};
