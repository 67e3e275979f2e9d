import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { SsoBrowser } from '../harness/sso-browser.js';
import { authorize, federationWorld, redeem, type FederationWorld } from '../harness/sso-scenarios.js';
import { startSsoGateway, testVault, type RunningSsoGateway } from '../harness/sso-world.js';

describe('gateway sessions: PostgreSQL-backed, idle and absolute timeouts, forced re-authentication', () => {
  let db: TestDatabase;
  let gateway: RunningSsoGateway;
  let world: FederationWorld;
  const vault = testVault();

  beforeAll(async () => {
    db = await createTestDatabase();
    gateway = await startSsoGateway(db.dataSource, vault);
    world = await federationWorld(db.dataSource, vault, gateway);
    await db.dataSource.query(
      `UPDATE tenants SET settings = '{"sessionIdleMinutes": 30, "sessionAbsoluteHours": 8}' WHERE id = $1`,
      [world.tenantId],
    );
  });

  afterAll(async () => {
    await world?.stop();
    await gateway?.close();
    await db?.drop();
  });

  async function signedIn(): Promise<SsoBrowser> {
    const browser = new SsoBrowser();
    const attempt = await authorize(browser, world.config, world.rp.redirectUri, {
      login_hint: 'alice@acme.test',
    });
    await redeem(world.config, attempt);
    return browser;
  }
  const upstreamCalls = (): number => world.upstream.authorizationRequests.length;

  it('stores only the hash of the cookie and sets the absolute end from the tenant setting', async () => {
    const browser = await signedIn();
    const token = browser.cookie(gateway.url, 'junction_sso')!.value;
    const rows = (await db.dataSource.query(
      `SELECT token_hash, extract(epoch FROM expires_at - created_at)::int AS lifetime FROM sso_sessions ORDER BY created_at DESC LIMIT 1`,
    )) as { token_hash: string; lifetime: number }[];
    expect(rows[0]!.token_hash).not.toContain(token);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.lifetime).toBe(8 * 3600);
  });

  it('reuses a live session (single sign-on) without asking the upstream again', async () => {
    const browser = await signedIn();
    const calls = upstreamCalls();
    const again = await authorize(browser, world.config, world.rp.redirectUri);
    expect(again.landed.url.startsWith(world.rp.redirectUri)).toBe(true);
    expect(upstreamCalls()).toBe(calls);
  });

  it('ends a session idle longer than the tenant allows: the next app sign-in goes upstream again', async () => {
    const browser = await signedIn();
    await db.dataSource.query(`UPDATE sso_sessions SET last_seen_at = now() - interval '31 minutes'`);
    const calls = upstreamCalls();
    const again = await authorize(browser, world.config, world.rp.redirectUri, {
      login_hint: 'alice@acme.test',
    });
    expect(again.landed.url.startsWith(world.rp.redirectUri)).toBe(true);
    expect(upstreamCalls()).toBe(calls + 1);
  });

  it('ends a session past its absolute end even while in use', async () => {
    const browser = await signedIn();
    await db.dataSource.query(
      `UPDATE sso_sessions SET expires_at = now() - interval '1 second', last_seen_at = now()`,
    );
    const apps = await browser.get(`${gateway.url}/sso/apps`);
    expect(apps.url).toMatch(/\/sso\/login\//);
  });

  it('honours prompt=login and max_age by signing in upstream again', async () => {
    const browser = await signedIn();
    const calls = upstreamCalls();
    const forced = await authorize(browser, world.config, world.rp.redirectUri, {
      prompt: 'login',
      login_hint: 'alice@acme.test',
    });
    expect(forced.landed.url.startsWith(world.rp.redirectUri)).toBe(true);
    expect(upstreamCalls()).toBe(calls + 1);
    // Ten minutes pass since that sign-in (the gateway's record and oidc-provider's).
    await db.dataSource.query(`UPDATE sso_sessions SET created_at = now() - interval '10 minutes'`);
    await db.dataSource.query(
      `UPDATE oidc_payloads SET payload = jsonb_set(payload, '{loginTs}', to_jsonb(extract(epoch FROM now())::int - 600))
        WHERE model = 'Session'`,
    );
    const aged = await authorize(browser, world.config, world.rp.redirectUri, {
      max_age: '60',
      login_hint: 'alice@acme.test',
    });
    expect(aged.landed.url.startsWith(world.rp.redirectUri)).toBe(true);
    expect(upstreamCalls()).toBe(calls + 2);
    const tokens = await redeem(world.config, aged);
    expect(Math.floor(Date.now() / 1000) - Number(tokens.claims()!.auth_time)).toBeLessThan(60);
  });
});
