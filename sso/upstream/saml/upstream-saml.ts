import { randomBytes } from 'node:crypto';
import type { Request } from 'express';
import { ValidateInResponseTo, type Profile } from '@node-saml/node-saml';
import { Strategy as SamlStrategy, type VerifiedCallback } from '@node-saml/passport-saml';
import type { SsoDeps } from '../../deps.js';
import { SignInRejected } from '../../errors.js';
import { LOGIN_TTL_SECONDS, type LoginTransaction } from '../../login/login-transaction.js';
import { NAMEID_FORMAT } from '../../provider/saml/saml-constants.js';
import { parseSamlXml, rootOf, SamlMessageRejected } from '../../provider/saml/xml/safe-xml.js';
import type { ExpiringStore } from '../../state/expiring-store.js';
import { runStrategy } from '../passport-runner.js';
import type { UpstreamIdentity } from '../upstream-identity.js';
import type { SamlProvider, SamlResponseContext } from './saml-response-context.js';
import { StoreCacheProvider } from './store-cache-provider.js';
import { AFTER_SIGNATURE, BEFORE_SIGNATURE } from './verify-saml-response.js';

interface RelayRecord {
  txId: string;
  providerId: string;
  requestId: string;
}

/** An assertion that passed every check, waiting for the browser to come back with its own cookies. */
export interface VerifiedSamlSignIn {
  identity: UpstreamIdentity;
  providerId: string;
  txId: string | undefined;
}

/**
 * Sign-in through a subsidiary's SAML 2.0 IdP, as an SP built on @node-saml/passport-saml (HTTP-Redirect
 * AuthnRequest, HTTP-POST Response). node-saml verifies signatures and decrypts; Junction's own checks run before
 * (structure, XML signature wrapping, status, Destination) and after it (issuer, audience, Recipient, time,
 * InResponseTo bound to this browser's request, assertion replay).
 */
export class UpstreamSaml {
  private readonly cache: StoreCacheProvider;

  constructor(
    private readonly deps: SsoDeps,
    private readonly store: ExpiringStore,
  ) {
    this.cache = new StoreCacheProvider(store, LOGIN_TTL_SECONDS);
  }

  entityId(providerId: string): string {
    return `${this.deps.publicUrl}/sso/saml/${providerId}`;
  }

  acsUrl(providerId: string): string {
    return `${this.deps.publicUrl}/sso/callback/saml/${providerId}`;
  }

  /** The AuthnRequest redirect; its ID is remembered with the transaction under a random RelayState. */
  async start(provider: SamlProvider, tx: LoginTransaction): Promise<string> {
    const requestId = `_${randomBytes(20).toString('hex')}`;
    const relayState = randomBytes(24).toString('base64url');
    const strategy = this.strategy(provider, {
      generateUniqueId: () => requestId,
      forceAuthn: tx.notBefore !== null,
    });
    const outcome = await runStrategy(
      strategy,
      { query: { RelayState: relayState }, body: {}, headers: {} } as unknown as Request,
      {
        additionalParams: {},
      },
    );
    if (outcome.kind !== 'redirect') throw rejection(outcome, 'building the AuthnRequest');
    const record: RelayRecord = { txId: tx.id, providerId: provider.id, requestId };
    await this.store.put('upstream-saml', relayState, record, LOGIN_TTL_SECONDS);
    return outcome.url;
  }

  /** Everything at the ACS: our structure checks, node-saml's signature check, our assertion checks. */
  async consume(provider: SamlProvider, fields: Record<string, unknown>): Promise<VerifiedSamlSignIn> {
    const samlResponse = fields.SAMLResponse;
    if (typeof samlResponse !== 'string' || samlResponse.length > 512 * 1024) {
      throw new SignInRejected('invalid_request', 'no SAMLResponse');
    }
    const relay =
      typeof fields.RelayState === 'string' && fields.RelayState !== '' ? fields.RelayState : undefined;
    const record = relay ? await this.store.take<RelayRecord>('upstream-saml', relay) : undefined;
    if (relay && !record && !provider.config.allowUnsolicited) {
      throw new SignInRejected('expired', 'RelayState unknown, expired or already used');
    }
    if (record && record.providerId !== provider.id) {
      throw new SignInRejected('invalid_request', `RelayState issued for provider ${record.providerId}`);
    }
    try {
      const doc = parseSamlXml(Buffer.from(samlResponse, 'base64').toString('utf8'));
      const ctx: SamlResponseContext = {
        provider,
        acsUrl: this.acsUrl(provider.id),
        spEntityId: this.entityId(provider.id),
        now: Math.floor(Date.now() / 1000),
        store: this.store,
        doc,
        root: rootOf(doc),
        expectedRequestId: record?.requestId,
      };
      for (const check of BEFORE_SIGNATURE) await check(ctx);
      const profile = await this.verifySignature(provider, samlResponse, relay);
      const assertionXml = profile.getAssertionXml?.();
      if (!assertionXml)
        throw new SamlMessageRejected('signature', 'node-saml returned no verified assertion');
      ctx.assertion = rootOf(parseSamlXml(assertionXml));
      for (const check of AFTER_SIGNATURE) await check(ctx);
      return { identity: toIdentity(provider, profile), providerId: provider.id, txId: record?.txId };
    } catch (error) {
      if (error instanceof SignInRejected) throw error;
      const reason =
        error instanceof SamlMessageRejected
          ? error.message
          : `node-saml: ${error instanceof Error ? error.message : String(error)}`;
      throw new SignInRejected('upstream_failed', reason, { cause: error });
    }
  }

