import { Attribute, Change } from 'ldapts';
import { ConnectorError } from '../kit/errors.js';
import { closeLiveSearches } from './paged-search.js';
import { parentDn, sameDn } from './protocol/dn.js';
import { launchSlapd, type RunningSlapd } from './slapd/launch-slapd.js';
import { account, asAdmin, canBind, openConnector, readAllPages, type LdapInstance } from './test-support.js';

const opened: LdapInstance[] = [];
function open(ldap: RunningSlapd, overrides: Parameters<typeof openConnector>[1] = {}): LdapInstance {
  const instance = openConnector(ldap, overrides);
  opened.push(instance);
  return instance;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((i) => i.close?.()));
});
afterAll(() => closeLiveSearches());

async function dnOf(ldap: RunningSlapd, externalId: string): Promise<string> {
  return asAdmin(ldap, async (client) => {
    const { searchEntries } = await client.search(ldap.baseDn, {
      filter: `(entryUUID=${externalId})`,
      attributes: ['1.1'],
    });
    const [entry] = searchEntries;
    if (!entry) throw new Error(`no entry ${externalId}`);
    return entry.dn;
  });
}

async function rejection(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe('ldap connector against slapd (openldap flavour)', () => {
  let ldap: RunningSlapd;
  beforeAll(async () => {
    ldap = await launchSlapd({ flavour: 'openldap' });
  });
  afterAll(() => ldap?.stop());

  it('escapes DN values (RFC 4514) and filter values (RFC 4515) with hostile names', async () => {
    const connector = open(ldap);
    const name = 'Smith, John "JJ" <Ops> + R&D; \\ #1';
    const input = account('esc', {
      userName: 'smith,j+1#',
      displayName: name,
      attributes: { sn: 'Smith, (Jr.) *', title: 'a*b' },
    });
    const created = await connector.createAccount(input);
    expect(created.userName).toBe('smith,j+1#');
    expect(created.attributes.sn).toBe('Smith, (Jr.) *');
    const dn = await dnOf(ldap, created.externalId);
    expect(sameDn(dn, `uid=smith\\,j\\+1#,${ldap.usersDn}`)).toBe(true);

    // A filter value is data, never syntax: '*' does not match everyone, ')(' does not open a new clause.
    await connector.createAccount(account('other'));
    expect(await connector.findAccount({ correlationId: '', userName: '*', email: null })).toBeNull();
    expect(await connector.findAccount({ correlationId: '', userName: 'x)(uid=*', email: null })).toBeNull();
    expect(
      (await connector.findAccount({ correlationId: '', userName: 'smith,j+1#', email: null }))?.externalId,
    ).toBe(created.externalId);

    // Renaming the uid is a ModifyDN; the external id survives it.
    const renamed = await connector.updateAccount(created.externalId, { ...input, userName: 'smith(j)\\2' });
    expect(renamed.externalId).toBe(created.externalId);
    expect(sameDn(await dnOf(ldap, created.externalId), `uid=smith(j)\\5c2,${ldap.usersDn}`)).toBe(true);
    expect(renamed.attributes.cn).toBe(name);
    await connector.deleteAccount(created.externalId);
    expect(await connector.findAccount(input)).toBeNull();
  });

  it('creates idempotently, refuses to adopt a user name held by someone else, and writes nothing on bad input', async () => {
    const connector = open(ldap);
    const first = await connector.createAccount(account(100));
    expect((await connector.createAccount(account(100))).externalId).toBe(first.externalId);

    const clash = await rejection(connector.createAccount(account(101, { userName: 'user100' })));
    expect(clash.connectorCode).toBe('conflict');
    expect(clash.publicMessage).toMatch(/uid=user100 is already taken/);

    const managed = await rejection(
      connector.createAccount(account(102, { attributes: { userPassword: 'x' } })),
    );
    expect(managed.connectorCode).toBe('invalid_config');
    expect(await connector.findAccount(account(102))).toBeNull();

    const missing = await rejection(
      connector.updateAccount('00000000-0000-0000-0000-000000000000', account(100)),
    );
    expect(missing.connectorCode).toBe('not_found');
  });

  it('updates only what changed, and removes attributes mapped to null', async () => {
    const connector = open(ldap);
    const input = account(110, {
      attributes: { sn: 'Number 110', title: 'Engineer', telephoneNumber: '+1 555 0110' },
    });
    const created = await connector.createAccount(input);
    const before = await asAdmin(
      ldap,
      async (client) =>
        (
          await client.search(await dnOf(ldap, created.externalId), {
            scope: 'base',
            attributes: ['modifyTimestamp', 'entryCSN'],
          })
        ).searchEntries[0],
    );
    const same = await connector.updateAccount(created.externalId, input);
    const after = await asAdmin(
      ldap,
      async (client) =>
        (
          await client.search(await dnOf(ldap, created.externalId), {
            scope: 'base',
            attributes: ['modifyTimestamp', 'entryCSN'],
          })
        ).searchEntries[0],
    );
    // Nothing changed: no modify was sent, so the entry's change sequence number stands.
    expect(after?.entryCSN).toBe(before?.entryCSN);
    expect(same.attributes.title).toBe('Engineer');

    const changed = await connector.updateAccount(created.externalId, {
      ...input,
      attributes: { sn: 'Number 110', title: 'Lead', telephoneNumber: null },
    });
    expect(changed.attributes.title).toBe('Lead');
    expect(changed.attributes.telephoneNumber).toBeUndefined();
  });

  it('disables with ppolicy: the account can no longer bind, and enabling lets it bind again', async () => {
    const connector = open(ldap);
    const created = await connector.createAccount(account(120));
    const dn = await dnOf(ldap, created.externalId);
    await asAdmin(ldap, (client) =>
      client.modify(
        dn,
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'userPassword', values: ['pw-120'] }),
        }),
      ),
    );
    expect(await canBind(ldap, dn, 'pw-120')).toBe(true);

    await connector.disableAccount(created.externalId);
    await connector.disableAccount(created.externalId);
    expect(await canBind(ldap, dn, 'pw-120')).toBe(false);
    expect((await connector.findAccount(account(120)))?.active).toBe(false);

    const enabled = await connector.updateAccount(created.externalId, account(120));
    expect(enabled.active).toBe(true);
    expect(await canBind(ldap, dn, 'pw-120')).toBe(true);
  });

  it('disables by moving to the disabled OU (created on demand) and moves back on enable', async () => {
    const connector = open(ldap, { disableStrategy: 'disabledOu' });
    const created = await connector.createAccount(account(130));
    await connector.disableAccount(created.externalId);
    expect(sameDn(parentDn(await dnOf(ldap, created.externalId)), `ou=disabled,${ldap.usersDn}`)).toBe(true);
    const listed = await readAllPages((r) => connector.listAccounts(r), 50);
    expect(listed.items.find((a) => a.externalId === created.externalId)?.active).toBe(false);

    await connector.updateAccount(created.externalId, account(130));
    expect(sameDn(parentDn(await dnOf(ldap, created.externalId)), ldap.usersDn)).toBe(true);
    expect((await connector.findAccount(account(130)))?.active).toBe(true);

    // Created disabled: straight into the disabled OU.
    const inactive = await connector.createAccount(account(131, { active: false }));
    expect(inactive.active).toBe(false);
  });

  it('moves accounts between department OUs, keeps group membership, and follows an OU rename', async () => {
    const connector = open(ldap, { departmentPlacement: 'ou' });
    const sales = await connector.upsertDepartment({
      correlationId: 'D-sales',
      name: 'Sales',
      parentExternalId: null,
    });
    const emea = await connector.upsertDepartment({
      correlationId: 'D-emea',
      name: 'EMEA, North',
      parentExternalId: sales.externalId,
    });
    const input = account(140, { departmentExternalIds: [sales.externalId] });
    const created = await connector.createAccount(input);
    expect(created.departmentExternalIds).toEqual([sales.externalId]);
    await connector.setGroupMembers('movers', [created.externalId]);

    const moved = await connector.updateAccount(created.externalId, {
      ...input,
      departmentExternalIds: [emea.externalId],
    });
    expect(moved.externalId).toBe(created.externalId);
    expect(moved.departmentExternalIds).toEqual([emea.externalId]);
    expect(
      sameDn(await dnOf(ldap, created.externalId), `uid=user140,ou=EMEA\\, North,ou=Sales,${ldap.usersDn}`),
    ).toBe(true);
    expect(moved.groups).toEqual(['movers']);

    // Renaming and moving the OU (a subtree ModifyDN) keeps every id.
    await connector.upsertDepartment({ correlationId: 'D-emea', name: 'Europe', parentExternalId: null });
    expect(sameDn(await dnOf(ldap, created.externalId), `uid=user140,ou=Europe,${ldap.usersDn}`)).toBe(true);
    const found = await connector.findAccount(input);
    expect(found?.departmentExternalIds).toEqual([emea.externalId]);
    const groups = await readAllPages((r) => connector.listGroups(r), 50);
    expect(groups.items.find((g) => g.name === 'movers')?.memberExternalIds).toEqual([created.externalId]);

    const people = await readAllPages((r) => connector.readPeople(r), 50);
    expect(people.items.find((p) => p.externalId === created.externalId)?.departmentExternalId).toBe(
      emea.externalId,
    );

    const notEmpty = await rejection(connector.deleteDepartment(emea.externalId));
    expect(notEmpty.connectorCode).toBe('conflict');
    expect(notEmpty.vendorCode).toBe('66');
  });

  it('keeps groupOfNames valid when it becomes empty, and never reports the placeholder', async () => {
    const connector = open(ldap);
    const a = await connector.createAccount(account(150));
    const b = await connector.createAccount(account(151));
    const group = await connector.setGroupMembers('empty-ok', []);
    const rawMembers = (): Promise<unknown> =>
      asAdmin(
        ldap,
        async (client) =>
          (await client.search(`cn=empty-ok,${ldap.groupsDn}`, { scope: 'base', attributes: ['member'] }))
            .searchEntries[0]?.member,
      );
    expect(await rawMembers()).toBe('');
    const members = async (): Promise<string[] | undefined> =>
      (await readAllPages((r) => connector.listGroups(r), 50)).items.find(
        (g) => g.externalId === group.groupExternalId,
      )?.memberExternalIds;
    expect(await members()).toEqual([]);

    await connector.setGroupMembers('empty-ok', [a.externalId, b.externalId]);
    expect((await members())?.sort()).toEqual([a.externalId, b.externalId].sort());
    expect(await rawMembers()).not.toContain('');

    await connector.setGroupMembers('empty-ok', []);
    expect(await rawMembers()).toBe('');
    expect(await members()).toEqual([]);

    // An unknown member fails the whole call and writes nothing.
    const unknown = await rejection(
      connector.setGroupMembers('never-created', [a.externalId, '11111111-1111-1111-1111-111111111111']),
    );
    expect(unknown.connectorCode).toBe('not_found');
    expect((await readAllPages((r) => connector.listGroups(r), 50)).items.map((g) => g.name)).not.toContain(
      'never-created',
    );
  });

  it('pages across several pages and resumes after the live search is gone, even when the last entry was deleted', async () => {
    const connector = open(ldap);
    for (let i = 200; i < 217; i++) await connector.createAccount(account(i));
    const all = await readAllPages((r) => connector.listAccounts(r), 1000);
    const total = all.items.length;
    expect(total).toBeGreaterThanOrEqual(17);

    const paged = await readAllPages((r) => connector.listAccounts(r), 5);
    expect(paged.pages).toBeGreaterThanOrEqual(Math.ceil(total / 5));
    expect(new Set(paged.items.map((a) => a.externalId)).size).toBe(total);

    // Resume on another "worker": the live search is gone, so the connector re-runs the query and skips past
    // the last entry it delivered.
    const first = await connector.listAccounts({ cursor: null, pageSize: 5 });
    await closeLiveSearches();
    const rest = await readAllPages(
      (r) => connector.listAccounts({ ...r, cursor: r.cursor ?? first.nextCursor }),
      5,
    );
    expect(new Set([...first.items, ...rest.items].map((a) => a.externalId)).size).toBe(total);

    // The last delivered entry deleted meanwhile: the connector counts instead, still losing nobody.
    const head = await connector.listAccounts({ cursor: null, pageSize: 5 });
    await closeLiveSearches();
    const lastDelivered = head.items.at(-1);
    if (!lastDelivered) throw new Error('empty page');
    await connector.deleteAccount(lastDelivered.externalId);
    const tail = await readAllPages(
      (r) => connector.listAccounts({ ...r, cursor: r.cursor ?? head.nextCursor }),
      5,
    );
    const seen = new Set([...head.items, ...tail.items].map((a) => a.externalId));
    expect(seen.size).toBe(total);

    const foreign = await rejection(connector.readPeople({ cursor: head.nextCursor, pageSize: 5 }));
    expect(foreign.connectorCode).toBe('invalid_config');
  });
});

