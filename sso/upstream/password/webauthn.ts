import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { z } from 'zod';
import { recordSsoEvent } from '../../audit/record-sso-event.js';
import { one, rows } from '../../db/sql.js';
import type { SsoDeps } from '../../deps.js';
import { SignInRejected } from '../../errors.js';
import type { ExpiringStore } from '../../state/expiring-store.js';
import type { LoadedProvider } from '../provider-config.js';

type PasswordProvider = Extract<LoadedProvider, { kind: 'password' }>;

const CHALLENGE_TTL_SECONDS = 300;

/** What a browser posts back; parsed, never cast (the library checks the cryptography). */
const registrationResponse = z.object({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: z.string(),
    attestationObject: z.string(),
    transports: z.array(z.string()).optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().optional(),
});
const authenticationResponse = z.object({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: z.string(),
    authenticatorData: z.string(),
    signature: z.string(),
    userHandle: z.string().optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().optional(),
});

/**
 * Security keys and passkeys as a second factor for Junction's own password (W3C WebAuthn Level 2, via
 * @simplewebauthn/server): challenges live in PostgreSQL for five minutes and are used once; the origin and RP ID
 * are the gateway's; a signature counter that does not move forward marks a cloned authenticator (§6.1.1).
 */
export class WebauthnFactor {
  constructor(
    private readonly deps: SsoDeps,
    private readonly store: ExpiringStore,
  ) {}

  relyingParty(provider: PasswordProvider): { rpID: string; origin: string } {
    const url = new URL(this.deps.publicUrl);
    return { rpID: provider.config.webauthnRpId ?? url.hostname, origin: url.origin };
  }

  async registrationOptions(
    provider: PasswordProvider,
    identityId: string,
    userName: string,
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.credentials(identityId);
    const options = await generateRegistrationOptions({
      rpName: 'Junction',
      rpID: this.relyingParty(provider).rpID,
      userName,
      userID: new TextEncoder().encode(identityId),
      attestationType: 'none',
      excludeCredentials: existing.map((c) => ({
        id: c.credential_id,
        transports: c.transports as AuthenticatorTransport[],
      })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    });
    await this.store.put(
      'webauthn-register',
      identityId,
      { challenge: options.challenge },
      CHALLENGE_TTL_SECONDS,
    );
    return options;
  }

  async verifyRegistration(
    provider: PasswordProvider,
    identityId: string,
    input: unknown,
    label: string | null,
  ): Promise<string> {
    const parsed = registrationResponse.safeParse(input);
    if (!parsed.success)
      throw new SignInRejected('invalid_request', 'malformed WebAuthn registration response');
    const pending = await this.store.take<{ challenge: string }>('webauthn-register', identityId);
    if (!pending) throw new SignInRejected('expired', 'no WebAuthn registration in progress');
    const rp = this.relyingParty(provider);
    const result = await verifyRegistrationResponse({
      response: parsed.data as RegistrationResponseJSON,
      expectedChallenge: pending.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: false,
    }).catch((error: unknown) => {
      throw new SignInRejected('bad_second_factor', `WebAuthn registration refused: ${String(error)}`);
    });
    if (!result.verified || !result.registrationInfo)
      throw new SignInRejected('bad_second_factor', 'WebAuthn registration not verified');
    const { credential } = result.registrationInfo;
    await rows(
      this.deps.dataSource,
      `INSERT INTO webauthn_credentials (identity_id, credential_id, public_key, sign_count, transports, label)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        identityId,
        credential.id,
        Buffer.from(credential.publicKey).toString('base64url'),
        credential.counter,
        credential.transports ?? [],
        label,
      ],
    );
    await recordSsoEvent(this.deps.dataSource, {
      action: 'sso.second_factor_enrolled',
      outcome: 'success',
      targetType: 'identity_provider',
      targetId: provider.id,
      detail: { method: 'webauthn', identityId, credentialId: credential.id },
    });
    return credential.id;
  }

  /** Options for the second step of a sign-in: the identity's own credentials only. */
  async authenticationOptions(
    provider: PasswordProvider,
    txId: string,
    identityId: string,
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const credentials = await this.credentials(identityId);
    if (credentials.length === 0)
      throw new SignInRejected('bad_second_factor', `identity ${identityId} has no security key`);
    const options = await generateAuthenticationOptions({
      rpID: this.relyingParty(provider).rpID,
      allowCredentials: credentials.map((c) => ({
        id: c.credential_id,
        transports: c.transports as AuthenticatorTransport[],
      })),
      userVerification: 'preferred',
    });
    await this.store.put(
      'webauthn-authenticate',
      txId,
      { challenge: options.challenge, identityId },
      CHALLENGE_TTL_SECONDS,
    );
    return options;
  }

  async verifyAuthentication(
    provider: PasswordProvider,
    txId: string,
    identityId: string,
    input: unknown,
  ): Promise<void> {
    const parsed = authenticationResponse.safeParse(input);
    if (!parsed.success) throw new SignInRejected('bad_second_factor', 'malformed WebAuthn assertion');
    const pending = await this.store.take<{ challenge: string; identityId: string }>(
      'webauthn-authenticate',
      txId,
    );
    if (!pending || pending.identityId !== identityId)
      throw new SignInRejected('expired', 'no WebAuthn challenge for this sign-in');
    const stored = await one<{
      credential_id: string;
      public_key: string;
      sign_count: string;
      transports: string[];
    }>(
      this.deps.dataSource,
      `SELECT credential_id, public_key, sign_count, transports FROM webauthn_credentials WHERE identity_id = $1 AND credential_id = $2`,
      [identityId, parsed.data.id],
    );
    if (!stored)
      throw new SignInRejected(
        'bad_second_factor',
        `credential ${parsed.data.id.slice(0, 64)} is not enrolled for identity ${identityId}`,
      );
    const rp = this.relyingParty(provider);
    const result = await verifyAuthenticationResponse({
      response: parsed.data as AuthenticationResponseJSON,
      expectedChallenge: pending.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      credential: {
        id: stored.credential_id,
        publicKey: Buffer.from(stored.public_key, 'base64url'),
        counter: Number(stored.sign_count),
        transports: stored.transports as AuthenticatorTransport[],
      },
      requireUserVerification: false,
    }).catch((error: unknown) => {
      throw new SignInRejected('bad_second_factor', `WebAuthn assertion refused: ${String(error)}`);
    });
    if (!result.verified) throw new SignInRejected('bad_second_factor', 'WebAuthn assertion not verified');
    const next = result.authenticationInfo.newCounter;
    // Counters that never move (0 → 0) are allowed (many passkeys); one that goes backwards is a clone (§6.1.1).
    const moved = await rows(
      this.deps.dataSource,
      `UPDATE webauthn_credentials SET sign_count = $3, last_used_at = now()
        WHERE identity_id = $1 AND credential_id = $2 AND (sign_count < $3 OR ($3 = 0 AND sign_count = 0)) RETURNING 1`,
      [identityId, stored.credential_id, next],
    );
    if (moved.length === 0)
      throw new SignInRejected(
        'bad_second_factor',
        `signature counter of ${stored.credential_id} did not advance (cloned key?)`,
      );
  }

  private credentials(identityId: string): Promise<{ credential_id: string; transports: string[] }[]> {
    return rows(
      this.deps.dataSource,
      `SELECT credential_id, transports FROM webauthn_credentials WHERE identity_id = $1`,
      [identityId],
    );
  }
}