  /** Our SP metadata for the subsidiary's IdP admin (SAML metadata §2.4.4). */
  metadata(provider: SamlProvider): string {
    const strategy = this.strategy(provider, {});
    return strategy.generateServiceProviderMetadata(
      provider.secrets.spCertificate ?? null,
      provider.secrets.spCertificate ?? null,
    );
  }

  private async verifySignature(
    provider: SamlProvider,
    samlResponse: string,
    relay: string | undefined,
  ): Promise<Profile> {
    const outcome = await runStrategy(
      this.strategy(provider, {}),
      {
        body: { SAMLResponse: samlResponse, RelayState: relay },
        query: {},
        headers: {},
      } as unknown as Request,
      {},
    );
    if (outcome.kind !== 'success') throw rejection(outcome, 'verifying the SAML response');
    return outcome.user as Profile;
  }

  private strategy(
    provider: SamlProvider,
    extra: { generateUniqueId?: () => string; forceAuthn?: boolean },
  ): SamlStrategy {
    const config = provider.config;
    return new SamlStrategy(
      {
        entryPoint: config.entryPoint,
        issuer: this.entityId(provider.id),
        callbackUrl: this.acsUrl(provider.id),
        idpCert: config.idpCertificates,
        idpIssuer: config.idpEntityId,
        audience: this.entityId(provider.id),
        wantAssertionsSigned: config.signatureRequired === 'assertion',
        wantAuthnResponseSigned: config.signatureRequired === 'response',
        identifierFormat: config.nameIdFormat,
        validateInResponseTo: config.allowUnsolicited
          ? ValidateInResponseTo.ifPresent
          : ValidateInResponseTo.always,
        cacheProvider: this.cache,
        requestIdExpirationPeriodMs: LOGIN_TTL_SECONDS * 1000,
        acceptedClockSkewMs: config.clockSkewSeconds * 1000,
        privateKey: config.signAuthnRequests ? provider.secrets.spPrivateKey : undefined,
        signatureAlgorithm: 'sha256',
        decryptionPvk: provider.secrets.spPrivateKey,
        disableRequestedAuthnContext: true,
        forceAuthn: extra.forceAuthn ?? false,
        ...(extra.generateUniqueId ? { generateUniqueId: extra.generateUniqueId } : {}),
      },
      (profile: Profile | null, done: VerifiedCallback) =>
        done(null, profile as unknown as Record<string, unknown>),
      (profile: Profile | null, done: VerifiedCallback) =>
        done(null, profile as unknown as Record<string, unknown>),
    );
  }
}

function toIdentity(provider: SamlProvider, profile: Profile): UpstreamIdentity {
  const config = provider.config;
  const attr = (name: string | undefined): string | null => {
    if (!name) return null;
    const value = profile[name];
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' && first.trim() !== '' ? first.trim() : null;
  };
  let subject: string | null;
  if (config.subjectAttribute) subject = attr(config.subjectAttribute);
  else if (profile.nameIDFormat === NAMEID_FORMAT.transient) {
    throw new SignInRejected(
      'upstream_failed',
      'the IdP sent a transient NameID and no subjectAttribute is configured',
    );
  } else subject = profile.nameID || null;
  if (!subject) throw new SignInRejected('upstream_failed', 'the assertion carries no usable subject');
  const attributes = Object.fromEntries(
    Object.entries(profile).filter(
      ([k, v]) =>
        typeof v !== 'function' && !['getAssertion', 'getAssertionXml', 'getSamlResponseXml'].includes(k),
    ),
  );
  return {
    providerId: provider.id,
    subject,
    email: attr(config.attributes.email)?.toLowerCase() ?? null,
    emailVerified: config.emailIsVerified,
    employeeNumber: attr(provider.linkClaim ?? config.attributes.employeeNumber),
    givenName: attr(config.attributes.givenName),
    familyName: attr(config.attributes.familyName),
    displayName: attr(config.attributes.displayName),
    amr: ['fed'],
    claims: attributes,
  };
}

function rejection(outcome: Awaited<ReturnType<typeof runStrategy>>, during: string): Error {
  if (outcome.kind === 'error') {
    return outcome.error instanceof Error ? outcome.error : new Error(`${during}: ${String(outcome.error)}`);
  }
  if (outcome.kind === 'fail') return new Error(`${during}: ${outcome.message}`);
  return new Error(`${during}: unexpected outcome ${outcome.kind}`);
}
