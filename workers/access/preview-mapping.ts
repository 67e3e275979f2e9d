import type { DataSource } from 'typeorm';
import { NotFoundError } from '../../core/errors.js';
import { Connection, Person } from '../../core/entities/index.js';
import type { AccountInput } from '../../connectors/kit/contract.js';
import { loadAccessContext, loadPersonViews, tenantSubtree } from './access-context.js';
import { compileTargetProfile, desiredAccount, type NotWantedReason } from './desired-account.js';
import { grantedKinds, loadConnectionGrants } from './entitlements.js';

export interface MappingPreview {
  personId: string;
  displayName: string;
  wanted: boolean;
  reason: NotWantedReason | null;
  account: AccountInput;
  groups: string[];
  errors: Record<string, string>;
}

/**
 * What a connection would push for some people, with draft mappings / scope filter (before saving them) or the
 * stored ones. Writes nothing. The admin console calls this from the mapping editor.
 */
export async function previewMapping(
  ds: DataSource,
  input: {
    connectionId: string;
    mappings?: Record<string, unknown>;
    scopeFilter?: string | null;
    personIds?: string[];
    sample?: number;
  },
): Promise<MappingPreview[]> {
  const connection = await ds.getRepository(Connection).findOneBy({ id: input.connectionId });
  if (!connection) throw new NotFoundError('connection');
  const ctx = await loadAccessContext(ds, connection.tenantId);
  const profile = compileTargetProfile(
    {
      ...connection,
      mappings: input.mappings ?? connection.mappings,
      scopeFilter: input.scopeFilter === undefined ? connection.scopeFilter : input.scopeFilter,
    },
    { kinds: await grantedKinds(ds, connection.id), writesGroups: false, writesDepartments: false },
  );
  const tenants = tenantSubtree(ctx.tenants, connection.tenantId);
  const people = input.personIds?.length
    ? await ds
        .getRepository(Person)
        .createQueryBuilder('p')
        .where('p.id IN (:...ids) AND p.tenantId IN (:...tenants)', { ids: input.personIds, tenants })
        .getMany()
    : await ds
        .getRepository(Person)
        .createQueryBuilder('p')
        .where('p.tenantId IN (:...tenants)', { tenants })
        .orderBy('p.displayName')
        .limit(Math.min(input.sample ?? 5, 50))
        .getMany();
  const views = await loadPersonViews(ds, ctx, people);
  const grants = await loadConnectionGrants(
    ds,
    connection.id,
    views.map((v) => v.id),
  );
  const out: MappingPreview[] = [];
  for (const view of views) {
    const desired = await desiredAccount(profile, view, grants.get(view.id), new Map());
    out.push({
      personId: view.id,
      displayName: view.displayName,
      wanted: desired.wanted,
      reason: desired.reason,
      account: desired.input,
      groups: desired.groups,
      errors: desired.errors,
    });
  }
  return out;
}
