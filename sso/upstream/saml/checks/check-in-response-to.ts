import { BEARER, NS } from '../../../provider/saml/saml-constants.js';
import { children, child, SamlMessageRejected } from '../../../provider/saml/xml/safe-xml.js';
import type { SamlResponseCheck } from '../saml-response-context.js';

/**
 * Profiles §4.1.4.2–4.1.4.3: a response to our request carries InResponseTo = the ID of the AuthnRequest *this
 * browser's* sign-in sent (bound through RelayState), on the Response and the bearer confirmation. A response with
 * no InResponseTo is unsolicited (§4.1.5) and accepted only when the provider allows IdP-initiated sign-in and no
 * request was pending.
 */
export const checkInResponseTo: SamlResponseCheck = ({ root, assertion, expectedRequestId, provider }) => {
  const onResponse = root.getAttribute('InResponseTo') || undefined;
  const subject = assertion ? child(assertion, NS.assertion, 'Subject') : undefined;
  const onConfirmation = (subject ? children(subject, NS.assertion, 'SubjectConfirmation') : [])
    .filter((c) => c.getAttribute('Method') === BEARER)
    .map((c) => child(c, NS.assertion, 'SubjectConfirmationData')?.getAttribute('InResponseTo') || undefined);
  if (expectedRequestId === undefined) {
    if (!provider.config.allowUnsolicited)
      throw new SamlMessageRejected(
        'in-response-to',
        'unsolicited response, and this provider does not allow them',
      );
    if (onResponse || onConfirmation.some(Boolean)) {
      throw new SamlMessageRejected(
        'in-response-to',
        'the response answers a request this browser did not send',
      );
    }
    return;
  }
  if (onResponse !== expectedRequestId) {
    throw new SamlMessageRejected(
      'in-response-to',
      `InResponseTo ${String(onResponse)} is not the request ${expectedRequestId}`,
    );
  }
  if (!onConfirmation.includes(expectedRequestId)) {
    throw new SamlMessageRejected('in-response-to', 'the bearer confirmation answers another request');
  }
};
