import { NS, STATUS } from '../../../provider/saml/saml-constants.js';
import { child, SamlMessageRejected } from '../../../provider/saml/xml/safe-xml.js';
import type { SamlResponseCheck } from '../saml-response-context.js';

/** Core §3.2.2.2: anything but Success is a refusal by the IdP (the person cancelled, NoPassive, RequestDenied…). */
export const checkResponseStatus: SamlResponseCheck = ({ root }) => {
  const status = child(root, NS.protocol, 'Status');
  const code = status ? child(status, NS.protocol, 'StatusCode') : undefined;
  const value = code?.getAttribute('Value');
  if (value !== STATUS.success) {
    const sub = code ? child(code, NS.protocol, 'StatusCode')?.getAttribute('Value') : undefined;
    throw new SamlMessageRejected('status', `IdP answered ${String(value)}${sub ? ` / ${sub}` : ''}`);
  }
};
