import {
  and,
  assertAttributeName,
  assertFilter,
  eq,
  escapeFilterValue,
  gte,
  not,
  or,
  present,
} from './filter.js';

describe('escapeFilterValue (RFC 4515 §3)', () => {
  it.each([
    ['plain', 'ada', 'ada'],
    ['asterisk', 'a*b', 'a\\2ab'],
    ['parentheses', 'Smith (Ops)', 'Smith \\28Ops\\29'],
    ['backslash', 'DOMAIN\\user', 'DOMAIN\\5cuser'],
    ['NUL', 'a\0', 'a\\00'],
    ['injection attempt', '*)(uid=*', '\\2a\\29\\28uid=\\2a'],
    ['non-ASCII kept', 'José', 'José'],
  ])('%s', (_, value, escaped) => {
    expect(escapeFilterValue(value)).toBe(escaped);
  });

  it('writes binary values byte by byte', () => {
    expect(escapeFilterValue(Buffer.from([0xc9, 0x8b, 0x00, 0x2a]))).toBe('\\c9\\8b\\00\\2a');
  });
});

describe('filter builders', () => {
  it('compose escaped components', () => {
    expect(
      and(
        eq('objectClass', 'inetOrgPerson'),
        or(eq('uid', 'a*'), eq('mail', 'a@x')),
        not(present('pwdAccountLockedTime')),
      ),
    ).toBe('(&(objectClass=inetOrgPerson)(|(uid=a\\2a)(mail=a@x))(!(pwdAccountLockedTime=*)))');
    expect(gte('modifyTimestamp', '20260101000000Z')).toBe('(modifyTimestamp>=20260101000000Z)');
    expect(and('(a=b)')).toBe('(a=b)');
  });

  it('refuse attribute names that would break the filter', () => {
    expect(assertAttributeName('employeeNumber')).toBe('employeeNumber');
    expect(assertAttributeName('2.5.4.3')).toBe('2.5.4.3');
    expect(assertAttributeName('userCertificate;binary')).toBe('userCertificate;binary');
    expect(() => eq('uid)(cn=*', 'x')).toThrow(/not an LDAP attribute name/);
  });

  it('check configured filters', () => {
    expect(assertFilter('(&(objectClass=person)(!(cn=a\\29)))')).toBeTruthy();
    expect(() => assertFilter('(a=b)(c=d)')).toThrow(/not one LDAP filter/);
    expect(() => assertFilter('(a=b')).toThrow(/not an LDAP filter/);
    expect(() => assertFilter('a=b')).toThrow(/not an LDAP filter/);
  });
});
