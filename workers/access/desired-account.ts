import type { AccountInput } from '../../connectors/kit/contract.js';
import type { Connection } from '../../core/entities/index.js';
import { ACCOUNT_FIELDS, compileMappings, type CompiledMappings } from './attribute-mapping.js';
import type { ConnectionGrants } from './entitlements.js';
import { NO_GRANTS } from './entitlements.js';
import type { PersonView } from './person-view.js';
import { compileScopeFilter, type ScopeTest } from './scope-filter.js';
import { stateHash } from './state-hash.js';

/** A target connection's settings compiled once per page activity. */
export interface TargetProfile {
  connectionId: string;
  accountScope: 'entitled' | 'all';
  mappings: CompiledMappings;
  scope: ScopeTest;
  owned: ReadonlySet<string> | null;
  /** Entitlement kinds granted in this connection at all. */
  kinds: ReadonlySet<string>;
  /** The target manages group membership itself (setGroupMembers), rather than through an attribute. */
  writesGroups: boolean;
  /** Departments are synced into the target (office org trees): account placement uses those ids. */
  writesDepartments: boolean;
}

export function compileTargetProfile(
  connection: Pick<Connection, 'id' | 'accountScope' | 'mappings' | 'scopeFilter' | 'ownedAttributes'>,
  options: { kinds: ReadonlySet<string>; writesGroups: boolean; writesDepartments: boolean },
): TargetProfile {
  return {
    connectionId: connection.id,
    accountScope: connection.accountScope,
    mappings: compileMappings(connection.mappings),
    scope: compileScopeFilter(connection.scopeFilter),
    owned: connection.ownedAttributes.length > 0 ? new Set(connection.ownedAttributes) : null,
    kinds: options.kinds,
    writesGroups: options.writesGroups,
    writesDepartments: options.writesDepartments,
  };
}

export type NotWantedReason = 'out_of_scope' | 'not_entitled' | 'leaver' | 'pending';

export interface DesiredAccount {
  personId: string;
  label: string;
  /** False: the person should have no (active) account here, for `reason`. */
  wanted: boolean;
  reason: NotWantedReason | null;
  input: AccountInput;
  /** Group names in the target the account should be in. */
  groups: string[];
  /** What the hash covers, flat, for field diffs and `Account.lastPushed`. */
  pushed: Record<string, unknown>;
  hash: string;
  /** Mapping failures per attribute: the account is quarantined rather than written half-right. */
  errors: Record<string, string>;
}

/** Computes what one person's account in one target should be. `departmentLinks`: our department id → target id. */
export async function desiredAccount(
  profile: TargetProfile,
  person: PersonView,
  grants: ConnectionGrants | undefined,
  departmentLinks: ReadonlyMap<string, string>,
): Promise<DesiredAccount> {
  const g = grants ?? NO_GRANTS;
  const inScope = await profile.scope(person);
  const entitled = profile.accountScope === 'all' || g.account;
  let reason: NotWantedReason | null = null;
  if (person.status === 'leaver') reason = 'leaver';
  else if (person.status === 'pending') reason = 'pending';
  else if (!inScope) reason = 'out_of_scope';
  else if (!entitled) reason = 'not_entitled';

  const { values, errors } = await profile.mappings.apply(person);
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if ((ACCOUNT_FIELDS as readonly string[]).includes(key)) continue;
    if (profile.owned && !profile.owned.has(key)) continue;
    attributes[key] = value;
  }
  if (profile.kinds.has('role')) attributes.roles = g.roles;
  if (profile.kinds.has('permission_set')) attributes.permissionSets = g.permissionSets;
  if (profile.kinds.has('group') && !profile.writesGroups) attributes.groups = g.groups;

  const departmentExternalIds: string[] = [];
  const home = person.departmentId ? departmentLinks.get(person.departmentId) : undefined;
  if (home) departmentExternalIds.push(home);
  for (const id of g.departments) if (!departmentExternalIds.includes(id)) departmentExternalIds.push(id);

  const str = (value: unknown): string | null =>
    value === null || value === undefined || value === '' ? null : String(value);
  const email = 'email' in values ? str(values.email) : person.email;
  const userName =
    ('userName' in values ? str(values.userName) : null) ??
    person.email ??
    person.employeeNumber ??
    person.id;
  const displayName = ('displayName' in values ? str(values.displayName) : null) ?? person.displayName;
  const active = person.status === 'active';

  const input: AccountInput = {
    correlationId: person.id,
    userName,
    email,
    displayName,
    active,
    attributes,
    ...(profile.writesDepartments || g.departments.length > 0 ? { departmentExternalIds } : {}),
  };
  const groups = profile.writesGroups ? [...g.groups].sort() : [];
  const pushed: Record<string, unknown> = {
    userName,
    email,
    displayName,
    active,
    ...Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`attributes.${k}`, v])),
    ...(input.departmentExternalIds ? { departmentExternalIds } : {}),
    ...(profile.writesGroups ? { groups } : {}),
  };
  return {
    personId: person.id,
    label: person.displayName,
    wanted: reason === null,
    reason,
    input,
    groups,
    pushed,
    hash: stateHash(pushed),
    errors,
  };
}

export { compileMappings };
