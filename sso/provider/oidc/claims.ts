import type { PersonAppView } from '../../access/person-app-view.js';

/**
 * Which claims each scope releases (OIDC Core §5.4 for the standard ones). `employee`, `groups` and `roles` are
 * Junction's: directory attributes, and what the access model grants for the requesting app.
 */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username'],
  email: ['email', 'email_verified'],
  employee: ['employee_number', 'department', 'title', 'rank', 'tenant'],
  groups: ['groups'],
  roles: ['roles', 'entitlements'],
} as const;

export const SUPPORTED_SCOPES = [
  'openid',
  'offline_access',
  ...Object.keys(SCOPE_CLAIMS).filter((s) => s !== 'openid'),
];

/** Every claim Junction can state for a person in one app; oidc-provider filters them by scope. */
export function oidcClaims(view: PersonAppView): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    sub: view.id,
    name: view.displayName,
    given_name: view.givenName,
    family_name: view.familyName,
    preferred_username: view.email,
    email: view.email,
    // The directory's work email comes from HR, not from the person: it is verified by construction.
    email_verified: view.email ? true : null,
    employee_number: view.employeeNumber,
    department: view.department,
    title: view.jobTitle,
    rank: view.rank,
    tenant: view.tenantSlug,
    groups: view.groups,
    roles: view.roles,
    entitlements: view.entitlements,
  };
  // OIDC Core §5.3.2: claims without a value are omitted, not null.
  return Object.fromEntries(
    Object.entries(claims).filter(([, value]) => value !== null && value !== undefined),
  );
}
