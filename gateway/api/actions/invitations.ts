import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createPasswordIdentity } from '../../../sso/admin/local-accounts.js';
import { ExpiringStore } from '../../../sso/state/expiring-store.js';
import type { Person } from '../../../core/entities/index.js';
import { ApiProblem, problems } from '../http/problem.js';
import type { TenantTree } from '../auth/tenant-tree.js';

/**
 * An invitation is a single-use link that gets a person from "exists in the directory" to "signed in":
 *
 * - at a **password** provider (Junction's own password) it lets them set their password — their identity is
 *   created first if they have none (login = their work email);
 * - at a **federated** provider (OIDC, SAML, LDAP) there is nothing to set: it starts sign-in with their email as
 *   login hint, so home-realm discovery sends them to the right IdP.
 *
 * Re-sending issues a new link and voids the previous one. Junction has no mail server: the link is returned to
 * the admin once (to hand over, or to send with their own mail system) and never stored in the clear. A **pending**
 * person (signed in upstream, matched to no HR record) is not invited: an admin confirms them first, because an
 * invitation would let an unknown identity in without the HR match. Leavers are never invited.
 */
export const INVITATION_PATH = '/console/invitation';
const NAMESPACE = 'invitation';
const BY_PERSON = 'invitation-person';

export interface InvitationRecord {
  personId: string;
  tenantId: string;
  purpose: 'set_password' | 'sign_in';
  providerId: string;
  identityId: string | null;
  loginHint: string;
  issuedBy: string;
}

interface ProviderRow {
  id: string;
  kind: string;
  name: string;
  tenant_id: string;
}

function keyOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The provider a person signs in with: the one asked for, the one they already use, else the nearest enabled one. */
async function chooseProvider(
  ds: DataSource,
  person: Person,
  tree: TenantTree,
  providerId: string | undefined,
): Promise<ProviderRow> {
  const ancestry = tree.ancestry(person.tenantId);
  if (providerId) {
    const rows = (await ds.query(
      'SELECT id, kind, name, tenant_id FROM identity_providers WHERE id = $1 AND enabled AND tenant_id = ANY($2)',
      [providerId, ancestry],
    )) as ProviderRow[];
    if (!rows[0]) throw problems.notFound('Identity provider');
    return rows[0];
  }
  const existing = (await ds.query(
    `SELECT p.id, p.kind, p.name, p.tenant_id FROM identities i JOIN identity_providers p ON p.id = i.provider_id
      WHERE i.person_id = $1 AND p.enabled ORDER BY (p.kind = 'password') DESC, p.priority LIMIT 1`,
    [person.id],
  )) as ProviderRow[];
  if (existing[0]) return existing[0];
  const nearest = (await ds.query(
    `SELECT id, kind, name, tenant_id FROM identity_providers WHERE enabled AND tenant_id = ANY($1)
      ORDER BY array_position($1::uuid[], tenant_id), priority LIMIT 1`,
    [ancestry],
  )) as ProviderRow[];
  if (!nearest[0]) {
    throw problems.unprocessable(
      'no_identity_provider',
      'The person’s tenant has no identity provider to sign in with',
    );
  }
  return nearest[0];
}

export async function issueInvitation(
  ds: DataSource,
  input: {
    person: Person;
    tree: TenantTree;
    providerId?: string;
    ttlHours: number;
    issuedBy: string;
    publicUrl: string;
  },
): Promise<{
  url: string;
  expiresAt: string;
  purpose: InvitationRecord['purpose'];
  provider: { id: string; name: string; kind: string };
}> {
  const person = input.person;
  if (person.status === 'leaver') throw problems.unprocessable('person_leaver', 'Leavers are not invited');
  if (person.status === 'pending') {
    throw new ApiProblem({
      code: 'person_pending',
      status: 422,
      message: 'The person is pending: confirm them first (set their status to active), then invite them',
    });
  }
  if (!person.email) throw problems.unprocessable('no_email', 'The person has no work email to sign in with');
  const provider = await chooseProvider(ds, person, input.tree, input.providerId);
  let identityId: string | null = null;
  if (provider.kind === 'password') {
    const found = (await ds.query(
      `SELECT id FROM identities WHERE person_id = $1 AND provider_id = $2 LIMIT 1`,
      [person.id, provider.id],
    )) as { id: string }[];
    identityId =
      found[0]?.id ??
      (
        await createPasswordIdentity(ds, {
          providerId: provider.id,
          personId: person.id,
          login: person.email,
        })
      ).identityId;
  }
  const store = new ExpiringStore(ds);
  const ttlSeconds = input.ttlHours * 3600;
  // Void the previous link, if any: only the newest invitation works.
  const previous = await store.take<{ key: string }>(BY_PERSON, person.id);
  if (previous)
    await ds.query('DELETE FROM expiring_entries WHERE namespace = $1 AND key = $2', [
      NAMESPACE,
      previous.key,
    ]);
  const token = randomBytes(32).toString('base64url');
  const record: InvitationRecord = {
    personId: person.id,
    tenantId: person.tenantId,
    purpose: provider.kind === 'password' ? 'set_password' : 'sign_in',
    providerId: provider.id,
    identityId,
    loginHint: person.email,
    issuedBy: input.issuedBy,
  };
  await ds.query(
    `INSERT INTO expiring_entries (namespace, key, value, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
    [NAMESPACE, keyOf(token), JSON.stringify(record), ttlSeconds],
  );
  await store.put(BY_PERSON, person.id, { key: keyOf(token) }, ttlSeconds);
  return {
    url: `${input.publicUrl}${INVITATION_PATH}/${token}`,
    expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString(),
    purpose: record.purpose,
    provider: { id: provider.id, name: provider.name, kind: provider.kind },
  };
}

/** Reads an invitation without using it up (the set-password form is shown first). */
export async function peekInvitation(ds: DataSource, token: string): Promise<InvitationRecord | undefined> {
  const rows = (await ds.query(
    'SELECT value FROM expiring_entries WHERE namespace = $1 AND key = $2 AND expires_at > now()',
    [NAMESPACE, keyOf(token)],
  )) as { value: InvitationRecord }[];
  return rows[0]?.value;
}

/** Uses the invitation up: of two concurrent callers only one gets it. */
export async function takeInvitation(ds: DataSource, token: string): Promise<InvitationRecord | undefined> {
  const rows = (await ds.query(
    'DELETE FROM expiring_entries WHERE namespace = $1 AND key = $2 AND expires_at > now() RETURNING value',
    [NAMESPACE, keyOf(token)],
  )) as [{ value: InvitationRecord }[], number] | { value: InvitationRecord }[];
  const list = Array.isArray(rows[0])
    ? (rows[0] as { value: InvitationRecord }[])
    : (rows as { value: InvitationRecord }[]);
  return list[0]?.value;
}
