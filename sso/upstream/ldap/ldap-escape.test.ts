import { escapeDnValue, escapeFilterValue } from './ldap-escape.js';

describe('LDAP escaping', () => {
  it('escapes filter metacharacters (RFC 4515 §3), so a login cannot widen the search', () => {
    expect(escapeFilterValue('*)(uid=*')).toBe('\\2a\\29\\28uid=\\2a');
    expect(escapeFilterValue('a\\b')).toBe('a\\5cb');
    expect(escapeFilterValue('nul\0')).toBe('nul\\00');
    expect(escapeFilterValue('alice@example.com')).toBe('alice@example.com');
    expect(escapeFilterValue('jürgen*')).toBe('jürgen\\2a');
  });

  it('escapes DN specials (RFC 4514 §2.4), so a login cannot name another entry', () => {
    expect(escapeDnValue('a,ou=admins')).toBe('a\\,ou\\=admins');
    expect(escapeDnValue(' #x ')).toBe('\\ #x\\ ');
    expect(escapeDnValue('#root')).toBe('\\#root');
    expect(escapeDnValue('plain')).toBe('plain');
  });
});
