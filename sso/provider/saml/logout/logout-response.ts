import { randomBytes } from 'node:crypto';
import { NS, STATUS } from '../saml-constants.js';
import { samlId, samlInstant, xmlEscape as x } from '../xml/xml-text.js';
import { redirectBindingUrl } from './redirect-binding.js';

/** A LogoutResponse (core §3.7.2) over HTTP-Redirect, signed in the query. */
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
  return redirectBindingUrl({
    destination: input.destination,
    param: 'SAMLResponse',
    xml,
    relayState: input.relayState,
    privateKeyPem: input.privateKeyPem,
  });
}

/** A LogoutRequest (core §3.7.1) the IdP sends to another SP of the session, over HTTP-Redirect. */
export function logoutRequestUrl(input: {
  idpEntityId: string;
  destination: string;
  nameId: string;
  nameIdFormat: string;
  spEntityId: string;
  sessionIndex: string;
  relayState: string;
  privateKeyPem: string;
}): { url: string; requestId: string } {
  const requestId = samlId(randomBytes(20));
  const now = new Date();
  const xml =
    `<samlp:LogoutRequest xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${requestId}" Version="2.0" ` +
    `IssueInstant="${samlInstant(now)}" Destination="${x(input.destination)}" NotOnOrAfter="${samlInstant(new Date(now.getTime() + 300_000))}">` +
    `<saml:Issuer>${x(input.idpEntityId)}</saml:Issuer>` +
    `<saml:NameID Format="${x(input.nameIdFormat)}" SPNameQualifier="${x(input.spEntityId)}">${x(input.nameId)}</saml:NameID>` +
    `<samlp:SessionIndex>${x(input.sessionIndex)}</samlp:SessionIndex></samlp:LogoutRequest>`;
  return {
    url: redirectBindingUrl({
      destination: input.destination,
      param: 'SAMLRequest',
      xml,
      relayState: input.relayState,
      privateKeyPem: input.privateKeyPem,
    }),
    requestId,
  };
}
