import { NS, CLOCK_SKEW_SECONDS } from '../saml-constants.js';
import { children, child, SamlMessageRejected, textOf } from '../xml/safe-xml.js';
import { verifyEnvelopedSignature, verifyRedirectSignature } from '../xml/verify-signature.js';
import type { LogoutRequestCheck, SamlParticipant } from './logout-context.js';

/** Core §3.7.1: samlp:LogoutRequest, Version 2.0, ID, IssueInstant, an identifier, optional SessionIndex(es). */
export const checkLogoutShape: LogoutRequestCheck = (ctx) => {
  const { root } = ctx;
  if (root.namespaceURI !== NS.protocol || root.localName !== 'LogoutRequest') {
    throw new SamlMessageRejected('shape', `expected samlp:LogoutRequest, got ${root.localName}`);
  }
  if (root.getAttribute('Version') !== '2.0') throw new SamlMessageRejected('shape', 'Version must be 2.0');
  const id = root.getAttribute('ID');
  const instant = Date.parse(root.getAttribute('IssueInstant') ?? '');
  if (!id || Number.isNaN(instant)) throw new SamlMessageRejected('shape', 'ID or IssueInstant missing');
  const notOnOrAfter = root.getAttribute('NotOnOrAfter');
  ctx.request = {
    id,
    issueInstant: Math.floor(instant / 1000),
    issuer: textOf(child(root, NS.assertion, 'Issuer')),
    destination: root.getAttribute('Destination') ?? undefined,
    nameId: textOf(child(root, NS.assertion, 'NameID')),
    sessionIndexes: children(root, NS.protocol, 'SessionIndex').flatMap((el) => textOf(el) ?? []),
    notOnOrAfter: notOnOrAfter ? Math.floor(Date.parse(notOnOrAfter) / 1000) : undefined,
  };
  if (!ctx.request.nameId)
    throw new SamlMessageRejected('shape', 'no NameID (encrypted identifiers are not supported)');
};

/** The issuer is a registered SAML app with a certificate (needed to authenticate the request). */
export const checkLogoutIssuer: LogoutRequestCheck = async (ctx) => {
  const issuer = ctx.request.issuer;
  const app = issuer ? await ctx.applications.byClientId(issuer) : undefined;
  if (!app || app.protocol !== 'saml' || !app.saml || !app.enabled) {
    throw new SamlMessageRejected('issuer', `no enabled SAML app registered as ${String(issuer)}`);
  }
  ctx.sp = { ...app, saml: app.saml };
};

/** Profiles §4.4.4.1: a LogoutRequest MUST be authenticated — here, signed with the SP's registered certificate. */
export const checkLogoutSignature: LogoutRequestCheck = (ctx) => {
  const certificate = ctx.sp?.saml.certificate;
  if (!certificate)
    throw new SamlMessageRejected(
      'signature',
      `${String(ctx.sp?.slug)} has no certificate to authenticate logout`,
    );
  if (ctx.message.binding === 'redirect') verifyRedirectSignature(ctx.message, [certificate]);
  else verifyEnvelopedSignature(ctx.message.xml, ctx.root, [certificate]);
};

/** Bindings §3.4.5.2 / §3.5.5.2: a signed message names its Destination, which must be our SLO endpoint. */
export const checkLogoutDestination: LogoutRequestCheck = (ctx) => {
  if (ctx.request.destination !== ctx.sloUrl) {
    throw new SamlMessageRejected(
      'destination',
      `Destination ${String(ctx.request.destination)} is not ${ctx.sloUrl}`,
    );
  }
};

/** Core §3.7.1: NotOnOrAfter bounds the request; IssueInstant must be recent. */
export const checkLogoutFreshness: LogoutRequestCheck = (ctx) => {
  const { issueInstant, notOnOrAfter } = ctx.request;
  if (notOnOrAfter !== undefined && notOnOrAfter <= ctx.now - CLOCK_SKEW_SECONDS) {
    throw new SamlMessageRejected('freshness', 'the request is past its NotOnOrAfter');
  }
  if (
    issueInstant === undefined ||
    issueInstant < ctx.now - 600 - CLOCK_SKEW_SECONDS ||
    issueInstant > ctx.now + CLOCK_SKEW_SECONDS
  ) {
    throw new SamlMessageRejected('freshness', 'IssueInstant is not recent');
  }
};

/**
 * The SessionIndex names a session this SP was given an assertion in, for this NameID — an SP can only end a
 * session it is part of, and only for the subject it was told.
 */
export const checkLogoutSession: LogoutRequestCheck = async (ctx) => {
  for (const index of ctx.request.sessionIndexes) {
    const participant = await ctx.store.get<SamlParticipant>('saml-session-index', index);
    if (
      participant &&
      participant.spEntityId === ctx.sp?.clientId &&
      participant.nameId === ctx.request.nameId
    ) {
      ctx.participant = participant;
      return;
    }
  }
  throw new SamlMessageRejected('session', 'no session of this SP matches the NameID and SessionIndex');
};
