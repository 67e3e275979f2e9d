/**
 * Active Directory's objectGUID is 16 raw bytes in the Windows GUID layout: the first three fields little-endian,
 * the last two as-is ([MS-DTYP] §2.3.4.2). Its usual text form, and our external id, is the registry format
 * `35918bc9-196d-40ea-9779-889d79b753f0`.
 */

const GUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function guidFromBytes(bytes: Buffer): string {
  if (bytes.length !== 16) throw new Error(`objectGUID must be 16 bytes, got ${bytes.length}`);
  const hex = (from: number, to: number): string => bytes.subarray(from, to).toString('hex');
  const reversed = (from: number, to: number): string =>
    Buffer.from(bytes.subarray(from, to)).reverse().toString('hex');
  return `${reversed(0, 4)}-${reversed(4, 6)}-${reversed(6, 8)}-${hex(8, 10)}-${hex(10, 16)}`;
}

export function isGuidText(text: string): boolean {
  return GUID_TEXT.test(text);
}

export function guidToBytes(text: string): Buffer {
  if (!GUID_TEXT.test(text)) throw new Error(`not a GUID: ${JSON.stringify(text)}`);
  const hex = text.replace(/-/g, '');
  const part = (from: number, to: number, reverse: boolean): Buffer => {
    const buffer = Buffer.from(hex.slice(from, to), 'hex');
    return reverse ? buffer.reverse() : buffer;
  };
  return Buffer.concat([part(0, 8, true), part(8, 12, true), part(12, 16, true), part(16, 32, false)]);
}
