import { Client } from 'ldapts';
import { createLogger } from '../../core/logger.js';
import { ldapConnector } from './index.js';
import { closeLiveSearches } from './paged-search.js';
import { startLdapSimulator, type LdapSimulator } from './simulator.js';

describe('ldap simulator (slapd behind the fault proxy)', () => {
  let sim: LdapSimulator;
  beforeAll(async () => {
    sim = await startLdapSimulator({ people: 300, seed: 5 });
  });
  afterAll(async () => {
    await closeLiveSearches();
    await sim?.stop();
  });

  const open = () =>
    ldapConnector.create({
      connectionId: 'sim',
      config: ldapConnector.configSchema.parse(sim.connectionConfig),
      log: createLogger({ level: 'silent' }),
    });

  it('serves the generated organisation: people in department OUs, with managers and a password', async () => {
    expect(sim.counts).toMatchObject({ people: 300 });
    const client = new Client({ url: sim.url });
    try {
      await client.bind(sim.slapd.adminDn, sim.slapd.adminPassword);
      const { searchEntries } = await client.search(sim.slapd.usersDn, {
        filter: '(&(objectClass=inetOrgPerson)(manager=*))',
        attributes: ['manager'],
        sizeLimit: 1,
      });
      const [person] = searchEntries;
      if (!person) throw new Error('nobody has a manager');
      expect(person.dn).toMatch(/^uid=[^,]+,ou=/);
      const login = new Client({ url: sim.url });
      await login.bind(person.dn, sim.peoplePassword);
      await login.unbind();
    } finally {
      await client.unbind();
    }
  });

  // Four failures in a row: within the connector's five attempts (LDAP has no Retry-After; it backs off).
  it('drops a connection mid-read and answers busy; the read recovers with nobody lost or repeated', async () => {
    const connector = open();
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await connector.readPeople({ cursor, pageSize: 50 });
      ids.push(...page.items.map((p) => p.externalId));
      cursor = page.nextCursor;
      if (++pages === 2) sim.faults.set({ burst5xx: 2, next429: 2 });
    } while (cursor);
    expect(sim.faults.stats.injected5xx).toBe(2);
    expect(sim.faults.stats.injected429).toBe(2);
    expect(ids).toHaveLength(300);
    expect(new Set(ids).size).toBe(300);
    await connector.close?.();
  });

  it('holds requests back for latencyMs', async () => {
    sim.faults.set({ latencyMs: 300 });
    try {
      const started = Date.now();
      await open().check();
      // bind + root DSE + three base reads, each held back.
      expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 300);
    } finally {
      sim.faults.reset();
    }
  });
});
