import { checkAcsUrl } from './checks/check-acs-url.js';
import { checkNameIdPolicy } from './checks/check-nameid-policy.js';
import { checkRequestDestination } from './checks/check-request-destination.js';
import { checkRequestFreshness } from './checks/check-request-freshness.js';
import { checkRequestIssuer } from './checks/check-request-issuer.js';
import { checkRequestReplay } from './checks/check-request-replay.js';
import { checkRequestShape } from './checks/check-request-shape.js';
import { checkRequestSignature } from './checks/check-request-signature.js';
import type { AuthnRequestCheck, AuthnRequestContext } from './authn-request-context.js';
import { parseSamlXml, rootOf } from '../xml/safe-xml.js';

/**
 * An SP's AuthnRequest, checked in order. Replay is last so a request refused for another reason does not burn its
 * ID; signature comes before anything that trusts the SP's other fields.
 */
export const AUTHN_REQUEST_PIPELINE: readonly AuthnRequestCheck[] = [
  checkRequestShape,
  checkRequestIssuer,
  checkRequestSignature,
  checkRequestDestination,
  checkRequestFreshness,
  checkAcsUrl,
  checkNameIdPolicy,
  checkRequestReplay,
];

export interface VerifiedAuthnRequest {
  applicationId: string;
  spEntityId: string;
  requestId: string;
  acsUrl: string;
  relayState: string | undefined;
  forceAuthn: boolean;
  isPassive: boolean;
  nameIdFormat: string;
}

export async function verifyAuthnRequest(
  input: Omit<AuthnRequestContext, 'doc' | 'root' | 'request' | 'sp'>,
  pipeline: readonly AuthnRequestCheck[] = AUTHN_REQUEST_PIPELINE,
): Promise<VerifiedAuthnRequest> {
  const doc = parseSamlXml(input.message.xml);
  const ctx: AuthnRequestContext = {
    ...input,
    doc,
    root: rootOf(doc),
    request: { forceAuthn: false, isPassive: false },
  };
  for (const check of pipeline) await check(ctx);
  const { sp, request } = ctx;
  if (!sp || !request.id || !request.acsUrl || !request.nameIdFormat)
    throw new Error('sso: AuthnRequest pipeline incomplete');
  return {
    applicationId: sp.id,
    spEntityId: sp.clientId,
    requestId: request.id,
    acsUrl: request.acsUrl,
    relayState: input.message.relayState,
    forceAuthn: request.forceAuthn,
    isPassive: request.isPassive,
    nameIdFormat: request.nameIdFormat,
  };
}
