import { randomBytes } from 'node:crypto';
import type { PersonAppView } from '../../access/person-app-view.js';
import { recordSsoEvent } from '../../audit/record-sso-event.js';
import type { SsoDeps } from '../../deps.js';
import { LOGIN_TTL_SECONDS } from '../../login/login-transaction.js';
import type { ActiveSsoSession } from '../../sessions/sso-sessions.js';
import type { ExpiringStore } from '../../state/expiring-store.js';
import type { KeyMaterial } from '../keys/signing-keys.js';
import type { ApplicationDirectory, ApplicationSummary } from '../oidc/application-directory.js';
import { verifyAuthnRequest } from './authn-request/verify-authn-request.js';
import type { SamlParticipant } from './logout/logout-context.js';
import { logoutRequestUrl, logoutResponseUrl } from './logout/logout-response.js';
import { verifyLogoutResponse } from './logout/verify-logout-response.js';
import { verifyLogoutRequest, type VerifiedLogoutRequest } from './logout/verify-logout-request.js';
import { idpMetadata } from './metadata.js';
import { issueSamlResponse, samlErrorResponse, type IssuedResponse } from './response/issue-response.js';
import { NAMEID_FORMAT, samlUrls } from './saml-constants.js';
import type { ReceivedMessage } from './xml/received-message.js';
import { SamlMessageRejected } from './xml/safe-xml.js';

/** A verified AuthnRequest (or an IdP-initiated start) waiting for the person's session. */
export interface PendingSamlRequest {
  applicationId: string;
  /** Absent for IdP-initiated sign-in (no InResponseTo, profiles §4.1.5). */
  requestId?: string;
  acsUrl: string;
  relayState?: string;
  forceAuthn: boolean;
  isPassive: boolean;
  nameIdFormat: string;
  /** Epoch ms; ForceAuthn needs a sign-in after this. */
  receivedAt: number;
}

export type SamlServiceProvider = ApplicationSummary & { saml: NonNullable<ApplicationSummary['saml']> };

const PENDING = 'saml-pending';
const PARTICIPANTS = 'saml-session-participants';
const SLO = 'saml-slo';

type ParticipantEntry = SamlParticipant & { sessionIndex: string };

interface SloState {
  origin?: { requestId: string; relayState: string | undefined; sloUrl: string };
  queue: ParticipantEntry[];
  waiting?: { spEntityId: string; requestId: string; sloUrl: string; certificate: string | undefined };
  /** Junction-initiated logout: where oidc-provider was sending the browser before the SAML round. */
  final?: string;
}
const MAX_RELAY_STATE = 1024;

/** Junction as SAML 2.0 IdP for apps that only speak SAML (Web Browser SSO profile, HTTP-Redirect / HTTP-POST). */
export class SamlIdp {
  readonly urls: ReturnType<typeof samlUrls>;

  constructor(
    private readonly deps: SsoDeps,
    private readonly store: ExpiringStore,
    private readonly applications: ApplicationDirectory,
    private readonly keys: () => KeyMaterial,
  ) {
    this.urls = samlUrls(deps.publicUrl);
  }

  metadata(): string {
    return idpMetadata(this.deps.publicUrl, this.keys().samlCertificates);
  }

  /** Checks an SP's AuthnRequest (verify-authn-request.ts) and parks it under a random key. */
  async receiveAuthnRequest(message: ReceivedMessage): Promise<string> {
    if (message.relayState !== undefined && message.relayState.length > MAX_RELAY_STATE) {
      throw new SamlMessageRejected('relay-state', 'RelayState too long');
    }
    const verified = await verifyAuthnRequest({
      message,
      idp: { entityId: this.urls.entityId, ssoUrl: this.urls.sso },
      now: Math.floor(Date.now() / 1000),
      applications: this.applications,
      store: this.store,
    });
    return this.park({
      applicationId: verified.applicationId,
      requestId: verified.requestId,
      acsUrl: verified.acsUrl,
      relayState: verified.relayState,
      forceAuthn: verified.forceAuthn,
      isPassive: verified.isPassive,
      nameIdFormat: verified.nameIdFormat,
      receivedAt: Date.now(),
    });
  }

