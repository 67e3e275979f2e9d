import { parseSamlXml, rootOf } from '../xml/safe-xml.js';
import type { LogoutRequestCheck, LogoutRequestContext, SamlParticipant } from './logout-context.js';
import {
  checkLogoutDestination,
  checkLogoutFreshness,
  checkLogoutIssuer,
  checkLogoutSession,
  checkLogoutShape,
  checkLogoutSignature,
} from './logout-checks.js';

export const LOGOUT_REQUEST_PIPELINE: readonly LogoutRequestCheck[] = [
  checkLogoutShape,
  checkLogoutIssuer,
  checkLogoutSignature,
  checkLogoutDestination,
  checkLogoutFreshness,
  checkLogoutSession,
];

export interface VerifiedLogoutRequest {
  requestId: string;
  relayState: string | undefined;
  sp: NonNullable<LogoutRequestContext['sp']>;
  participant: SamlParticipant;
}

export async function verifyLogoutRequest(
  input: Omit<LogoutRequestContext, 'doc' | 'root' | 'request' | 'sp' | 'participant'>,
): Promise<VerifiedLogoutRequest> {
  const doc = parseSamlXml(input.message.xml);
  const ctx: LogoutRequestContext = {
    ...input,
    doc,
    root: rootOf(doc),
    request: { sessionIndexes: [] },
  };
  for (const check of LOGOUT_REQUEST_PIPELINE) await check(ctx);
  if (!ctx.sp || !ctx.participant || !ctx.request.id) throw new Error('sso: logout pipeline incomplete');
  return {
    requestId: ctx.request.id,
    relayState: input.message.relayState,
    sp: ctx.sp,
    participant: ctx.participant,
  };
}
