import type { Element } from '@xmldom/xmldom';
import { NS } from '../../../provider/saml/saml-constants.js';
import { SamlMessageRejected, descendants } from '../../../provider/saml/xml/safe-xml.js';
import type { SamlResponseCheck } from '../saml-response-context.js';

/**
 * XML signature wrapping defence (Somorovsky et al., "On Breaking SAML", 2012): the document holds exactly one
 * Assertion or EncryptedAssertion *anywhere*, as a direct child of the Response, and no element ID appears twice.
 * A wrapped document — the signed assertion hidden in Extensions, an Object, or a second Assertion beside it —
 * fails here before any signature is looked at, so the checks that follow can only ever read the signed one.
 */
export const checkSingleAssertion: SamlResponseCheck = ({ doc, root }) => {
  const assertions = [
    ...descendants(doc, NS.assertion, 'Assertion'),
    ...descendants(doc, NS.assertion, 'EncryptedAssertion'),
  ];
  if (assertions.length !== 1)
    throw new SamlMessageRejected('wrapping', `expected one assertion, found ${assertions.length}`);
  if ((assertions[0] as Element).parentNode !== root) {
    throw new SamlMessageRejected('wrapping', 'the assertion is not a direct child of the Response');
  }
  const seen = new Set<string>();
  for (const el of Array.from(doc.getElementsByTagName('*'))) {
    const id = el.getAttribute('ID');
    if (id === null) continue;
    if (seen.has(id)) throw new SamlMessageRejected('wrapping', `ID ${id} appears twice`);
    seen.add(id);
  }
};
