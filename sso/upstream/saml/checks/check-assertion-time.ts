import { BEARER, NS } from '../../../provider/saml/saml-constants.js';
import { children, child, SamlMessageRejected } from '../../../provider/saml/xml/safe-xml.js';
import type { SamlResponseCheck } from '../saml-response-context.js';

const seconds = (value: string | null | undefined): number | undefined => {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? Number.NaN : Math.floor(ms / 1000);
};

/**
 * Core §2.5.1.2 Conditions NotBefore / NotOnOrAfter and profiles §4.1.4.2 SubjectConfirmationData NotOnOrAfter,
 * each within the provider's clock skew. A bearer assertion with no NotOnOrAfter would be valid forever: refused.
 */
export const checkAssertionTime: SamlResponseCheck = ({ assertion, now, provider }) => {
  const skew = provider.config.clockSkewSeconds;
  const conditions = assertion ? child(assertion, NS.assertion, 'Conditions') : undefined;
  const notBefore = seconds(conditions?.getAttribute('NotBefore'));
  const notOnOrAfter = seconds(conditions?.getAttribute('NotOnOrAfter'));
  if (notBefore !== undefined && !(notBefore <= now + skew))
    throw new SamlMessageRejected('time', 'assertion not yet valid');
  if (notOnOrAfter !== undefined && !(notOnOrAfter > now - skew))
    throw new SamlMessageRejected('time', 'assertion expired (Conditions)');
  const subject = assertion ? child(assertion, NS.assertion, 'Subject') : undefined;
  const confirmations = subject ? children(subject, NS.assertion, 'SubjectConfirmation') : [];
  const data = confirmations
    .filter((c) => c.getAttribute('Method') === BEARER)
    .map((c) => child(c, NS.assertion, 'SubjectConfirmationData'));
  const limits = data.map((d) => seconds(d?.getAttribute('NotOnOrAfter')));
  if (limits.length === 0 || limits.some((l) => l === undefined || Number.isNaN(l))) {
    throw new SamlMessageRejected('time', 'bearer confirmation without NotOnOrAfter');
  }
  if (!limits.some((l) => (l as number) > now - skew))
    throw new SamlMessageRejected('time', 'assertion expired (SubjectConfirmationData)');
};
