import { randomBytes } from 'node:crypto';
import { Connection, Tenant } from '../../core/entities/index.js';
import { createLogger } from '../../core/logger.js';
import { Vault } from '../../core/vault/vault.js';
import { checkConnection, connectorListCommand } from '../../bin/commands/connector.js';
import { startSimulator } from '../../bin/commands/simulate.js';
import type { RunningSimulator } from '../../connectors/simulators.js';
import { sealConnectionConfig } from '../../connectors/open-connector.js';
import { CONNECTORS } from '../../connectors/registry.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';

/**
 * `junction simulate` and `junction connector list / check`, in-process against a real PostgreSQL: the simulator's
 * printed config, sealed into a connection row, passes check(); a wrong key fails it with exit code 1.
 */
describe('junction simulate / connector', () => {
  let db: TestDatabase;
  let simulator: RunningSimulator;
  const printed: string[] = [];
  const vault = new Vault(randomBytes(32));
  const log = createLogger({ level: 'silent' });

  beforeAll(async () => {
    db = await createTestDatabase();
    simulator = await startSimulator(
      'bamboohr',
      { port: 0, host: '127.0.0.1', people: 500, seed: 3, faults: { rate429: 0.2 } },
      (line) => printed.push(line),
    );
  });
  afterAll(async () => {
    await simulator?.stop();
    await db?.drop();
  });

  async function saveConnection(slug: string, config: Record<string, unknown>, tenantSlug = 'acme') {
    const tenants = db.dataSource.getRepository(Tenant);
    const tenant =
      (await tenants.findOneBy({ slug: tenantSlug })) ??
      (await tenants.save({ slug: tenantSlug, name: tenantSlug, parentId: null, settings: {} }));
    const repo = db.dataSource.getRepository(Connection);
    const row = await repo.save({
      tenantId: tenant.id,
      connectorId: 'bamboohr',
      slug,
      name: `HR ${slug}`,
      direction: 'source' as const,
      config: {},
    });
    const sealed = sealConnectionConfig(CONNECTORS.bamboohr, config, vault, row.id);
    return repo.save({ ...row, ...sealed });
  }

  it('prints the URL, the fault knobs and a connection config that works', async () => {
    const text = printed.join('\n');
    expect(text).toContain(`listening on ${simulator.url}`);
    expect(text).toContain('/_sim/faults');
    expect(text).toContain('faults on: rate429=0.2');
    const afterHeading = text.slice(text.indexOf('Connection config'));
    const json = afterHeading.slice(afterHeading.indexOf('{'), afterHeading.lastIndexOf('}') + 1);
    expect(JSON.parse(json)).toEqual(simulator.connectionConfig);

    const good = await saveConnection('hr', simulator.connectionConfig);
    const out: string[] = [];
    const code = await checkConnection('hr', {
      dataSource: db.dataSource,
      vault,
      log,
      print: (l) => out.push(l),
    });
    expect(code).toBe(0);
    expect(out[0]).toMatch(
      /^ok {4}HR hr \(bamboohr, hr\): signed in to BambooHR \(acme\); 500 employees readable/,
    );
    // By id and by tenant/slug too.
    expect(
      await checkConnection(good.id, { dataSource: db.dataSource, vault, log, print: () => undefined }),
    ).toBe(0);
    expect(
      await checkConnection('acme/hr', { dataSource: db.dataSource, vault, log, print: () => undefined }),
    ).toBe(0);
  });

  it('fails with the actionable error and exit code 1 for a wrong key, an unknown or ambiguous name', async () => {
    await saveConnection('hr-bad', { ...simulator.connectionConfig, apiKey: 'f'.repeat(40) });
    const out: string[] = [];
    const code = await checkConnection('hr-bad', {
      dataSource: db.dataSource,
      vault,
      log,
      print: (l) => out.push(l),
    });
    expect(code).toBe(1);
    expect(out.join('\n')).toContain(
      'auth_failed: BambooHR rejected the API key (HTTP 401: Invalid API key)',
    );
    expect(out.join('\n')).toContain('fix the connection, then check again');
    expect(out.join('\n')).not.toContain('f'.repeat(40));

    const missing: string[] = [];
    expect(
      await checkConnection('nope', { dataSource: db.dataSource, vault, log, print: (l) => missing.push(l) }),
    ).toBe(1);
    expect(missing[0]).toContain('no connection "nope"');

    await saveConnection('hr', simulator.connectionConfig, 'globex');
    const ambiguous: string[] = [];
    expect(
      await checkConnection('hr', { dataSource: db.dataSource, vault, log, print: (l) => ambiguous.push(l) }),
    ).toBe(1);
    expect(ambiguous[0]).toContain('several tenants');
  });

  it('lists every connector kind with its capabilities', () => {
    const out: string[] = [];
    connectorListCommand((l) => out.push(l));
    expect(out[0]).toMatch(/^ID\s+CATEGORY\s+TITLE\s+DIRECTIONS\s+CAPABILITIES$/);
    expect(out.find((l) => l.startsWith('bamboohr'))).toContain('check, readPeople, readDepartments');
    expect(out).toHaveLength(Object.keys(CONNECTORS).length + 1);
  });
});