  /**
   * IdP-initiated sign-in (profiles §4.1.5) from the launcher: only to SPs that accept unsolicited responses, and a
   * RelayState only when it is one of the SP's registered URLs (never an open redirect through the SP).
   */
  async startIdpInitiated(applicationId: string, relayState: string | undefined): Promise<string> {
    const app = await this.applications.byId(applicationId);
    if (!app || app.protocol !== 'saml' || !app.saml || !app.enabled) {
      throw new SamlMessageRejected('issuer', `no enabled SAML app ${applicationId}`);
    }
    if (!app.saml.allowIdpInitiated)
      throw new SamlMessageRejected('idp-initiated', `${app.slug} does not accept IdP-initiated sign-in`);
    if (relayState !== undefined && !relayStateAllowed(relayState, app.saml.relayStateUrls ?? [])) {
      throw new SamlMessageRejected(
        'relay-state',
        `RelayState ${relayState.slice(0, 200)} is not a registered URL of ${app.slug}`,
      );
    }
    return this.park({
      applicationId: app.id,
      acsUrl: app.saml.acsUrl,
      relayState,
      forceAuthn: false,
      isPassive: false,
      nameIdFormat: app.saml.nameIdFormat ?? NAMEID_FORMAT.persistent,
      receivedAt: Date.now(),
    });
  }

  async pending(key: string): Promise<PendingSamlRequest | undefined> {
    return /^[A-Za-z0-9_-]{24}$/.test(key) ? this.store.get<PendingSamlRequest>(PENDING, key) : undefined;
  }

  async serviceProvider(applicationId: string): Promise<SamlServiceProvider | undefined> {
    const app = await this.applications.byId(applicationId);
    return app?.saml && app.protocol === 'saml' && app.enabled ? { ...app, saml: app.saml } : undefined;
  }

  /** Issues the Response for a parked request (single use) and records the SP as a participant of the session. */
  async respond(
    key: string,
    pending: PendingSamlRequest,
    sp: SamlServiceProvider,
    session: ActiveSsoSession,
    person: PersonAppView,
    info: { ip: string | null; userAgent: string | null },
  ): Promise<IssuedResponse> {
    const taken = await this.store.take<PendingSamlRequest>(PENDING, key);
    if (!taken) throw new SamlMessageRejected('replay', 'this sign-in request was already answered');
    const issued = await issueSamlResponse({
      idpEntityId: this.urls.entityId,
      key: this.keys().saml,
      sp,
      person,
      session,
      acsUrl: pending.acsUrl,
      inResponseTo: pending.requestId,
      relayState: pending.relayState,
      nameIdFormat: pending.nameIdFormat,
    });
    const ttl = Math.max(60, Math.ceil((session.expiresAt.getTime() - Date.now()) / 1000));
    const participant: SamlParticipant = {
      sessionRef: session.sessionRef,
      spEntityId: sp.clientId,
      applicationId: sp.id,
      nameId: issued.nameId,
      nameIdFormat: pending.nameIdFormat,
    };
    await this.store.put('saml-session-index', issued.sessionIndex, participant, ttl);
    await this.addParticipant(session.sessionRef, { ...participant, sessionIndex: issued.sessionIndex }, ttl);
    await recordSsoEvent(this.deps.dataSource, {
      action: 'sso.sign_in',
      outcome: 'success',
      tenantId: person.tenantId,
      actorId: person.id,
      targetType: 'application',
      targetId: sp.id,
      detail: { protocol: 'saml', assertion: issued.assertionId, idpInitiated: !pending.requestId },
      ip: info.ip,
      userAgent: info.userAgent,
    });
    return issued;
  }

  /** Answers a parked request with an error status (NoPassive, RequestDenied) instead of an assertion. */
  async respondWithError(
    key: string,
    pending: PendingSamlRequest,
    subCode: string,
  ): Promise<{ acsUrl: string; samlResponse: string; relayState?: string }> {
    await this.store.take(PENDING, key);
    return {
      acsUrl: pending.acsUrl,
      relayState: pending.relayState,
      samlResponse: samlErrorResponse({
        idpEntityId: this.urls.entityId,
        key: this.keys().saml,
        acsUrl: pending.acsUrl,
        inResponseTo: pending.requestId,
        subCode,
      }),
    };
  }

  async receiveLogoutRequest(message: ReceivedMessage): Promise<VerifiedLogoutRequest> {
    return verifyLogoutRequest({
      message,
      sloUrl: this.urls.slo,
      now: Math.floor(Date.now() / 1000),
      applications: this.applications,
      store: this.store,
    });
  }

