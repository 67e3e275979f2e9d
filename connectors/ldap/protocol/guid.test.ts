import { guidFromBytes, guidToBytes } from './guid.js';

describe('AD objectGUID ([MS-DTYP] §2.3.4.2 layout)', () => {
  // The same GUID as .NET's Guid.ToByteArray() writes it.
  const bytes = Buffer.from('c98b91356d19ea409779889d79b753f0', 'hex');
  const text = '35918bc9-196d-40ea-9779-889d79b753f0';

  it('reads the first three fields little-endian', () => {
    expect(guidFromBytes(bytes)).toBe(text);
  });

  it('writes them back for a filter', () => {
    expect(guidToBytes(text).equals(bytes)).toBe(true);
    expect(guidToBytes(text.toUpperCase()).equals(bytes)).toBe(true);
  });

  it('refuses what is not a GUID', () => {
    expect(() => guidFromBytes(Buffer.alloc(15))).toThrow(/16 bytes/);
    expect(() => guidToBytes('nope')).toThrow(/not a GUID/);
  });
});
