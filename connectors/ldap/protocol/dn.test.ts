import { escapeDnValue, formatDn, isBelow, normalizeDn, parentDn, parseDn, rdnString, sameDn } from './dn.js';

describe('escapeDnValue (RFC 4514 §2.4)', () => {
  it.each([
    ['plain', 'Ada Lovelace', 'Ada Lovelace'],
    ['comma', 'Smith, John', 'Smith\\, John'],
    ['plus and semicolon', 'R+D; Ops', 'R\\+D\\; Ops'],
    ['quotes and angle brackets', '"Big" <Co>', '\\"Big\\" \\<Co\\>'],
    ['backslash, as a hexpair', 'a\\b', 'a\\5cb'],
    ['leading hash', '#1 team', '\\#1 team'],
    ['inner hash', 'team #1', 'team #1'],
    ['leading and trailing space', ' padded ', '\\ padded\\ '],
    ['NUL', 'a\0b', 'a\\00b'],
    ['equals needs no escape', 'a=b', 'a=b'],
    ['non-ASCII kept as UTF-8', 'José Núñez', 'José Núñez'],
  ])('%s', (_, value, escaped) => {
    expect(escapeDnValue(value)).toBe(escaped);
  });

  it('round-trips every escaped value through the parser', () => {
    for (const value of ['Smith, John', ' x ', '#x', 'a\\b+c;d"e<f>g', 'a\0b', '王小明', '=']) {
      const [[ava]] = parseDn(rdnString('cn', value)) as [[{ type: string; value: string }]];
      expect(ava.value).toBe(value);
    }
  });
});

describe('parseDn (RFC 4514 §3)', () => {
  it('splits RDNs on unescaped commas only, and multi-valued RDNs on +', () => {
    expect(parseDn('cn=Smith\\, John+uid=js,ou=R\\2cD,dc=example,dc=org')).toEqual([
      [
        { type: 'cn', value: 'Smith, John' },
        { type: 'uid', value: 'js' },
      ],
      [{ type: 'ou', value: 'R,D' }],
      [{ type: 'dc', value: 'example' }],
      [{ type: 'dc', value: 'org' }],
    ]);
  });

  it('decodes hex-escaped UTF-8 and keeps BER hexstrings verbatim', () => {
    expect(parseDn('cn=Jos\\C3\\A9,1.2.3=#04024869')).toEqual([
      [{ type: 'cn', value: 'José' }],
      [{ type: '1.2.3', value: '#04024869', ber: true }],
    ]);
  });

  it('ignores spaces around separators but keeps inner ones', () => {
    expect(parseDn(' cn = Ada  Lovelace , dc=org ')).toEqual([
      [{ type: 'cn', value: 'Ada  Lovelace' }],
      [{ type: 'dc', value: 'org' }],
    ]);
  });

  it.each(['cn', 'cn=a,', '=a', 'c n=a', 'cn=a\\'])('rejects %j', (dn) => {
    expect(() => parseDn(dn)).toThrow(/not a valid DN/);
  });

  it('formats what it parsed', () => {
    const dn = 'cn=Smith\\, John+uid=js,ou=\\#1,dc=org';
    expect(formatDn(parseDn(dn))).toBe(dn);
    expect(parentDn(dn)).toBe('ou=\\#1,dc=org');
    expect(parseDn('')).toEqual([]);
  });
});

describe('DN comparison', () => {
  it('compares case- and escape-insensitively', () => {
    expect(sameDn('CN=Smith\\2C John,OU=People,DC=Example', 'cn=smith\\, john,ou=people,dc=example')).toBe(
      true,
    );
    expect(normalizeDn('UID=a+CN=b,dc=x')).toBe('cn=b+uid=a,dc=x');
    expect(isBelow('uid=a,ou=People,dc=x', 'ou=people,dc=x')).toBe(true);
    expect(isBelow('ou=people,dc=x', 'ou=people,dc=x')).toBe(false);
    expect(isBelow('uid=a,ou=otherpeople,dc=x', 'ou=people,dc=x')).toBe(false);
  });
});
