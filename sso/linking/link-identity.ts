import type { DataSource } from 'typeorm';
import type { PersonStatus } from '../../core/entities/person.js';
import type { TenantSettings } from '../../core/entities/tenant.js';
import { one, rows, transaction } from '../db/sql.js';
import { SignInRejected } from '../errors.js';
import type { LoadedProvider } from '../upstream/provider-config.js';
import type { UpstreamIdentity } from '../upstream/upstream-identity.js';

export interface LinkedPerson {
  personId: string;
  identityId: string;
  tenantId: string;
  status: PersonStatus;
}

/**
 * Account linking: upstream identity → HR-fed person, in this order —
 * 1. an identity already linked for (provider, subject) wins;
 * 2. otherwise the provider's `linkBy`: the employee number claim, or the email only when verified (never an
 *    unverified one: an attacker who controls an upstream account must not claim someone else's person);
 * 3. exactly one match in the provider's tenant tree links; none follows the tenant's unknown-identity policy
 *    (deny, or a `pending` person for an admin); several is refused as ambiguous;
 * 4. a person already linked to another subject of the same provider is not re-linked (takeover guard).
 */
export async function linkIdentity(
  dataSource: DataSource,
  provider: Pick<LoadedProvider, 'id' | 'tenantId' | 'linkBy' | 'linkClaim'>,
  identity: UpstreamIdentity,
): Promise<LinkedPerson> {
  // The common case, a returning identity, is found and touched in one statement.
  const existing = await one<{
    id: string;
    person_id: string | null;
    status: PersonStatus | null;
    tenant_id: string | null;
  }>(
    dataSource,
    `WITH found AS (
       UPDATE identities SET last_login_at = now(), email = $3, email_verified = $4, last_claims = $5,
              version = version + 1, updated_at = now()
        WHERE provider_id = $1 AND subject = $2
       RETURNING id, person_id)
     SELECT found.id, found.person_id, p.status, p.tenant_id FROM found LEFT JOIN people p ON p.id = found.person_id`,
    [
      provider.id,
      identity.subject,
      identity.email?.toLowerCase() ?? null,
      identity.emailVerified,
      JSON.stringify(identity.claims),
    ],
    'sso-identity-find-touch',
  );
  if (existing) {
    if (!existing.person_id || !existing.status || !existing.tenant_id) {
      throw new SignInRejected('pending_approval', `identity ${existing.id} is not linked to a person yet`);
    }
    return {
      personId: existing.person_id,
      identityId: existing.id,
      tenantId: existing.tenant_id,
      status: existing.status,
    };
  }

  const candidates = await findCandidates(dataSource, provider, identity);
  if (candidates.length > 1) {
    throw new SignInRejected(
      'no_matching_person',
      `${candidates.length} people match ${provider.linkBy} for subject ${identity.subject}; refusing to guess`,
    );
  }
  const person = candidates[0];
  if (!person) return onUnknownIdentity(dataSource, provider, identity);

  const other = await one<{ subject: string }>(
    dataSource,
    `SELECT subject FROM identities WHERE provider_id = $1 AND person_id = $2`,
    [provider.id, person.id],
  );
  if (other) {
    throw new SignInRejected(
      'no_matching_person',
      `person ${person.id} is already linked to subject ${other.subject} of this provider; ${identity.subject} not linked`,
    );
  }
  const identityId = await insertIdentity(dataSource, provider, identity, person.id);
  return { personId: person.id, identityId, tenantId: person.tenant_id, status: person.status };
}

interface Candidate {
  id: string;
  tenant_id: string;
  status: PersonStatus;
}

// People of the provider's tenant and its subsidiaries: a group IdP may vouch for a subsidiary's staff.
const TENANT_TREE = `WITH RECURSIVE tree AS (
  SELECT id FROM tenants WHERE id = $1 UNION ALL SELECT t.id FROM tenants t JOIN tree ON t.parent_id = tree.id)`;

