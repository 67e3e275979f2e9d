import { z } from 'zod';
import type { DataSource } from 'typeorm';
import type { IdentityProviderKind, LinkStrategy } from '../../core/entities/identity-provider.js';
import { ValidationError } from '../../core/errors.js';
import type { Vault } from '../../core/vault/vault.js';
import { one } from '../db/sql.js';

/**
 * The settings of each kind of upstream identity provider, split into `config` (jsonb, shown to admins) and
 * `secrets` (sealed by the vault with context `identity-provider:<id>`, write-only through the API). The same
 * schemas validate what the admin API stores and what the gateway reads back.
 */
const domains = z.array(z.string().min(1).toLowerCase()).optional();
const ASYMMETRIC_ALGS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

export const oidcProviderConfig = z.object({
  issuer: z.url(),
  clientId: z.string().min(1),
  scopes: z.array(z.string().min(1)).default(['openid', 'email', 'profile']),
  emailClaim: z.string().min(1).default('email'),
  givenNameClaim: z.string().min(1).default('given_name'),
  familyNameClaim: z.string().min(1).default('family_name'),
  nameClaim: z.string().min(1).default('name'),
  /** ID token algorithms accepted: asymmetric only, so a client secret can never forge one (RFC 8725 §3.1). */
  idTokenAlgorithms: z.array(z.enum(ASYMMETRIC_ALGS)).min(1).default(['RS256', 'ES256', 'PS256', 'EdDSA']),
  /** Read claims from userinfo too (some IdPs put email_verified only there). */
  fetchUserinfo: z.boolean().default(false),
  domains,
});
export const oidcProviderSecrets = z.object({ clientSecret: z.string().min(1) });

export const SAML_NAMEID_FORMATS = {
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
  emailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
} as const;

export const samlProviderConfig = z.object({
  /** The IdP's SingleSignOnService location for the HTTP-Redirect binding. */
  entryPoint: z.url(),
  idpEntityId: z.string().min(1),
  /** PEM (or bare base64) signing certificates of the IdP; several during its key rollover. */
  idpCertificates: z.array(z.string().min(1)).min(1),
  nameIdFormat: z.string().min(1).default(SAML_NAMEID_FORMATS.persistent),
  /** Take the subject from this attribute instead of the NameID (when the IdP's NameID is transient). */
  subjectAttribute: z.string().min(1).optional(),
  attributes: z
    .object({
      email: z.string().min(1).default('email'),
      employeeNumber: z.string().min(1).optional(),
      givenName: z.string().min(1).optional(),
      familyName: z.string().min(1).optional(),
      displayName: z.string().min(1).optional(),
    })
    .default({ email: 'email' }),
  /** The IdP vouches for the email it asserts; without this, email cannot be used to link (never unverified). */
  emailIsVerified: z.boolean().default(false),
  /** Which signature must be present and valid (SAML core §5): on the assertion, the response, or either. */
  signatureRequired: z.enum(['assertion', 'response', 'either']).default('either'),
  /** Accept IdP-initiated (unsolicited) responses, which carry no InResponseTo (profiles §4.1.5). */
  allowUnsolicited: z.boolean().default(false),
  signAuthnRequests: z.boolean().default(false),
  clockSkewSeconds: z.number().int().min(0).max(300).default(60),
  domains,
});
export const samlProviderSecrets = z.object({
  /** Our SP key: signs AuthnRequests, decrypts EncryptedAssertions. */
  spPrivateKey: z.string().min(1).optional(),
  spCertificate: z.string().min(1).optional(),
});

export const ldapProviderConfig = z.object({
  url: z.string().regex(/^ldaps?:\/\/[^\s/]+\/?$/, 'must be ldap://host:port or ldaps://host:port'),
  startTls: z.boolean().default(false),
  baseDn: z.string().min(1),
  /** Service account that searches for the person's entry; without it, `userDnTemplate` names the entry. */
  bindDn: z.string().min(1).optional(),
  userDnTemplate: z.string().includes('{login}').optional(),
  /** `{login}` is replaced by the escaped login (RFC 4515 §3). */
  userFilter: z.string().includes('{login}').default('(&(objectClass=person)(|(mail={login})(uid={login})))'),
  attributes: z
    .object({
      subject: z.string().min(1).default('entryUUID'),
      email: z.string().min(1).default('mail'),
      employeeNumber: z.string().min(1).default('employeeNumber'),
      givenName: z.string().min(1).default('givenName'),
      familyName: z.string().min(1).default('sn'),
      displayName: z.string().min(1).default('cn'),
    })
    .default({
      subject: 'entryUUID',
      email: 'mail',
      employeeNumber: 'employeeNumber',
      givenName: 'givenName',
      familyName: 'sn',
      displayName: 'cn',
    }),
  emailIsVerified: z.boolean().default(false),
  timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
  /** PEM CA bundle for ldaps / StartTLS to a directory with a private CA. */
  caCertificate: z.string().optional(),
  maxFailedAttempts: z.number().int().min(1).max(100).default(5),
  lockoutMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  domains,
});
export const ldapProviderSecrets = z.object({ bindPassword: z.string().min(1).optional() });