  /**
   * Single logout across the session (profiles §4.4.3.1–4.4.3.3): every other SAML SP the session signed in to
   * gets a LogoutRequest in turn through the browser (front channel), and when all have answered, the SP that
   * started it gets its LogoutResponse. Returns where to send the browser next (undefined: nowhere left to go).
   */
  async beginSingleLogout(
    sessionRef: string,
    origin: VerifiedLogoutRequest | undefined,
    finalRedirect?: string,
  ): Promise<string | undefined> {
    const all = (await this.store.take<{ list: ParticipantEntry[] }>(PARTICIPANTS, sessionRef))?.list ?? [];
    const state: SloState = {
      origin: origin?.sp.saml.sloUrl
        ? { requestId: origin.requestId, relayState: origin.relayState, sloUrl: origin.sp.saml.sloUrl }
        : undefined,
      queue: all.filter((p) => p.spEntityId !== origin?.sp.clientId),
      final: finalRedirect,
    };
    return this.nextLogoutStep(randomBytes(18).toString('base64url'), state);
  }

  /** An SP answered our LogoutRequest: check the answer, then on to the next SP or back to the one that began. */
  async continueSingleLogout(message: ReceivedMessage): Promise<string | undefined> {
    const key = message.relayState;
    const state =
      key && /^[A-Za-z0-9_-]{24}$/.test(key) ? await this.store.take<SloState>(SLO, key) : undefined;
    if (!key || !state?.waiting)
      throw new SamlMessageRejected('relay-state', 'no single logout in progress for this RelayState');
    const ok = verifyLogoutResponse(message, state.waiting);
    if (!ok) this.deps.log.warn({ sp: state.waiting.spEntityId }, 'SP reported a failed logout');
    state.waiting = undefined;
    return this.nextLogoutStep(key, state);
  }

  private async nextLogoutStep(key: string, state: SloState): Promise<string | undefined> {
    for (let next = state.queue.shift(); next; next = state.queue.shift()) {
      const sp = await this.serviceProvider(next.applicationId);
      if (!sp?.saml.sloUrl) continue;
      const { url, requestId } = logoutRequestUrl({
        idpEntityId: this.urls.entityId,
        destination: sp.saml.sloUrl,
        nameId: next.nameId,
        nameIdFormat: next.nameIdFormat,
        spEntityId: sp.clientId,
        sessionIndex: next.sessionIndex,
        relayState: key,
        privateKeyPem: this.keys().saml.privateKeyPem,
      });
      state.waiting = {
        spEntityId: sp.clientId,
        requestId,
        sloUrl: this.urls.slo,
        certificate: sp.saml.certificate,
      };
      await this.store.put(SLO, key, state, 600);
      return url;
    }
    if (!state.origin) return state.final;
    return logoutResponseUrl({
      idpEntityId: this.urls.entityId,
      destination: state.origin.sloUrl,
      inResponseTo: state.origin.requestId,
      relayState: state.origin.relayState,
      privateKeyPem: this.keys().saml.privateKeyPem,
      success: true,
    });
  }

  private async addParticipant(sessionRef: string, entry: ParticipantEntry, ttl: number): Promise<void> {
    const list = (await this.store.get<{ list: ParticipantEntry[] }>(PARTICIPANTS, sessionRef))?.list ?? [];
    const others = list.filter((p) => p.spEntityId !== entry.spEntityId);
    await this.store.put(PARTICIPANTS, sessionRef, { list: [...others, entry] }, ttl);
  }

  private async park(pending: PendingSamlRequest): Promise<string> {
    const key = randomBytes(18).toString('base64url');
    await this.store.put(PENDING, key, pending, LOGIN_TTL_SECONDS);
    return key;
  }
}

/** Exact registered URL, or under a registered prefix that ends with `/` (same origin, path below it). */
export function relayStateAllowed(relayState: string, registered: readonly string[]): boolean {
  let target: URL;
  try {
    target = new URL(relayState);
  } catch {
    return false;
  }
  return registered.some((entry) => {
    if (relayState === entry) return true;
    if (!entry.endsWith('/')) return false;
    const base = new URL(entry);
    return (
      target.origin === base.origin &&
      target.pathname.startsWith(base.pathname) &&
      !target.username &&
      !target.password
    );
  });
}