describe('ldap connector against slapd (Active Directory emulation)', () => {
  let ldap: RunningSlapd;
  beforeAll(async () => {
    ldap = await launchSlapd({ flavour: 'ad', baseDn: 'dc=corp,dc=example,dc=com' });
  });
  afterAll(() => ldap?.stop());

  it('flips only ACCOUNTDISABLE (0x2) in userAccountControl, keeping the other bits', async () => {
    const connector = open(ldap, { upnSuffix: 'corp.example.com' });
    const created = await connector.createAccount(account(1));
    expect(created.attributes.userPrincipalName).toBe('user1@corp.example.com');
    expect(created.attributes.sAMAccountName).toBe('user1');
    const dn = await dnOf(ldap, created.externalId);
    const uac = async (): Promise<unknown> =>
      asAdmin(
        ldap,
        async (client) =>
          (await client.search(dn, { scope: 'base', attributes: ['userAccountControl'] })).searchEntries[0]
            ?.userAccountControl,
      );
    expect(await uac()).toBe('512');
    // NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD, set by an admin.
    await asAdmin(ldap, (client) =>
      client.modify(
        dn,
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'userAccountControl', values: ['66048'] }),
        }),
      ),
    );
    await connector.disableAccount(created.externalId);
    expect(await uac()).toBe('66050');
    expect((await connector.findAccount(account(1)))?.active).toBe(false);
    await connector.updateAccount(created.externalId, account(1));
    expect(await uac()).toBe('66048');
  });

  it('names users CN=<display name>, disambiguates a clash in one OU, and renames on a display name change', async () => {
    const connector = open(ldap);
    const one = await connector.createAccount(account(10, { displayName: 'Pat Lee' }));
    const two = await connector.createAccount(account(11, { displayName: 'Pat Lee' }));
    expect(sameDn(await dnOf(ldap, one.externalId), `cn=Pat Lee,${ldap.usersDn}`)).toBe(true);
    expect(sameDn(await dnOf(ldap, two.externalId), `cn=Pat Lee (user11),${ldap.usersDn}`)).toBe(true);
    // Unchanged display name: the disambiguated RDN stays.
    await connector.updateAccount(two.externalId, account(11, { displayName: 'Pat Lee' }));
    expect(sameDn(await dnOf(ldap, two.externalId), `cn=Pat Lee (user11),${ldap.usersDn}`)).toBe(true);
    const renamed = await connector.updateAccount(
      two.externalId,
      account(11, { displayName: 'Patricia Lee' }),
    );
    expect(renamed.externalId).toBe(two.externalId);
    expect(sameDn(await dnOf(ldap, two.externalId), `cn=Patricia Lee,${ldap.usersDn}`)).toBe(true);
  });

  it('refuses a sAMAccountName AD would refuse, before writing anything', async () => {
    const connector = open(ldap);
    for (const userName of ['a.very.long.user.name.x', 'bad/name', 'at@sign']) {
      const error = await rejection(connector.createAccount(account(20, { userName })));
      expect(error.connectorCode).toBe('invalid_config');
      expect(error.publicMessage).toMatch(/sAMAccountName/);
    }
    expect(await connector.findAccount(account(20))).toBeNull();
  });

  it('lets an AD group become empty (no placeholder) and reports memberOf on accounts', async () => {
    const connector = open(ldap);
    const a = await connector.createAccount(account(30));
    const group = await connector.setGroupMembers('Engineers', [a.externalId]);
    expect((await connector.findAccount(account(30)))?.groups).toEqual(['Engineers']);
    await connector.setGroupMembers('Engineers', []);
    const raw = await asAdmin(
      ldap,
      async (client) =>
        (
          await client.search(`cn=Engineers,${ldap.groupsDn}`, {
            scope: 'base',
            attributes: ['member', 'groupType', 'sAMAccountName'],
          })
        ).searchEntries[0],
    );
    expect(raw?.member).toEqual([]);
    expect(raw?.groupType).toBe('-2147483646');
    const listed = await readAllPages((r) => connector.listGroups(r), 50);
    expect(listed.items.find((g) => g.externalId === group.groupExternalId)?.memberExternalIds).toEqual([]);
  });
});
