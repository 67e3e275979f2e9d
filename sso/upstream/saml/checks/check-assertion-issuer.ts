import { NS } from '../../../provider/saml/saml-constants.js';
import { child, SamlMessageRejected, textOf } from '../../../provider/saml/xml/safe-xml.js';
import type { SamlResponseCheck } from '../saml-response-context.js';

/** Core §2.3.3 / profiles §4.1.4.2: the assertion's Issuer is the IdP this provider is configured for. */
export const checkAssertionIssuer: SamlResponseCheck = ({ assertion, provider }) => {
  const issuer = assertion ? textOf(child(assertion, NS.assertion, 'Issuer')) : undefined;
  if (issuer !== provider.config.idpEntityId) {
    throw new SamlMessageRejected(
      'issuer',
      `assertion issued by ${String(issuer)}, expected ${provider.config.idpEntityId}`,
    );
  }
};
