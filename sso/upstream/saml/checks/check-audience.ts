import { NS } from '../../../provider/saml/saml-constants.js';
import { children, child, SamlMessageRejected, textOf } from '../../../provider/saml/xml/safe-xml.js';
import type { SamlResponseCheck } from '../saml-response-context.js';

/**
 * Core §2.5.1.4 / profiles §4.1.4.2: the assertion MUST carry an AudienceRestriction naming us; with several
 * restrictions, every one must include us.
 */
export const checkAudience: SamlResponseCheck = ({ assertion, spEntityId }) => {
  const conditions = assertion ? child(assertion, NS.assertion, 'Conditions') : undefined;
  const restrictions = conditions ? children(conditions, NS.assertion, 'AudienceRestriction') : [];
  if (restrictions.length === 0) throw new SamlMessageRejected('audience', 'no AudienceRestriction');
  for (const restriction of restrictions) {
    const audiences = children(restriction, NS.assertion, 'Audience').map((a) => textOf(a));
    if (!audiences.includes(spEntityId)) {
      throw new SamlMessageRejected(
        'audience',
        `audience ${audiences.join(', ')} does not include ${spEntityId}`,
      );
    }
  }
};
