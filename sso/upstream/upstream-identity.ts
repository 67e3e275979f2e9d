/** What an upstream provider vouched for, whatever its protocol: the input of account linking. */
export interface UpstreamIdentity {
  providerId: string;
  /** The stable subject at that provider: OIDC `sub`, SAML NameID (or configured attribute), LDAP entryUUID. */
  subject: string;
  email: string | null;
  /** True only when the provider asserted it (OIDC `email_verified: true`) or the admin declared it authoritative. */
  emailVerified: boolean;
  /** The value of the provider's `linkClaim`, when it has one. */
  employeeNumber: string | null;
  givenName: string | null;
  familyName: string | null;
  displayName: string | null;
  /** RFC 8176 authentication method references for the `amr` claim. */
  amr: string[];
  /** The claims / attributes as received (minus secrets), kept on the identity for admins. */
  claims: Record<string, unknown>;
}
