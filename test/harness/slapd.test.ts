import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Attribute, Change, Client, InsufficientAccessError, InvalidCredentialsError } from 'ldapts';
import { GUARD } from '../../connectors/ldap/slapd/launch-slapd.js';
import { startSlapd, type LdifEntry, type RunningSlapd } from './slapd.js';

const fixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'ldap', name), 'utf8');

async function withClient<T>(
  url: string,
  dn: string,
  password: string,
  fn: (c: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ url, timeout: 10_000, connectTimeout: 5_000 });
  try {
    await client.bind(dn, password);
    return await fn(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startSlapd (openldap flavour)', () => {
  let ldap: RunningSlapd;
  beforeAll(async () => {
    ldap = await startSlapd({ seed: fixture('people.ldif'), adminPassword: 'admin-secret' });
  });
  afterAll(() => ldap?.stop());

  it('serves the seed on loopback and binds seeded people with their passwords', async () => {
    expect(ldap.url).toMatch(/^ldap:\/\/127\.0\.0\.1:\d+$/);
    expect(ldap.adminDn).toBe('cn=admin,dc=example,dc=org');
    expect(ldap.seeded.entries).toBeGreaterThanOrEqual(8);
    await withClient(ldap.url, 'uid=josé,ou=people,dc=example,dc=org', 'jose-password', async (client) => {
      const { searchEntries } = await client.search(ldap.usersDn, { filter: '(employeeNumber=E-1002)' });
      expect(searchEntries[0]?.cn).toBe('José Núñez');
    });
    await expect(
      withClient(ldap.url, 'uid=ada,ou=people,dc=example,dc=org', 'wrong', async () => undefined),
    ).rejects.toBeInstanceOf(InvalidCredentialsError);
  });

  it('lets the reader read but not write, and the admin write', async () => {
    await withClient(ldap.url, ldap.readerDn, ldap.readerPassword, async (client) => {
      const { searchEntries } = await client.search(ldap.baseDn, { filter: '(uid=ada)' });
      expect(searchEntries).toHaveLength(1);
      await expect(
        client.modify(
          'uid=ada,ou=people,dc=example,dc=org',
          new Change({ operation: 'replace', modification: new Attribute({ type: 'title', values: ['x'] }) }),
        ),
      ).rejects.toBeInstanceOf(InsufficientAccessError);
    });
    await withClient(ldap.url, ldap.adminDn, 'admin-secret', (client) =>
      client.add('cn=staff,ou=groups,dc=example,dc=org', {
        objectClass: 'groupOfNames',
        cn: 'staff',
        member: 'uid=ada,ou=people,dc=example,dc=org',
      }),
    );
    // memberof keeps the reverse link; refint follows renames.
    await withClient(ldap.url, ldap.adminDn, 'admin-secret', async (client) => {
      await client.modifyDN('uid=ada,ou=people,dc=example,dc=org', 'uid=ada-l,ou=people,dc=example,dc=org');
      const { searchEntries } = await client.search('cn=staff,ou=groups,dc=example,dc=org', {
        scope: 'base',
        attributes: ['member'],
      });
      expect(searchEntries[0]?.member).toBe('uid=ada-l,ou=people,dc=example,dc=org');
      const people = await client.search(ldap.usersDn, { filter: '(uid=ada-l)', attributes: ['memberOf'] });
      expect(people.searchEntries[0]?.memberOf).toBe('cn=staff,ou=groups,dc=example,dc=org');
    });
  });

  it('locks an account with ppolicy: pwdAccountLockedTime 000001010000Z refuses its bind', async () => {
    const dn = 'uid=josé,ou=people,dc=example,dc=org';
    await withClient(ldap.url, ldap.adminDn, 'admin-secret', (client) =>
      client.modify(
        dn,
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'pwdAccountLockedTime', values: ['000001010000Z'] }),
        }),
      ),
    );
    await expect(withClient(ldap.url, dn, 'jose-password', async () => undefined)).rejects.toBeInstanceOf(
      InvalidCredentialsError,
    );
  });

  it('goes down on halt() and comes back with its data on resume()', async () => {
    await ldap.halt();
    await expect(withClient(ldap.url, ldap.adminDn, 'admin-secret', async () => undefined)).rejects.toThrow();
    await ldap.resume();
    const found = await withClient(ldap.url, ldap.adminDn, 'admin-secret', (client) =>
      client.search(ldap.usersDn, { filter: '(uid=ada-l)' }),
    );
    expect(found.searchEntries).toHaveLength(1);
  });
});

