import { formatLdifEntry } from './ldif.js';

describe('formatLdifEntry (RFC 2849)', () => {
  it('writes safe strings plainly and everything else in base64', () => {
    const text = formatLdifEntry({
      dn: 'uid=josé,dc=x',
      attributes: {
        objectClass: ['top', 'inetOrgPerson'],
        uid: 'josé',
        cn: ' leading space',
        description: ':colon first',
        sn: 'trailing ',
        title: undefined,
        objectGUID: Buffer.from([1, 2, 3]),
      },
    });
    expect(text).toBe(
      [
        `dn:: ${Buffer.from('uid=josé,dc=x').toString('base64')}`,
        'objectClass: top',
        'objectClass: inetOrgPerson',
        `uid:: ${Buffer.from('josé').toString('base64')}`,
        `cn:: ${Buffer.from(' leading space').toString('base64')}`,
        `description:: ${Buffer.from(':colon first').toString('base64')}`,
        `sn:: ${Buffer.from('trailing ').toString('base64')}`,
        'objectGUID:: AQID',
        '',
        '',
      ].join('\n'),
    );
  });
});
