import { z } from 'zod';
import type { OidcClientSettings, SamlServiceProviderSettings } from '../../core/entities/application.js';
import { ValidationError } from '../../core/errors.js';

/**
 * Redirect URIs are compared exactly (RFC 9700 §4.1.3), so they must be absolute, fragment-free, and https except
 * on loopback (RFC 8252 §7.3) or for a private-use scheme of a native app (RFC 8252 §7.1).
 */
const redirectUri = z.string().refine((value) => {
  try {
    const url = new URL(value);
    if (url.hash) return false;
    if (url.protocol === 'https:') return true;
    if (url.protocol === 'http:') return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    return /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol);
  } catch {
    return false;
  }
}, 'must be an absolute https URL (http only for loopback), without a fragment');

const oidcSettings = z.object({
  redirectUris: z.array(redirectUri).min(1),
  postLogoutRedirectUris: z.array(redirectUri).optional(),
  grantTypes: z
    .array(z.enum(['authorization_code', 'refresh_token', 'client_credentials']))
    .min(1)
    .optional(),
  public: z.boolean().optional(),
  backchannelLogoutUri: redirectUri.optional(),
  tokenEndpointAuthMethod: z
    .enum(['client_secret_basic', 'client_secret_post', 'client_secret_jwt'])
    .optional(),
  scopes: z.array(z.string().min(1)).optional(),
});

const certificate = z
  .string()
  .refine((v) => /-----BEGIN CERTIFICATE-----|^[A-Za-z0-9+/=\s]+$/.test(v), 'must be a PEM certificate');

const samlSettings = z.object({
  entityId: z.string().min(1).max(512),
  acsUrl: redirectUri,
  sloUrl: redirectUri.optional(),
  certificate: certificate.optional(),
  nameIdFormat: z.string().min(1).optional(),
  signAssertions: z.boolean().optional(),
  signResponses: z.boolean().optional(),
  encryptAssertions: z.boolean().optional(),
  wantAuthnRequestsSigned: z.boolean().optional(),
  allowIdpInitiated: z.boolean().optional(),
  relayStateUrls: z.array(z.url()).optional(),
});

export function parseOidcClientSettings(input: unknown): OidcClientSettings {
  const parsed = oidcSettings.safeParse(input);
  if (!parsed.success) throw new ValidationError(`oidc.${describe(parsed.error)}`);
  if (parsed.data.public && parsed.data.grantTypes?.includes('client_credentials')) {
    throw new ValidationError('oidc.grantTypes: a public client cannot use client_credentials');
  }
  return parsed.data;
}

export function parseSamlSpSettings(input: unknown): SamlServiceProviderSettings {
  const parsed = samlSettings.safeParse(input);
  if (!parsed.success) throw new ValidationError(`saml.${describe(parsed.error)}`);
  if ((parsed.data.encryptAssertions || parsed.data.wantAuthnRequestsSigned) && !parsed.data.certificate) {
    throw new ValidationError('saml.certificate: required to encrypt assertions or verify signed requests');
  }
  return parsed.data;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`;
}
