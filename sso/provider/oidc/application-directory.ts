import type { DataSource } from 'typeorm';
import type { Application } from '../../../core/entities/application.js';
import { one } from '../../db/sql.js';

/** The parts of an application sign-in needs, by OIDC client_id or SAML entity id. */
export interface ApplicationSummary {
  id: string;
  tenantId: string;
  slug: string;
  name: string;
  protocol: 'oidc' | 'saml';
  clientId: string;
  enabled: boolean;
  saml: Application['saml'];
  claimMappings: Record<string, string>;
  launchUrl: string | null;
}

const CACHE_MS = 5_000;

/**
 * Applications change rarely and are read on every request of a sign-in, so lookups are cached for a few seconds
 * per process: an admin's change reaches every replica within that time.
 */
export class ApplicationDirectory {
  private readonly byClientIdCache = new Map<string, { at: number; value: ApplicationSummary | undefined }>();

  constructor(private readonly dataSource: DataSource) {}

  async byClientId(clientId: string): Promise<ApplicationSummary | undefined> {
    const hit = this.byClientIdCache.get(clientId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const value = await this.load(`a.client_id = $1`, clientId);
    if (this.byClientIdCache.size > 10_000) this.byClientIdCache.clear();
    this.byClientIdCache.set(clientId, { at: Date.now(), value });
    return value;
  }

  async byId(id: string): Promise<ApplicationSummary | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    return this.load(`a.id = $1`, id);
  }

  private async load(where: string, value: string): Promise<ApplicationSummary | undefined> {
    const row = await one<{
      id: string;
      tenant_id: string;
      slug: string;
      name: string;
      protocol: 'oidc' | 'saml';
      client_id: string;
      enabled: boolean;
      saml: Application['saml'];
      claim_mappings: Record<string, string>;
      launch_url: string | null;
    }>(
      this.dataSource,
      `SELECT a.id, a.tenant_id, a.slug, a.name, a.protocol, a.client_id, a.enabled, a.saml, a.claim_mappings,
              a.launch_url
         FROM applications a WHERE ${where}`,
      [value],
    );
    if (!row) return undefined;
    return {
      id: row.id,
      tenantId: row.tenant_id,
      slug: row.slug,
      name: row.name,
      protocol: row.protocol,
      clientId: row.client_id,
      enabled: row.enabled,
      saml: row.saml,
      claimMappings: row.claim_mappings,
      launchUrl: row.launch_url,
    };
  }
}
