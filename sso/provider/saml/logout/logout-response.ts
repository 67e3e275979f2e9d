import { randomBytes, sign } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { NS, SIG_ALG, STATUS } from '../saml-constants.js';
import { samlId, samlInstant, xmlEscape as x } from '../xml/xml-text.js';

/**
 * A LogoutResponse (core §3.7.2) sent back over HTTP-Redirect (bindings §3.4.4), signed in the query with
 * RSA-SHA256 (§3.4.4.1): returns the URL to send the browser to.
 */
export function logoutResponseUrl(input: {
  idpEntityId: string;
  destination: string;
  inResponseTo: string;
  relayState: string | undefined;
  privateKeyPem: string;
  success: boolean;
}): string {
  const xml =
    `<samlp:LogoutResponse xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${samlId(randomBytes(20))}" Version="2.0" ` +
    `IssueInstant="${samlInstant(new Date())}" Destination="${x(input.destination)}" InResponseTo="${x(input.inResponseTo)}">` +
    `<saml:Issuer>${x(input.idpEntityId)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${input.success ? STATUS.success : STATUS.responder}"/></samlp:Status></samlp:LogoutResponse>`;
  const parts = [`SAMLResponse=${encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'))}`];
  if (input.relayState !== undefined) parts.push(`RelayState=${encodeURIComponent(input.relayState)}`);
  parts.push(`SigAlg=${encodeURIComponent(SIG_ALG.rsaSha256)}`);
  const octets = parts.join('&');
  const signature = sign('RSA-SHA256', Buffer.from(octets), input.privateKeyPem).toString('base64');
  const url = new URL(input.destination);
  return `${url.origin}${url.pathname}${url.search ? `${url.search}&` : '?'}${octets}&Signature=${encodeURIComponent(signature)}`;
}
