import { Person, SsoSession } from '../../core/entities/index.js';
import { createIdentityProvider } from '../../sso/admin/identity-providers.js';
import { createSsoSession, hashSessionToken } from '../../sso/sessions/sso-sessions.js';
import { verifyPassword } from '../../sso/upstream/password/password-hash.js';
import {
  apiClient,
  createAdminToken,
  seedTenantFamily,
  startApiTestGateway,
  type ApiClient,
  type ApiTestContext,
  type TenantFamily,
} from './api-harness.js';

/** Invitations (set-password and sign-in links), revoking a person's sessions, and the people those apply to. */
describe('admin API: invitations and sessions', () => {
  let ctx: ApiTestContext;
  let family: TenantFamily;
  let admin: ApiClient;
  let auditor: ApiClient;

  const person = (tenantId: string, email: string | null, status: Person['status'] = 'active') =>
    ctx.db.dataSource
      .getRepository(Person)
      .save(
        ctx.db.dataSource
          .getRepository(Person)
          .create({ tenantId, displayName: email ?? 'No Mail', email, status }),
      );

  beforeAll(async () => {
    ctx = await startApiTestGateway();
    family = await seedTenantFamily(ctx.db.dataSource);
    admin = apiClient(
      ctx.gateway.url,
      await createAdminToken(ctx.db.dataSource, family.group.id, 'group_admin'),
    );
    auditor = apiClient(
      ctx.gateway.url,
      await createAdminToken(ctx.db.dataSource, family.group.id, 'auditor'),
    );
    await createIdentityProvider(ctx.db.dataSource, ctx.vault, {
      tenantId: family.subA.id,
      kind: 'password',
      slug: 'password',
      name: 'Acme A password',
      config: {},
    });
    await createIdentityProvider(ctx.db.dataSource, ctx.vault, {
      tenantId: family.subB.id,
      kind: 'oidc',
      slug: 'okta',
      name: 'Okta',
      config: { issuer: 'https://okta.example.com', clientId: 'junction' },
      secrets: { clientSecret: 'x' },
    });
  });

  afterAll(async () => {
    await ctx.close();
  });

  const page = async (url: string, init?: RequestInit) => {
    const path = new URL(url).pathname;
    return fetch(`${ctx.gateway.url}${path}`, { redirect: 'manual', ...init });
  };

  it('invites to set a password once; a re-sent invitation voids the old link', async () => {
    const pat = await person(family.subA.id, 'pat@a.example');
    const first = await admin.post<{ url: string; purpose: string; delivery: string }>(
      `/people/${pat.id}/invitation`,
      {},
    );
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ purpose: 'set_password', delivery: 'manual' });
    const second = await admin.post<{ url: string }>(`/people/${pat.id}/invitation`, { expiresInHours: 24 });
    expect((await page(first.body.url)).status).toBe(410);
    const form = await page(second.body.url);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('pat@a.example');

    const post = (password: string, confirm = password) =>
      page(second.body.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ password, confirm }).toString(),
      });
    expect((await post('short')).status).toBe(400);
    expect((await post('long enough password', 'something else')).status).toBe(400);
    expect((await post('long enough password')).status).toBe(200);
    expect((await post('long enough password')).status).toBe(410);
    const [credential] = (await ctx.db.dataSource.query(
      `SELECT lc.password_hash FROM local_credentials lc JOIN identities i ON i.id = lc.identity_id WHERE i.person_id = $1`,
      [pat.id],
    )) as [{ password_hash: string }];
    expect(await verifyPassword(credential.password_hash, 'long enough password')).toBe(true);
    const audit = await admin.get(`/audit-events/export?targetId=${pat.id}`);
    expect(String(audit.body)).toContain('person.invitation_sent');
    expect(String(audit.body)).toContain('person.invitation_accepted');
    expect(String(audit.body)).not.toContain(new URL(second.body.url).pathname.split('/').pop()!);
  });

  it('invites a person of a federated tenant to sign in with their email as login hint', async () => {
    const kim = await person(family.subB.id, 'kim@b.example');
    const invitation = await admin.post<{ url: string; purpose: string }>(`/people/${kim.id}/invitation`, {});
    expect(invitation.body.purpose).toBe('sign_in');
    const response = await page(invitation.body.url);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/sso/login?login_hint=kim%40b.example');
  });

  it('does not invite pending people, leavers, or people without an email', async () => {
    for (const [p, code] of [
      [await person(family.subA.id, 'new@a.example', 'pending'), 'person_pending'],
      [await person(family.subA.id, 'gone@a.example', 'leaver'), 'person_leaver'],
      [await person(family.subA.id, null), 'no_email'],
    ] as const) {
      const response = await admin.post(`/people/${p.id}/invitation`, {});
      expect([code, response.status, response.body.code]).toEqual([code, 422, code]);
    }
    const somebody = await person(family.subA.id, 'x@a.example');
    expect((await auditor.post(`/people/${somebody.id}/invitation`, {})).status).toBe(403);
  });

  it('revokes a person’s sessions', async () => {
    const sam = await person(family.subA.id, 'sam@a.example');
    const sessions = ctx.db.dataSource.getRepository(SsoSession);
    const { token } = await createSsoSession(ctx.db.dataSource, {
      tenantId: family.subA.id,
      personId: sam.id,
      identityId: null,
      providerId: null,
      amr: ['pwd'],
    });
    const tokenHash = hashSessionToken(token);
    expect((await auditor.post(`/people/${sam.id}/revoke-sessions`, {})).status).toBe(403);
    const revoked = await admin.post(`/people/${sam.id}/revoke-sessions`, { reason: 'laptop stolen' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ ssoSessions: 1 });
    expect((await sessions.findOneByOrFail({ tokenHash })).revokedAt).not.toBeNull();
  });
});
