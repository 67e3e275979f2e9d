import type { DataSource } from 'typeorm';
import type { IdentityProviderKind } from '../../core/entities/identity-provider.js';
import { one, rows } from '../db/sql.js';
import { domainAndParents, parseEmail } from './email-domain.js';

export interface OfferedProvider {
  id: string;
  kind: IdentityProviderKind;
  slug: string;
  name: string;
}

export type Discovery =
  | { kind: 'invalid_email' }
  | { kind: 'unknown_domain'; domain: string }
  | { kind: 'no_provider'; email: string; tenantId: string; tenantName: string }
  | {
      kind: 'providers';
      email: string;
      tenantId: string;
      tenantName: string;
      providers: OfferedProvider[];
      /** Set when exactly one offered provider already knows this email: go there without asking. */
      preferred?: string;
    };

/**
 * Home-realm discovery: the email's domain picks the tenant (an exact `tenant_domains` row, else the closest parent
 * domain that includes subdomains), the tenant's enabled providers are offered in priority order, narrowed to those
 * whose `config.domains` (when set) list the domain. An address that matches no tenant is answered as such, never
 * sent to some default IdP where the person does not exist.
 */
export async function discoverHomeRealm(dataSource: DataSource, input: string): Promise<Discovery> {
  const parsed = parseEmail(input);
  if (!parsed) return { kind: 'invalid_email' };
  const { email, domain } = parsed;

  const candidates = domainAndParents(domain);
  const matches = await rows<{
    tenant_id: string;
    domain: string;
    include_subdomains: boolean;
    name: string;
  }>(
    dataSource,
    `SELECT d.tenant_id, d.domain, d.include_subdomains, t.name
       FROM tenant_domains d JOIN tenants t ON t.id = d.tenant_id WHERE d.domain = ANY($1)`,
    [candidates],
    'sso-hrd-domains',
  );
  const match =
    matches.find((m) => m.domain === domain) ??
    matches
      .filter((m) => m.include_subdomains && m.domain !== domain)
      .sort((a, b) => b.domain.length - a.domain.length)[0];
  if (!match) return { kind: 'unknown_domain', domain };

  const providers = (
    await rows<OfferedProvider & { config: { domains?: unknown } }>(
      dataSource,
      `SELECT id, kind, slug, name, config FROM identity_providers
        WHERE tenant_id = $1 AND enabled ORDER BY priority, name, id`,
      [match.tenant_id],
      'sso-hrd-providers',
    )
  )
    .filter((p) => servesDomain(p.config.domains, domain))
    .map(({ id, kind, slug, name }) => ({ id, kind, slug, name }));
  if (providers.length === 0) {
    return { kind: 'no_provider', email, tenantId: match.tenant_id, tenantName: match.name };
  }

  let preferred: string | undefined;
  if (providers.length > 1) {
    const known = await rows<{ provider_id: string }>(
      dataSource,
      `SELECT DISTINCT provider_id FROM identities WHERE lower(email) = $1 AND provider_id = ANY($2)`,
      [email, providers.map((p) => p.id)],
    );
    if (known.length === 1) preferred = known[0]?.provider_id;
  }
  return {
    kind: 'providers',
    email,
    tenantId: match.tenant_id,
    tenantName: match.name,
    providers,
    preferred,
  };
}

function servesDomain(domains: unknown, domain: string): boolean {
  if (!Array.isArray(domains) || domains.length === 0) return true;
  return domains.some(
    (d) => typeof d === 'string' && (domain === d.toLowerCase() || domain.endsWith(`.${d.toLowerCase()}`)),
  );
}

/** The tenant's name, for pages. */
export async function tenantName(dataSource: DataSource, tenantId: string): Promise<string | undefined> {
  return (await one<{ name: string }>(dataSource, `SELECT name FROM tenants WHERE id = $1`, [tenantId]))
    ?.name;
}