async function findCandidates(
  dataSource: DataSource,
  provider: Pick<LoadedProvider, 'id' | 'tenantId' | 'linkBy' | 'linkClaim'>,
  identity: UpstreamIdentity,
): Promise<Candidate[]> {
  if (provider.linkBy === 'employee_number') {
    const value = identity.employeeNumber?.trim();
    if (!value) {
      throw new SignInRejected(
        'no_matching_person',
        `provider links by employee number but the claim ${provider.linkClaim ?? '(unset)'} was missing`,
      );
    }
    return rows<Candidate>(
      dataSource,
      `${TENANT_TREE} SELECT id, tenant_id, status FROM people
        WHERE employee_number = $2 AND tenant_id IN (SELECT id FROM tree) AND status <> 'pending' LIMIT 2`,
      [provider.tenantId, value],
    );
  }
  if (!identity.email) {
    throw new SignInRejected(
      'no_matching_person',
      'provider links by verified email but no email was asserted',
    );
  }
  if (!identity.emailVerified) {
    throw new SignInRejected(
      'no_matching_person',
      `email ${identity.email} is not verified by the provider; unverified emails are never used to link`,
    );
  }
  return rows<Candidate>(
    dataSource,
    `${TENANT_TREE} SELECT id, tenant_id, status FROM people
      WHERE lower(email) = lower($2) AND tenant_id IN (SELECT id FROM tree) AND status <> 'pending' LIMIT 2`,
    [provider.tenantId, identity.email],
  );
}

async function onUnknownIdentity(
  dataSource: DataSource,
  provider: Pick<LoadedProvider, 'id' | 'tenantId' | 'linkBy' | 'linkClaim'>,
  identity: UpstreamIdentity,
): Promise<never> {
  const tenant = await one<{ settings: TenantSettings }>(
    dataSource,
    `SELECT settings FROM tenants WHERE id = $1`,
    [provider.tenantId],
  );
  if (tenant?.settings.unknownIdentityPolicy !== 'pending') {
    throw new SignInRejected(
      'no_matching_person',
      `no person matches ${provider.linkBy} for subject ${identity.subject} and the tenant policy is deny`,
    );
  }
  await transaction(dataSource, async (client) => {
    const [person] = await rows<{ id: string }>(
      client,
      `INSERT INTO people (tenant_id, display_name, given_name, family_name, email, employee_number, status,
                           attributes, version)
       VALUES ($1, $2, $3, $4, $5, NULL, 'pending', $6, 1) RETURNING id`,
      [
        provider.tenantId,
        identity.displayName ??
          ([identity.givenName, identity.familyName].filter(Boolean).join(' ') ||
            identity.email ||
            identity.subject),
        identity.givenName,
        identity.familyName,
        identity.email?.toLowerCase() ?? null,
        JSON.stringify({
          pendingFrom: {
            providerId: provider.id,
            subject: identity.subject,
            employeeNumber: identity.employeeNumber,
          },
        }),
      ],
    );
    await insertIdentity(client, provider, identity, person?.id ?? null);
  });
  throw new SignInRejected(
    'pending_approval',
    `unknown subject ${identity.subject}: pending person created for approval`,
  );
}

async function insertIdentity(
  db: Parameters<typeof one>[0],
  provider: Pick<LoadedProvider, 'id' | 'tenantId'>,
  identity: UpstreamIdentity,
  personId: string | null,
): Promise<string> {
  // Two first sign-ins racing: the unique (provider_id, subject) index lets one insert; the other reads it.
  const row = await one<{ id: string }>(
    db,
    `INSERT INTO identities (tenant_id, provider_id, subject, person_id, email, email_verified, last_claims,
                             last_login_at, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now(), 1)
     ON CONFLICT (provider_id, subject) DO UPDATE SET last_login_at = now()
     RETURNING id`,
    [
      provider.tenantId,
      provider.id,
      identity.subject,
      personId,
      identity.email?.toLowerCase() ?? null,
      identity.emailVerified,
      JSON.stringify(identity.claims),
    ],
  );
  if (!row) throw new Error('sso: identity insert returned nothing');
  return row.id;
}