describe('startSlapd (ad flavour)', () => {
  let ldap: RunningSlapd;
  beforeAll(async () => {
    ldap = await startSlapd({ flavour: 'ad', baseDn: 'dc=corp,dc=example,dc=com' });
  });
  afterAll(() => ldap?.stop());

  it('accepts AD-shaped users and groups, with memberOf and whenChanged', async () => {
    const userDn = 'cn=Grace Hopper,ou=people,dc=corp,dc=example,dc=com';
    await withClient(ldap.url, ldap.adminDn, ldap.adminPassword, async (client) => {
      await client.add(userDn, {
        objectClass: ['top', 'person', 'organizationalPerson', 'user'],
        cn: 'Grace Hopper',
        sn: 'Hopper',
        sAMAccountName: 'ghopper',
        userPrincipalName: 'ghopper@corp.example.com',
        userAccountControl: '514',
        employeeID: '42',
      });
      await client.add('cn=Admirals,ou=groups,dc=corp,dc=example,dc=com', {
        objectClass: ['top', 'group'],
        cn: 'Admirals',
        groupType: '-2147483646',
        member: userDn,
      });
      const { searchEntries } = await client.search(ldap.usersDn, {
        filter: '(&(objectClass=user)(sAMAccountName=GHOPPER)(whenChanged>=20000101000000Z))',
        attributes: ['userAccountControl', 'memberOf', 'whenChanged'],
      });
      expect(searchEntries[0]?.userAccountControl).toBe('514');
      expect(searchEntries[0]?.memberOf).toBe('cn=Admirals,ou=groups,dc=corp,dc=example,dc=com');
      expect(searchEntries[0]?.whenChanged).toMatch(/^\d{14}Z$/);
      // AD groups may be empty (groupOfNames may not): refint removes the member when the user goes.
      await client.del(userDn);
      const group = await client.search('cn=Admirals,ou=groups,dc=corp,dc=example,dc=com', {
        scope: 'base',
        attributes: ['member'],
      });
      // ldapts reports a requested attribute the entry lacks as an empty list.
      expect(group.searchEntries[0]?.member).toEqual([]);
    });
  });
});

describe('startSlapd seeding and failures', () => {
  it('bulk-loads generated entries with slapadd and cleans up after stop()', async () => {
    function* people(n: number): Generator<LdifEntry> {
      for (let i = 0; i < n; i++) {
        yield {
          dn: `uid=p${i},ou=people,dc=example,dc=org`,
          attributes: { objectClass: 'inetOrgPerson', uid: `p${i}`, cn: `Person ${i}`, sn: `${i}` },
        };
      }
    }
    const ldap = await startSlapd({ seed: people(2000) });
    try {
      expect(ldap.seeded.entries).toBe(2000 + 6);
      const count = await withClient(ldap.url, ldap.adminDn, ldap.adminPassword, async (client) => {
        let n = 0;
        for await (const page of client.searchPaginated(ldap.usersDn, {
          filter: '(objectClass=inetOrgPerson)',
          attributes: ['1.1'],
          paged: { pageSize: 500 },
        }))
          n += page.searchEntries.length;
        return n;
      });
      expect(count).toBe(2000);
    } finally {
      await ldap.stop();
    }
    expect(existsSync(ldap.dataDir)).toBe(false);
    await expect(
      withClient(ldap.url, ldap.adminDn, ldap.adminPassword, async () => undefined),
    ).rejects.toThrow();
  });

  it('generates people who can bind with the seed password (leavers cannot)', async () => {
    const ldap = await startSlapd({ seed: { people: 200, seed: 3, password: 'pw-60' } });
    try {
      expect(ldap.generated).toMatchObject({ people: 200, password: 'pw-60' });
      const people = await withClient(ldap.url, ldap.adminDn, ldap.adminPassword, (client) =>
        client.search(ldap.usersDn, {
          filter: '(objectClass=inetOrgPerson)',
          attributes: ['uid', 'mail', 'manager', 'pwdAccountLockedTime'],
        }),
      );
      expect(people.searchEntries).toHaveLength(200);
      const active = people.searchEntries.find(
        (e) =>
          !e.pwdAccountLockedTime ||
          (Array.isArray(e.pwdAccountLockedTime) && e.pwdAccountLockedTime.length === 0),
      );
      if (!active) throw new Error('no active person');
      await withClient(ldap.url, active.dn, 'pw-60', async () => undefined);
      const leaver = people.searchEntries.find((e) => e.pwdAccountLockedTime === '000001010000Z');
      if (leaver)
        await expect(withClient(ldap.url, leaver.dn, 'pw-60', async () => undefined)).rejects.toThrow();
    } finally {
      await ldap.stop();
    }
  });

  it('says how to install slapd when it is missing', async () => {
    await expect(startSlapd({ env: { ...process.env, SLAPD_PATH: '/nonexistent/slapd' } })).rejects.toThrow(
      /slapd not found at SLAPD_PATH=\/nonexistent\/slapd: install OpenLDAP: `apt-get install slapd ldap-utils`/,
    );
  });

  it("reports a bad seed with slapadd's words and leaves nothing behind", async () => {
    await expect(
      startSlapd({
        seed: 'dn: uid=x,ou=nowhere,dc=other,dc=org\nobjectClass: inetOrgPerson\nuid: x\ncn: x\nsn: x\n',
      }),
    ).rejects.toThrow(/slapadd could not load the seed/);
  });

  it('kills the guarded process when the parent goes away (its stdin pipe closes)', async () => {
    const guard = spawn('sh', ['-c', GUARD, 'sleep', '300'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const pid = await new Promise<number>((resolve) =>
      guard.stdout.once('data', (b: Buffer) => resolve(Number.parseInt(b.toString(), 10))),
    );
    expect(processAlive(pid)).toBe(true);
    const closed = new Promise((resolve) => guard.once('close', resolve));
    guard.stdin.destroy();
    await closed;
    expect(processAlive(pid)).toBe(false);
  });
});
