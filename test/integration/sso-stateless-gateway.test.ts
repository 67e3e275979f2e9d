import { freePort } from '../../bin/runtime/free-port.js';
import { createLogger } from '../../core/logger.js';
import { startGateway, type RunningGateway } from '../../gateway/server.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { SsoBrowser } from '../harness/sso-browser.js';
import { authorize, federationWorld, redeem, type FederationWorld } from '../harness/sso-scenarios.js';
import type { RunningSsoGateway } from '../harness/sso-world.js';
import { connectTestTemporal, type TestTemporal } from '../harness/temporal.js';
import { testVault } from '../harness/sso-world.js';

/**
 * Two full gateways (the app `createApp` builds, as `junction gateway` runs it) on one database, behind one public
 * URL. The browser's requests alternate between them, so every step of a federated sign-in is served by the
 * other replica than the step before.
 */
describe('the gateway is stateless: two replicas serve one sign-in between them', () => {
  let db: TestDatabase;
  let temporal: TestTemporal;
  let a: RunningGateway;
  let b: RunningGateway;
  let world: FederationWorld;
  let publicUrl: string;
  const vault = testVault();

  beforeAll(async () => {
    db = await createTestDatabase();
    temporal = await connectTestTemporal();
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    const deps = {
      dataSource: db.dataSource,
      temporal: { client: temporal.client, namespace: temporal.namespace, taskQueue: temporal.taskQueue },
      log: createLogger({ level: 'silent' }),
      publicUrl,
      vault,
    };
    a = await startGateway(deps, port, '127.0.0.1');
    b = await startGateway(deps, 0, '127.0.0.1');
    // federationWorld only needs the public URL of "the gateway".
    world = await federationWorld(db.dataSource, vault, { url: publicUrl } as RunningSsoGateway);
  });

  afterAll(async () => {
    await world?.stop();
    await a?.close();
    await b?.close();
    await temporal?.close();
    await db?.drop();
  });

  it('authorize on one, login and upstream callback on the other, token on either', async () => {
    const browser = new SsoBrowser();
    const served: string[] = [];
    let turn = 0;
    browser.route = (url) => {
      if (url.origin !== publicUrl) return url;
      turn += 1;
      const replica = turn % 2 === 0 ? a : b;
      served.push(replica === a ? 'a' : 'b');
      const routed = new URL(url);
      routed.port = String(replica.port);
      return routed;
    };
    const attempt = await authorize(browser, world.config, world.rp.redirectUri, {
      login_hint: 'alice@acme.test',
    });
    if (!attempt.landed.url.startsWith(world.rp.redirectUri)) {
      throw new Error(
        `landed at ${attempt.landed.url} ${attempt.landed.status}: ${JSON.stringify(browser.log)} ${attempt.landed.body.slice(-600)}`,
      );
    }
    const tokens = await redeem(world.config, attempt);
    expect(tokens.claims()?.sub).toBe(world.aliceId);
    // Four browser steps reach the gateway (authorize, interaction with the hint, upstream callback, resume),
    // alternating: each replica serves two, and every step follows one the other replica served.
    expect(served.filter((s) => s === 'a').length).toBeGreaterThanOrEqual(2);
    expect(served.filter((s) => s === 'b').length).toBeGreaterThanOrEqual(2);
    const steps = browser.log
      .filter((entry) => entry.url.startsWith(publicUrl))
      .map((entry) => new URL(entry.url).pathname);
    expect(steps).toEqual(
      expect.arrayContaining([
        '/oidc/auth',
        expect.stringMatching(/^\/sso\/interaction\//),
        expect.stringMatching(/^\/sso\/callback\/oidc\//),
        expect.stringMatching(/^\/oidc\/auth\//),
      ]),
    );
  });
});
