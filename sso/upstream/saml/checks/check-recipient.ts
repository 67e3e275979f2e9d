import { BEARER, NS } from '../../../provider/saml/saml-constants.js';
import { children, child, SamlMessageRejected } from '../../../provider/saml/xml/safe-xml.js';
import type { SamlResponseCheck } from '../saml-response-context.js';

/**
 * Profiles §4.1.4.2: a bearer SubjectConfirmation whose SubjectConfirmationData has Recipient = our ACS URL (and
 * no NotBefore). An assertion minted for another SP's endpoint is refused even if its audience was sloppy.
 */
export const checkRecipient: SamlResponseCheck = ({ assertion, acsUrl }) => {
  const subject = assertion ? child(assertion, NS.assertion, 'Subject') : undefined;
  const bearer = subject
    ? children(subject, NS.assertion, 'SubjectConfirmation').filter(
        (c) => c.getAttribute('Method') === BEARER,
      )
    : [];
  const ok = bearer.some((confirmation) => {
    const data = child(confirmation, NS.assertion, 'SubjectConfirmationData');
    return data?.getAttribute('Recipient') === acsUrl && !data.hasAttribute('NotBefore');
  });
  if (!ok) throw new SamlMessageRejected('recipient', `no bearer confirmation with Recipient ${acsUrl}`);
};
