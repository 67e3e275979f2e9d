import type { DataSource } from 'typeorm';
import type { IdentityProviderKind } from '../../core/entities/identity-provider.js';
import { one, rows } from '../db/sql.js';
import type { ProviderRow } from '../upstream/provider-config.js';
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
  const found = await discoverWithProviders(dataSource, input);
  if (found.kind !== 'providers') return found;
  const { rows: _loaded, ...discovery } = found;
  return discovery;
}

/**
 * discoverHomeRealm, also returning the offered providers' rows (config and sealed secrets) read by the same
 * statement, so the sign-in that follows needs no second look-up of the provider it goes to.
 */
export async function discoverWithProviders(
  dataSource: DataSource,
  input: string,
): Promise<
  | Exclude<Discovery, { kind: 'providers' }>
  | (Extract<Discovery, { kind: 'providers' }> & { rows: ProviderRow[] })
> {
  const parsed = parseEmail(input);
  if (!parsed) return { kind: 'invalid_email' };
  const { email, domain } = parsed;

  // The tenant: an exact domain row wins, else the longest parent domain that includes subdomains. Its enabled
  // providers in priority order come back in the same statement (none: one row with null provider columns).
  const found = await rows<ProviderRow & { tenant_id_found: string; tenant_name: string; domain: string }>(
    dataSource,
    `WITH pick AS (
       SELECT d.tenant_id, d.domain, t.name FROM tenant_domains d JOIN tenants t ON t.id = d.tenant_id
        WHERE d.domain = ANY($1) AND (d.domain = $2 OR d.include_subdomains)
        ORDER BY (d.domain = $2) DESC, length(d.domain) DESC, d.domain LIMIT 1)
     SELECT pick.tenant_id AS tenant_id_found, pick.name AS tenant_name, pick.domain,
            p.id, p.tenant_id, p.kind, p.slug, p.name, p.config, p.secrets_sealed, p.link_by, p.link_claim, p.enabled
       FROM pick LEFT JOIN identity_providers p ON p.tenant_id = pick.tenant_id AND p.enabled
      ORDER BY p.priority, p.name, p.id`,
    [domainAndParents(domain), domain],
    'sso-hrd',
  );
  const match = found[0];
  if (!match) return { kind: 'unknown_domain', domain };

  const offered = found.filter(
    (p) => p.id !== null && servesDomain((p.config as { domains?: unknown }).domains, domain),
  );
  const providers = offered.map(({ id, kind, slug, name }) => ({ id, kind, slug, name }));
  if (providers.length === 0) {
    return { kind: 'no_provider', email, tenantId: match.tenant_id_found, tenantName: match.tenant_name };
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
    tenantId: match.tenant_id_found,
    tenantName: match.tenant_name,
    providers,
    preferred,
    rows: offered,
  };
}

/** The provider a discovery sends the person to without asking: the one that knows them, or the only one. */
export function chosenProvider(found: Extract<Discovery, { kind: 'providers' }>): string | undefined {
  return found.preferred ?? (found.providers.length === 1 ? found.providers[0]?.id : undefined);
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
