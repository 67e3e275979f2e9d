import { createHash } from 'node:crypto';
import type { PersonAppView } from '../../../access/person-app-view.js';
import type { ActiveSsoSession } from '../../../sessions/sso-sessions.js';
import type { ApplicationSummary } from '../../oidc/application-directory.js';
import { STATUS } from '../saml-constants.js';
import { samlAttributes } from './attributes.js';
import { buildAssertion, buildResponse } from './build-response.js';
import { encryptAssertion } from './encrypt-assertion.js';
import { nameIdFor } from './nameid.js';
import { signEnveloped } from './sign-xml.js';

export interface SigningKeyPair {
  privateKeyPem: string;
  certificatePem: string;
}

export interface IssuedResponse {
  acsUrl: string;
  samlResponse: string;
  relayState: string | undefined;
  nameId: string;
  sessionIndex: string;
  assertionId: string;
}

/** Per-SP session index: SLO can find the session from it, but two SPs cannot correlate their values. */
export function sessionIndexFor(sessionRef: string, spEntityId: string): string {
  return `_${createHash('sha256').update(`${sessionRef}\0${spEntityId}`).digest('base64url')}`;
}

/** The AuthnContextClassRef matching how the person signed in (core §2.7.2.2, REFEDS MFA profile for MFA). */
export function authnContextFor(amr: readonly string[]): string {
  if (amr.includes('mfa')) return 'https://refeds.org/profile/mfa';
  if (amr.includes('pwd') && !amr.includes('fed'))
    return 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';
  return 'urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified';
}

/**
 * The whole IdP answer: assertion (signed unless the SP opted out) → encrypted when the SP asked → Response
 * (signed unless the SP opted out) → base64 for the HTTP-POST binding (bindings §3.5.4).
 */
export async function issueSamlResponse(input: {
  idpEntityId: string;
  key: SigningKeyPair;
  sp: ApplicationSummary & { saml: NonNullable<ApplicationSummary['saml']> };
  person: PersonAppView;
  session: ActiveSsoSession;
  acsUrl: string;
  inResponseTo: string | undefined;
  relayState: string | undefined;
  nameIdFormat: string;
  now?: Date;
}): Promise<IssuedResponse> {
  const now = input.now ?? new Date();
  const { sp } = input;
  const nameId = nameIdFor(input.nameIdFormat, input.person, sp.clientId);
  const sessionIndex = sessionIndexFor(input.session.sessionRef, sp.clientId);
  const assertion = buildAssertion({
    idpEntityId: input.idpEntityId,
    spEntityId: sp.clientId,
    acsUrl: input.acsUrl,
    inResponseTo: input.inResponseTo,
    nameId,
    nameIdFormat: input.nameIdFormat,
    sessionIndex,
    authnInstant: input.session.createdAt,
    sessionNotOnOrAfter: input.session.expiresAt,
    authnContextClassRef: authnContextFor(input.session.amr),
    attributes: samlAttributes(input.person, sp.claimMappings),
    now,
  });
  let assertionXml =
    sp.saml.signAssertions === false ? assertion.xml : signEnveloped(assertion.xml, 'Assertion', input.key);
  if (sp.saml.encryptAssertions) {
    if (!sp.saml.certificate)
      throw new Error(`SAML app ${sp.slug} asks for encryption but has no certificate`);
    assertionXml = await encryptAssertion(assertionXml, sp.saml.certificate);
  }
  const response = buildResponse({
    idpEntityId: input.idpEntityId,
    destination: input.acsUrl,
    inResponseTo: input.inResponseTo,
    now,
    assertionXml,
  });
  const signed = sp.saml.signResponses === false ? response : signEnveloped(response, 'Response', input.key);
  return {
    acsUrl: input.acsUrl,
    samlResponse: Buffer.from(signed, 'utf8').toString('base64'),
    relayState: input.relayState,
    nameId,
    sessionIndex,
    assertionId: assertion.id,
  };
}

/** A signed Response carrying only an error status (e.g. NoPassive, RequestDenied), no assertion. */
export function samlErrorResponse(input: {
  idpEntityId: string;
  key: SigningKeyPair;
  acsUrl: string;
  inResponseTo: string | undefined;
  subCode: string;
  message?: string;
}): string {
  const xml = buildResponse({
    idpEntityId: input.idpEntityId,
    destination: input.acsUrl,
    inResponseTo: input.inResponseTo,
    now: new Date(),
    status: {
      code: input.subCode === STATUS.noPassive ? STATUS.responder : STATUS.requester,
      subCode: input.subCode,
      message: input.message,
    },
  });
  return Buffer.from(signEnveloped(xml, 'Response', input.key), 'utf8').toString('base64');
}
