import type { SsoDeps } from '../deps.js';
import { recordSsoEvent } from '../audit/record-sso-event.js';
import { SignInRejected } from '../errors.js';
import { linkIdentity, type LinkedPerson } from '../linking/link-identity.js';
import {
  createSsoSession,
  revokeSsoSessionByToken,
  type ActiveSsoSession,
} from '../sessions/sso-sessions.js';
import type { LoadedProvider } from '../upstream/provider-config.js';
import type { UpstreamIdentity } from '../upstream/upstream-identity.js';

export interface RequestInfo {
  ip: string | null;
  userAgent: string | null;
}

/** Only an active person signs in; the others are told as much as they need (see REJECTION_MESSAGES). */
export function checkPersonStatus(linked: LinkedPerson): void {
  if (linked.status === 'active') return;
  if (linked.status === 'pending')
    throw new SignInRejected('pending_approval', `person ${linked.personId} is pending`);
  throw new SignInRejected('person_inactive', `person ${linked.personId} has status ${linked.status}`);
}

/** Upstream identity → person: linking, then the status check. Throws SignInRejected; creates no session. */
export async function resolvePerson(
  deps: SsoDeps,
  provider: Pick<LoadedProvider, 'id' | 'tenantId' | 'linkBy' | 'linkClaim'>,
  identity: UpstreamIdentity,
): Promise<LinkedPerson> {
  const linked = await linkIdentity(deps.dataSource, provider, identity);
  checkPersonStatus(linked);
  return linked;
}

/**
 * The last step of every successful sign-in: a fresh session (the browser's previous one, if any, is revoked so a
 * planted session cookie cannot survive a login — session fixation), and an audit row.
 */
export async function startSession(
  deps: SsoDeps,
  linked: LinkedPerson,
  providerId: string,
  amr: string[],
  info: RequestInfo,
  previousToken?: string,
): Promise<{ token: string; session: ActiveSsoSession }> {
  if (previousToken) await revokeSsoSessionByToken(deps.dataSource, previousToken);
  const created = await createSsoSession(deps.dataSource, {
    tenantId: linked.tenantId,
    personId: linked.personId,
    identityId: linked.identityId,
    providerId,
    amr,
    ip: info.ip,
    userAgent: info.userAgent,
  });
  await recordSsoEvent(deps.dataSource, {
    action: 'sso.sign_in',
    outcome: 'success',
    tenantId: linked.tenantId,
    actorType: 'person',
    actorId: linked.personId,
    targetType: 'identity_provider',
    targetId: providerId,
    detail: { amr, session: created.session.sessionRef },
    ip: info.ip,
    userAgent: info.userAgent,
  });
  return created;
}
