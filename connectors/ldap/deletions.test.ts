import { setTimeout as delay } from 'node:timers/promises';
import type { Page, SourcePerson } from '../kit/contract.js';
import { closeLiveSearches } from './paged-search.js';
import { tombstone } from './slapd/ad-tombstone.js';
import { launchSlapd, type RunningSlapd } from './slapd/launch-slapd.js';
import { ACCESSLOG_SUFFIX } from './slapd/slapd-config.js';
import { account, asAdmin, openConnector, readAllPages, type LdapInstance } from './test-support.js';
import { sameDn } from './protocol/dn.js';

/** A full read, then the watermark its first page carried (what the engine stores for the next incremental read). */
async function fullRead(connector: LdapInstance): Promise<{ people: SourcePerson[]; watermark: string }> {
  const first = await connector.readPeople({ cursor: null, pageSize: 500 });
  expect(first.nextCursor).toBeNull();
  expect(first.watermark).toEqual(expect.any(String));
  return { people: first.items, watermark: first.watermark! };
}

/** Every page of an incremental read since `watermark`, with the removed ids of all pages together. */
async function incremental(
  connector: LdapInstance,
  watermark: string,
): Promise<{ items: SourcePerson[]; removed: string[] }> {
  const items: SourcePerson[] = [];
  const removed: string[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<SourcePerson> = await connector.readPeople({
      cursor,
      changedSince: watermark,
      pageSize: 2,
    });
    items.push(...page.items);
    removed.push(...(page.removedExternalIds ?? []));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { items, removed };
}

async function dnOf(ldap: RunningSlapd, externalId: string): Promise<string> {
  return asAdmin(ldap, async (client) => {
    const { searchEntries } = await client.search(ldap.baseDn, {
      scope: 'sub',
      filter: `(entryUUID=${externalId})`,
      attributes: ['1.1'],
    });
    const dn = searchEntries[0]?.dn;
    if (!dn) throw new Error(`no entry ${externalId}`);
    return dn;
  });
}

describe('incremental reads and people deleted in the directory (OpenLDAP, slapo-accesslog)', () => {
  let ldap: RunningSlapd;
  beforeAll(async () => {
    ldap = await launchSlapd({ flavour: 'openldap' });
  });
  afterAll(async () => {
    await closeLiveSearches();
    await ldap?.stop();
  });

  it('without an access log configured, says incremental reads miss deletions, and they do', async () => {
    const connector = openConnector(ldap);
    expect(connector.incrementalReadsReportDeletions).toBe(false);
    const gone = await connector.createAccount(account('nolog-1'));
    const { watermark } = await fullRead(connector);
    await asAdmin(ldap, async (client) => client.del(await dnOf(ldap, gone.externalId)));
    const { removed } = await incremental(connector, watermark);
    expect(removed).toEqual([]);
    expect((await connector.check()).details).toMatchObject({ incrementalDeletions: 'full_read_only' });
    await connector.close?.();
  });

  it('with accesslogDn, reports people deleted since the watermark, and nothing else', async () => {
    const connector = openConnector(ldap, { accesslogDn: ACCESSLOG_SUFFIX, incrementalOverlapSeconds: 0 });
    expect(connector.incrementalReadsReportDeletions).toBe(true);
    const early = await connector.createAccount(account('log-0'));
    const stays = await connector.createAccount(account('log-1'));
    const gone = await connector.createAccount(account('log-2'));
    const alsoGone = await connector.createAccount(account('log-3'));
    // Deleted before the watermark: the full read below already misses it, so no incremental read reports it.
    await asAdmin(ldap, async (client) => client.del(await dnOf(ldap, early.externalId)));
    await delay(1_100);
    const { people, watermark } = await fullRead(connector);
    expect(people.map((p) => p.externalId)).toEqual(
      expect.arrayContaining([stays.externalId, gone.externalId, alsoGone.externalId]),
    );
    expect(people.map((p) => p.externalId)).not.toContain(early.externalId);

    const group = await connector.setGroupMembers('Leavers test', [stays.externalId]);
    await asAdmin(ldap, async (client) => {
      await client.del(await dnOf(ldap, gone.externalId));
      await client.del(await dnOf(ldap, alsoGone.externalId));
      // Not a person: a group deleted meanwhile is no leaver.
      await client.del(await dnOf(ldap, group.groupExternalId));
    });
    const { items, removed } = await incremental(connector, watermark);
    expect(removed.sort()).toEqual([gone.externalId, alsoGone.externalId].sort());
    expect(items.map((p) => p.externalId)).not.toContain(gone.externalId);

    const report = await connector.check();
    expect(report.details).toMatchObject({ incrementalDeletions: 'accesslog' });
    await connector.close?.();
  });

  it('check() refuses an access log the account cannot read', async () => {
    const connector = openConnector(ldap, { accesslogDn: 'cn=nolog' });
    await expect(connector.check()).rejects.toMatchObject({
      connectorCode: 'invalid_config',
      publicMessage: expect.stringMatching(/accesslogDn cn=nolog/),
    });
    await connector.close?.();
  });
});

describe('incremental reads and people deleted in the directory (Active Directory emulation)', () => {
  let ldap: RunningSlapd;
  beforeAll(async () => {
    ldap = await launchSlapd({ flavour: 'ad', baseDn: 'dc=corp,dc=example,dc=com' });
  });
  afterAll(async () => {
    await closeLiveSearches();
    await ldap?.stop();
  });

  it('finds users tombstoned since the watermark in CN=Deleted Objects, with Show Deleted', async () => {
    const connector = openConnector(ldap, { setRandomPassword: false });
    expect(connector.incrementalReadsReportDeletions).toBe(true);
    const stays = await connector.createAccount(account(1));
    const gone = await connector.createAccount(account(2));
    const { people, watermark } = await fullRead(connector);
    expect(people.map((p) => p.externalId)).toEqual(
      expect.arrayContaining([stays.externalId, gone.externalId]),
    );
    await connector.setGroupMembers('Staff', [stays.externalId, gone.externalId]);

    const deletedDn = await asAdmin(ldap, async (client) =>
      tombstone(client, await dnOf(ldap, gone.externalId), ldap.baseDn),
    );
    expect(sameDn(deletedDn.split(',').slice(1).join(','), `cn=Deleted Objects,${ldap.baseDn}`)).toBe(true);

    const { removed } = await incremental(connector, watermark);
    expect(removed).toEqual([gone.externalId]);
    // A tombstone is no account and no person, as on a domain controller.
    expect(await connector.findAccount(account(2))).toBeNull();
    const accounts = await readAllPages((r) => connector.listAccounts(r), 50);
    expect(accounts.items.map((a) => a.externalId)).not.toContain(gone.externalId);
    const all = await fullRead(connector);
    expect(all.people.map((p) => p.externalId)).not.toContain(gone.externalId);
    expect((await connector.check()).details).toMatchObject({ incrementalDeletions: 'deleted_objects' });
    await connector.close?.();
  });

  it('leaves out users tombstoned before the watermark and users deleted outside usersOu', async () => {
    const connector = openConnector(ldap, { setRandomPassword: false, incrementalOverlapSeconds: 0 });
    const early = await connector.createAccount(account(10));
    await asAdmin(ldap, async (client) => tombstone(client, await dnOf(ldap, early.externalId), ldap.baseDn));
    await delay(1_100);
    const { watermark } = await fullRead(connector);
    // A user outside usersOu (a service account in another OU), tombstoned after the watermark.
    const outside = await asAdmin(ldap, async (client) => {
      await client.add(`ou=service,${ldap.baseDn}`, {
        objectClass: ['top', 'organizationalUnit'],
        ou: 'service',
      });
      const dn = `cn=svc-backup,ou=service,${ldap.baseDn}`;
      await client.add(dn, {
        objectClass: ['top', 'person', 'organizationalPerson', 'user'],
        cn: 'svc-backup',
        sn: 'svc',
      });
      return dn;
    });
    await asAdmin(ldap, (client) => tombstone(client, outside, ldap.baseDn));
    const { removed } = await incremental(connector, watermark);
    expect(removed).toEqual([]);
    await connector.close?.();
  });
});
