import { ldapConfigSchema, resolveSettings } from './config.js';

const base = {
  url: 'ldap://dc1.corp.example.com',
  bindDn: 'cn=svc,dc=corp',
  bindPassword: 'pw',
  baseDn: 'dc=corp',
};

describe('ldap config', () => {
  it('derives OpenLDAP defaults', () => {
    const s = resolveSettings(ldapConfigSchema.parse(base));
    expect(s).toMatchObject({
      usersDn: 'ou=people,dc=corp',
      groupsDn: 'ou=groups,dc=corp',
      departmentsDn: 'ou=people,dc=corp',
      disabledDn: 'ou=disabled,ou=people,dc=corp',
      disableStrategy: 'ppolicy',
      uuidAttribute: 'entryUUID',
      uuidIsBinary: false,
      changedAttribute: 'modifyTimestamp',
      emptyGroupMember: '',
    });
    expect(s.attributes).toMatchObject({ userName: 'uid', rdn: 'uid', correlation: 'employeeNumber' });
  });

  it('derives Active Directory defaults, and takes full DNs and attribute overrides as given', () => {
    const s = resolveSettings(
      ldapConfigSchema.parse({
        ...base,
        url: 'ldaps://dc1.corp.example.com:636',
        flavour: 'ad',
        usersOu: 'OU=Staff,DC=corp',
        attributes: { correlation: 'employeeNumber' },
      }),
    );
    expect(s).toMatchObject({
      usersDn: 'OU=Staff,DC=corp',
      disableStrategy: 'userAccountControl',
      uuidAttribute: 'objectGUID',
      uuidIsBinary: true,
      changedAttribute: 'whenChanged',
      emptyGroupMember: null,
    });
    expect(s.attributes).toMatchObject({
      userName: 'sAMAccountName',
      rdn: 'cn',
      correlation: 'employeeNumber',
    });
  });

  it('reads AD deletions from CN=Deleted Objects of the domain the base DN lies in; OpenLDAP from accesslogDn only', () => {
    const ad = (extra: Record<string, unknown>) =>
      resolveSettings(ldapConfigSchema.parse({ ...base, flavour: 'ad', ...extra })).deletions;
    expect(ad({ baseDn: 'OU=Corp,DC=example,DC=com', bindDn: 'CN=svc,DC=example,DC=com' })).toEqual({
      kind: 'deletedObjects',
      dn: 'cn=Deleted Objects,DC=example,DC=com',
    });
    expect(ad({ deletedObjectsDn: 'CN=Deleted Objects,DC=other' })).toEqual({
      kind: 'deletedObjects',
      dn: 'CN=Deleted Objects,DC=other',
    });
    expect(resolveSettings(ldapConfigSchema.parse(base)).deletions).toBeNull();
    expect(
      resolveSettings(ldapConfigSchema.parse({ ...base, accesslogDn: 'cn=accesslog' })).deletions,
    ).toEqual({
      kind: 'accesslog',
      dn: 'cn=accesslog',
    });
  });

  it.each([
    [{ accesslogDn: 'cn=accesslog', flavour: 'ad' }, 'accesslogDn'],
    [{ deletedObjectsDn: 'cn=Deleted Objects,dc=corp' }, 'deletedObjectsDn'],
    [{ url: 'http://dc1' }, 'url'],
    [{ url: 'ldaps://dc1', startTls: true }, 'startTls'],
    [{ baseDn: 'not a dn' }, 'baseDn'],
    [{ userFilter: 'objectClass=person' }, 'userFilter'],
    [{ disableStrategy: 'userAccountControl' }, 'disableStrategy'],
    [{ disableStrategy: 'disabledOu', disabledOu: 'ou=gone,dc=corp' }, 'disabledOu'],
    [{ attributes: { userName: 'uid)(x' } }, 'attributes'],
  ])('rejects %j naming %s', (override, field) => {
    const parsed = ldapConfigSchema.safeParse({ ...base, ...override });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path[0])).toContain(field);
  });
});
