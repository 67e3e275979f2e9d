import type { AccountInput } from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import { leafKey, parseLeaf } from './attribute-paths.js';
import { applyDesired, desiredUser, patchOperations, toTargetAccount } from './mapping.js';
import { ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from './urns.js';
import { scimUserSchema } from './wire-schemas.js';

const options = { userNameAttribute: 'userName', matchByExternalId: true } as const;

const input = (
  attributes: Record<string, unknown> = {},
  extra: Partial<AccountInput> = {},
): AccountInput => ({
  correlationId: 'person-1',
  userName: 'ada@example.com',
  email: 'ada@example.com',
  displayName: 'Ada Lovelace',
  active: true,
  attributes,
  ...extra,
});

function invalidConfig(run: () => unknown): ConnectorError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).connectorCode).toBe('invalid_config');
    return error as ConnectorError;
  }
  throw new Error('expected invalid_config');
}

describe('attribute names (RFC 7644 §3.10 notation)', () => {
  it('parses core, name, typed multi-valued, enterprise (short and full) and custom extension names', () => {
    const cases: [string, string][] = [
      ['title', 'title'],
      ['Title', 'title'],
      ['name.givenName', 'name.givenName'],
      ['phoneNumbers[type eq "mobile"].value', 'phoneNumbers[type eq "mobile"].value'],
      ['addresses[type eq "work"].locality', 'addresses[type eq "work"].locality'],
      ['department', 'department'],
      [`${ENTERPRISE_USER_SCHEMA}:department`, 'department'],
      [`${ENTERPRISE_USER_SCHEMA}:manager.value`, 'manager'],
      [`${USER_SCHEMA}:nickName`, 'nickName'],
      [
        'urn:example:params:scim:schemas:extension:slack:2.0:User:startDate',
        'urn:example:params:scim:schemas:extension:slack:2.0:User:startDate',
      ],
    ];
    for (const [key, canonical] of cases)
      expect({ key, canonical: leafKey(parseLeaf(key)) }).toEqual({ key, canonical });
  });

  it('refuses unknown names, account fields and the work e-mail with a message naming them', () => {
    for (const key of [
      'shoeSize',
      'name.nick',
      'userName',
      'emails[type eq "work"].value',
      `${ENTERPRISE_USER_SCHEMA}:salary`,
    ]) {
      const error = invalidConfig(() => parseLeaf(key));
      expect(error.publicMessage).toContain(key);
    }
  });
});

describe('desired user', () => {
  it('takes userName from the configured source and checks value types before anything is sent', () => {
    expect(desiredUser(input(), options).userName).toBe('ada@example.com');
    expect(
      desiredUser(input({ employeeNumber: 42 }), { ...options, userNameAttribute: 'employeeNumber' })
        .userName,
    ).toBe('42');
    expect(
      invalidConfig(() => desiredUser(input(), { ...options, userNameAttribute: 'employeeNumber' }))
        .publicMessage,
    ).toMatch(/no employeeNumber/);
    expect(
      invalidConfig(() => desiredUser(input({}, { email: null }), { ...options, userNameAttribute: 'email' }))
        .publicMessage,
    ).toMatch(/no e-mail/);
    invalidConfig(() => desiredUser(input({ title: { nested: true } }), options));
    invalidConfig(() => desiredUser(input({ department: true }), options));
    expect(desiredUser(input(), { ...options, matchByExternalId: false }).externalId).toBeNull();
  });
});

describe('building and diffing SCIM users', () => {
  const current = {
    schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    id: 'u1',
    externalId: 'person-1',
    userName: 'ADA@example.com',
    displayName: 'Ada Lovelace',
    nickName: 'Ada',
    active: true,
    emails: [
      { value: 'ada@example.com', type: 'work', primary: true },
      { value: 'ada@home.example', type: 'home' },
    ],
    [ENTERPRISE_USER_SCHEMA]: { department: 'Engineering', organization: 'Set by the target admin' },
    meta: { version: 'W/"3"' },
    groups: [{ value: 'g1' }],
  };

  it('builds a new user with schemas, externalId, a primary work e-mail and the enterprise extension', () => {
    const desired = desiredUser(
      input({
        'name.givenName': 'Ada',
        department: 'Research',
        manager: 'u0',
        'phoneNumbers[type eq "mobile"].value': '+1 555',
      }),
      options,
    );
    expect(applyDesired(null, desired)).toEqual({
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      userName: 'ada@example.com',
      externalId: 'person-1',
      displayName: 'Ada Lovelace',
      active: true,
      emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
      name: { givenName: 'Ada' },
      phoneNumbers: [{ type: 'mobile', value: '+1 555' }],
      [ENTERPRISE_USER_SCHEMA]: { department: 'Research', manager: { value: 'u0' } },
    });
  });

  it('keeps what Junction does not manage, and sends only the differences as PATCH operations', () => {
    const desired = desiredUser(
      input({ department: 'Research', title: 'Countess', nickName: null }, { email: 'ada@new.example' }),
      options,
    );
    const wanted = applyDesired(current, desired);
    expect(wanted.emails).toEqual([
      { value: 'ada@new.example', type: 'work', primary: true },
      { value: 'ada@home.example', type: 'home' },
    ]);
    expect(wanted[ENTERPRISE_USER_SCHEMA]).toEqual({
      department: 'Research',
      organization: 'Set by the target admin',
    });
    expect(wanted.meta).toBeUndefined();
    expect(wanted.groups).toBeUndefined();
    expect(patchOperations(current, wanted, desired)).toEqual([
      { op: 'replace', path: 'emails', value: wanted.emails },
      { op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:department`, value: 'Research' },
      { op: 'replace', path: 'title', value: 'Countess' },
      { op: 'remove', path: 'nickName' },
    ]);
  });

  it('sends nothing when the user already is as wanted (userName and e-mails compared without case)', () => {
    const desired = desiredUser(
      input({ department: 'Engineering', nickName: 'Ada' }, { email: 'ADA@example.com' }),
      options,
    );
    expect(patchOperations(current, applyDesired(current, desired), desired)).toEqual([]);
  });

  it('reads a user back under the names a mapping writes', () => {
    const user = scimUserSchema.parse({
      ...current,
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      phoneNumbers: [{ value: '+1 555', type: 'mobile' }],
      active: 'False',
      [ENTERPRISE_USER_SCHEMA]: {
        ...current[ENTERPRISE_USER_SCHEMA],
        manager: { value: 'u0', displayName: 'Boss' },
      },
    });
    expect(toTargetAccount(user)).toEqual({
      externalId: 'u1',
      userName: 'ADA@example.com',
      email: 'ada@example.com',
      active: false,
      groups: ['g1'],
      attributes: {
        externalId: 'person-1',
        displayName: 'Ada Lovelace',
        nickName: 'Ada',
        'name.givenName': 'Ada',
        'name.familyName': 'Lovelace',
        'emails[type eq "work"].value': 'ada@example.com',
        'emails[type eq "home"].value': 'ada@home.example',
        'phoneNumbers[type eq "mobile"].value': '+1 555',
        department: 'Engineering',
        organization: 'Set by the target admin',
        manager: 'u0',
      },
    });
  });
});