export const passwordProviderConfig = z.object({
  /** `required`: no session without TOTP or a security key; `optional`: asked when the person enrolled one. */
  secondFactor: z.enum(['required', 'optional', 'off']).default('optional'),
  maxFailedAttempts: z.number().int().min(1).max(100).default(5),
  lockoutMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** WebAuthn relying party id (the gateway's host by default). */
  webauthnRpId: z.string().min(1).optional(),
  domains,
});
export const passwordProviderSecrets = z.object({}).strict();

export const PROVIDER_SCHEMAS = {
  oidc: { config: oidcProviderConfig, secrets: oidcProviderSecrets },
  saml: { config: samlProviderConfig, secrets: samlProviderSecrets },
  ldap: { config: ldapProviderConfig, secrets: ldapProviderSecrets },
  password: { config: passwordProviderConfig, secrets: passwordProviderSecrets },
} as const;

export type OidcProviderConfig = z.infer<typeof oidcProviderConfig>;
export type SamlProviderConfig = z.infer<typeof samlProviderConfig>;
export type LdapProviderConfig = z.infer<typeof ldapProviderConfig>;
export type PasswordProviderConfig = z.infer<typeof passwordProviderConfig>;

interface ProviderBase {
  id: string;
  tenantId: string;
  slug: string;
  name: string;
  linkBy: LinkStrategy;
  linkClaim: string | null;
  enabled: boolean;
}

export type LoadedProvider =
  | (ProviderBase & {
      kind: 'oidc';
      config: OidcProviderConfig;
      secrets: z.infer<typeof oidcProviderSecrets>;
    })
  | (ProviderBase & {
      kind: 'saml';
      config: SamlProviderConfig;
      secrets: z.infer<typeof samlProviderSecrets>;
    })
  | (ProviderBase & {
      kind: 'ldap';
      config: LdapProviderConfig;
      secrets: z.infer<typeof ldapProviderSecrets>;
    })
  | (ProviderBase & { kind: 'password'; config: PasswordProviderConfig; secrets: Record<string, never> });

export const providerSecretsContext = (providerId: string): string => `identity-provider:${providerId}`;

/** An `identity_providers` row as the gateway reads it. */
export interface ProviderRow {
  id: string;
  tenant_id: string;
  kind: IdentityProviderKind;
  slug: string;
  name: string;
  config: unknown;
  secrets_sealed: string | null;
  link_by: LinkStrategy;
  link_claim: string | null;
  enabled: boolean;
}

export const PROVIDER_COLUMNS =
  'id, tenant_id, kind, slug, name, config, secrets_sealed, link_by, link_claim, enabled';

/** Reads, validates and opens one provider. A stored config that no longer parses is an operator error (500). */
export async function loadProvider(
  dataSource: DataSource,
  vault: Vault,
  providerId: string,
): Promise<LoadedProvider | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(providerId)) return undefined;
  const row = await one<ProviderRow>(
    dataSource,
    `SELECT ${PROVIDER_COLUMNS} FROM identity_providers WHERE id = $1`,
    [providerId],
    'sso-provider-load',
  );
  return row ? providerFromRow(row, vault) : undefined;
}

const parsed = new Map<string, { source: string; provider: LoadedProvider }>();

/**
 * Validates and opens a provider row. Parsing the config and opening the sealed secrets is the costly part of a
 * provider look-up, so the result is kept per provider — keyed by the row's whole content, never by time: the row
 * is read fresh on every request, and any change to it (by any replica or writer) is a different key.
 */
export function providerFromRow(row: ProviderRow, vault: Vault): LoadedProvider {
  const source = JSON.stringify([
    row.tenant_id,
    row.kind,
    row.slug,
    row.name,
    row.config,
    row.secrets_sealed,
    row.link_by,
    row.link_claim,
    row.enabled,
  ]);
  const hit = parsed.get(row.id);
  if (hit?.source === source) return hit.provider;
  const schema = PROVIDER_SCHEMAS[row.kind];
  const config = schema.config.parse(row.config);
  const secrets = schema.secrets.parse(
    row.secrets_sealed ? vault.openJson(row.secrets_sealed, providerSecretsContext(row.id)) : {},
  );
  const provider = {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    slug: row.slug,
    name: row.name,
    linkBy: row.link_by,
    linkClaim: row.link_claim,
    enabled: row.enabled,
    config,
    secrets,
  } as LoadedProvider;
  if (parsed.size > 10_000) parsed.clear();
  parsed.set(row.id, { source, provider });
  return provider;
}

/** Validates admin input for a provider of `kind`; throws ValidationError naming the first bad field. */
export function parseProviderSettings(
  kind: IdentityProviderKind,
  config: unknown,
  secrets: unknown,
): { config: Record<string, unknown>; secrets: Record<string, unknown> } {
  const schema = PROVIDER_SCHEMAS[kind];
  const c = schema.config.safeParse(config ?? {});
  if (!c.success) throw new ValidationError(`config.${describe(c.error)}`, { issues: c.error.issues });
  const s = schema.secrets.safeParse(secrets ?? {});
  if (!s.success)
    throw new ValidationError(`secrets.${describe(s.error)}`, { issues: s.error.issues.map((i) => i.path) });
  return { config: c.data as Record<string, unknown>, secrets: s.data as Record<string, unknown> };
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`;
}
