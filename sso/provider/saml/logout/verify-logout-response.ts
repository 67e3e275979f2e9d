import { NS, STATUS } from '../saml-constants.js';
import type { ReceivedMessage } from '../xml/received-message.js';
import { child, parseSamlXml, rootOf, SamlMessageRejected, textOf } from '../xml/safe-xml.js';
import { verifyEnvelopedSignature, verifyRedirectSignature } from '../xml/verify-signature.js';

/**
 * An SP's answer to our LogoutRequest (core §3.7.2, profiles §4.4.4.2): a LogoutResponse from the SP we asked,
 * to our SLO endpoint, in response to our request, signed with its registered certificate when it has one.
 * Returns whether the SP reports success.
 */
export function verifyLogoutResponse(
  message: ReceivedMessage,
  expected: { spEntityId: string; requestId: string; sloUrl: string; certificate: string | undefined },
): boolean {
  const doc = parseSamlXml(message.xml);
  const root = rootOf(doc);
  if (
    root.namespaceURI !== NS.protocol ||
    root.localName !== 'LogoutResponse' ||
    root.getAttribute('Version') !== '2.0'
  ) {
    throw new SamlMessageRejected('shape', 'expected a samlp:LogoutResponse, Version 2.0');
  }
  const issuer = textOf(child(root, NS.assertion, 'Issuer'));
  if (issuer !== expected.spEntityId)
    throw new SamlMessageRejected(
      'issuer',
      `LogoutResponse from ${String(issuer)}, expected ${expected.spEntityId}`,
    );
  if (root.getAttribute('InResponseTo') !== expected.requestId)
    throw new SamlMessageRejected('in-response-to', 'LogoutResponse answers another request');
  const destination = root.getAttribute('Destination');
  if (destination !== null && destination !== expected.sloUrl)
    throw new SamlMessageRejected('destination', `Destination ${destination} is not ${expected.sloUrl}`);
  if (expected.certificate) {
    if (message.binding === 'redirect') verifyRedirectSignature(message, [expected.certificate]);
    else verifyEnvelopedSignature(message.xml, root, [expected.certificate]);
  }
  const status = child(root, NS.protocol, 'Status');
  return (
    (status ? child(status, NS.protocol, 'StatusCode') : undefined)?.getAttribute('Value') === STATUS.success
  );
}
