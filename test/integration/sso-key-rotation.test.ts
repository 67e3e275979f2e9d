import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { rotateSigningKeys } from '../../sso/provider/keys/signing-keys.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { SsoBrowser } from '../harness/sso-browser.js';
import { authorize, federationWorld, redeem, type FederationWorld } from '../harness/sso-scenarios.js';
import { auditRows, startSsoGateway, testVault, type RunningSsoGateway } from '../harness/sso-world.js';

describe('signing keys: stored sealed, rotated without breaking tokens already issued', () => {
  let db: TestDatabase;
  let gateway: RunningSsoGateway;
  let world: FederationWorld;
  const vault = testVault();

  beforeAll(async () => {
    db = await createTestDatabase();
    gateway = await startSsoGateway(db.dataSource, vault);
    world = await federationWorld(db.dataSource, vault, gateway);
  });

  afterAll(async () => {
    await world?.stop();
    await gateway?.close();
    await db?.drop();
  });

  const jwks = async (): Promise<{ kid: string; d?: string }[]> =>
    ((await (await fetch(`${gateway.url}/oidc/jwks`)).json()) as { keys: { kid: string; d?: string }[] })
      .keys;

  it('keeps private keys sealed and publishes only public ones', async () => {
    const rows = (await db.dataSource.query(
      `SELECT private_key_sealed, public_jwk FROM signing_keys WHERE purpose = 'oidc'`,
    )) as {
      private_key_sealed: string;
      public_jwk: Record<string, unknown>;
    }[];
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const row of rows) {
      expect(row.private_key_sealed.startsWith('jv1.')).toBe(true);
      expect(row.private_key_sealed).not.toContain('"d"');
      expect(row.public_jwk.d).toBeUndefined();
    }
    expect((await jwks()).every((k) => k.d === undefined)).toBe(true);
  });

  it('rotates: new tokens carry the new key, old tokens still verify until the old key retires', async () => {
    const browser = new SsoBrowser();
    const before = await redeem(
      world.config,
      await authorize(browser, world.config, world.rp.redirectUri, { login_hint: 'alice@acme.test' }),
    );
    const oldKid = decodeProtectedHeader(before.id_token!).kid!;

    await rotateSigningKeys(db.dataSource, vault, 'oidc', { retireAfterSeconds: 3600 });
    await gateway.runtime.reloadKeys();

    const after = await redeem(world.config, await authorize(browser, world.config, world.rp.redirectUri));
    const newKid = decodeProtectedHeader(after.id_token!).kid!;
    expect(newKid).not.toBe(oldKid);
    const published = (await jwks()).map((k) => k.kid);
    expect(published).toEqual(expect.arrayContaining([oldKid, newKid]));
    const keys = createRemoteJWKSet(new URL(`${gateway.url}/oidc/jwks`));
    const issuer = world.config.serverMetadata().issuer;
    await expect(
      jwtVerify(before.id_token!, keys, { issuer, audience: world.clientId }),
    ).resolves.toBeDefined();
    await expect(
      jwtVerify(after.id_token!, keys, { issuer, audience: world.clientId }),
    ).resolves.toBeDefined();

    await db.dataSource.query(
      `UPDATE signing_keys SET retire_after = now() - interval '1 second' WHERE kid = $1`,
      [oldKid],
    );
    await gateway.runtime.reloadKeys();
    expect((await jwks()).map((k) => k.kid)).not.toContain(oldKid);
  });

  it('publishes the retiring SAML certificate beside the new one during a rotation', async () => {
    const before = await (await fetch(`${gateway.url}/saml/metadata`)).text();
    expect(before.match(/<ds:X509Certificate>/g)).toHaveLength(1);
    await rotateSigningKeys(db.dataSource, vault, 'saml', { retireAfterSeconds: 3600 });
    await gateway.runtime.reloadKeys();
    const after = await (await fetch(`${gateway.url}/saml/metadata`)).text();
    expect(after.match(/<ds:X509Certificate>/g)).toHaveLength(2);
  });

  it('another replica notices a rotation by itself (key-set fingerprint)', async () => {
    const other = await startSsoGateway(db.dataSource, vault, { publicUrl: gateway.url });
    try {
      const kidsBefore = (await (await fetch(`${other.url}/oidc/jwks`)).json()) as {
        keys: { kid: string }[];
      };
      await rotateSigningKeys(db.dataSource, vault, 'oidc', { retireAfterSeconds: 3600 });
      // The replica checks the fingerprint at most every 30 s; make its next request look 30 s later.
      (other.runtime as unknown as { lastKeyCheck: number }).lastKeyCheck = 0;
      await fetch(`${other.url}/oidc/.well-known/openid-configuration`);
      for (let i = 0; i < 50; i += 1) {
        const now = (await (await fetch(`${other.url}/oidc/jwks`)).json()) as { keys: { kid: string }[] };
        if (now.keys.length > kidsBefore.keys.length) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error('the replica never picked up the rotated keys');
    } finally {
      await other.close();
    }
  });

  it('audits every rotation', async () => {
    const rows = await auditRows(db.dataSource, 'sso.signing_keys_rotated');
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows.every((r) => r.outcome === 'success' && r.target_id)).toBe(true);
  });
});
