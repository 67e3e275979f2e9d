import { randomBytes } from 'node:crypto';
import {
  ASSERTION_LIFETIME_SECONDS,
  ATTRNAME_BASIC,
  BEARER,
  CLOCK_SKEW_SECONDS,
  NS,
  STATUS,
} from '../saml-constants.js';
import { samlId, samlInstant, xmlEscape as x } from '../xml/xml-text.js';

export interface AssertionInput {
  idpEntityId: string;
  spEntityId: string;
  acsUrl: string;
  /** Absent for IdP-initiated (unsolicited) responses (profiles §4.1.5). */
  inResponseTo?: string;
  nameId: string;
  nameIdFormat: string;
  sessionIndex: string;
  authnInstant: Date;
  sessionNotOnOrAfter: Date;
  authnContextClassRef: string;
  attributes: Record<string, string[]>;
  now: Date;
}

/**
 * A bearer assertion for Web Browser SSO (profiles §4.1.4.2): Subject with a bearer SubjectConfirmation whose data
 * binds Recipient (the ACS), NotOnOrAfter and InResponseTo; Conditions with an AudienceRestriction to the SP; an
 * AuthnStatement with the session index SLO will name; the attributes.
 */
export function buildAssertion(input: AssertionInput): { id: string; xml: string } {
  const id = samlId(randomBytes(20));
  const now = input.now;
  const notOnOrAfter = samlInstant(new Date(now.getTime() + ASSERTION_LIFETIME_SECONDS * 1000));
  const notBefore = samlInstant(new Date(now.getTime() - CLOCK_SKEW_SECONDS * 1000));
  const inResponseTo = input.inResponseTo ? ` InResponseTo="${x(input.inResponseTo)}"` : '';
  const attributes = Object.entries(input.attributes)
    .map(
      ([name, values]) =>
        `<saml:Attribute Name="${x(name)}" NameFormat="${ATTRNAME_BASIC}">${values
          .map((v) => `<saml:AttributeValue xsi:type="xs:string">${x(v)}</saml:AttributeValue>`)
          .join('')}</saml:Attribute>`,
    )
    .join('');
  const xml =
    `<saml:Assertion xmlns:saml="${NS.assertion}" xmlns:xs="${NS.xs}" xmlns:xsi="${NS.xsi}" ID="${id}" Version="2.0" IssueInstant="${samlInstant(now)}">` +
    `<saml:Issuer>${x(input.idpEntityId)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="${x(input.nameIdFormat)}" SPNameQualifier="${x(input.spEntityId)}">${x(input.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="${BEARER}"><saml:SubjectConfirmationData${inResponseTo} Recipient="${x(input.acsUrl)}" NotOnOrAfter="${notOnOrAfter}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${notBefore}" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${x(input.spEntityId)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${samlInstant(input.authnInstant)}" SessionIndex="${x(input.sessionIndex)}" SessionNotOnOrAfter="${samlInstant(input.sessionNotOnOrAfter)}">` +
    `<saml:AuthnContext><saml:AuthnContextClassRef>${x(input.authnContextClassRef)}</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
    `</saml:Assertion>`;
  return { id, xml };
}

/** Core §3.2.2 Response around an assertion (or an EncryptedAssertion), or with an error status and none. */
export function buildResponse(input: {
  idpEntityId: string;
  destination: string;
  inResponseTo?: string;
  now: Date;
  status?: { code: string; subCode?: string; message?: string };
  assertionXml?: string;
}): string {
  const id = samlId(randomBytes(20));
  const status = input.status ?? { code: STATUS.success };
  const inResponseTo = input.inResponseTo ? ` InResponseTo="${x(input.inResponseTo)}"` : '';
  const statusXml =
    `<samlp:Status><samlp:StatusCode Value="${x(status.code)}">${status.subCode ? `<samlp:StatusCode Value="${x(status.subCode)}"/>` : ''}</samlp:StatusCode>` +
    `${status.message ? `<samlp:StatusMessage>${x(status.message)}</samlp:StatusMessage>` : ''}</samlp:Status>`;
  return (
    `<samlp:Response xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${id}" Version="2.0" IssueInstant="${samlInstant(input.now)}" Destination="${x(input.destination)}"${inResponseTo}>` +
    `<saml:Issuer>${x(input.idpEntityId)}</saml:Issuer>${statusXml}${input.assertionXml ?? ''}</samlp:Response>`
  );
}
