import { evaluateFilter, FilterSyntaxError, parseFilterString, type FieldValue } from './filter-parser.js';

const row: Record<string, FieldValue> = {
  fid: 100_123,
  fstaffnumber: 'E000123',
  fname: "O'Brien 张三",
  fforbidstatus: 'A',
  'fuseorgid.fnumber': '100',
  femail: null,
};

function matches(filter: string): boolean {
  const expr = parseFilterString(filter);
  if (!expr) return true;
  return evaluateFilter(expr, (field) => {
    const key = field.toLowerCase();
    if (!(key in row)) throw new Error(`unknown field ${field}`);
    return row[key] ?? null;
  });
}

describe('FilterString subset', () => {
  it('compares strings case-insensitively, as SQL Server does', () => {
    expect(matches("FStaffNumber = 'e000123'")).toBe(true);
    expect(matches("FSTAFFNUMBER <> 'E000123'")).toBe(false);
    expect(matches("FStaffNumber != 'x'")).toBe(true);
  });

  it('compares numbers numerically and supports keyset bounds', () => {
    expect(matches('FID > 100122')).toBe(true);
    expect(matches('FID > 100123')).toBe(false);
    expect(matches('FID >= 100123 and FID <= 100123')).toBe(true);
    expect(matches('FID < 9')).toBe(false);
  });

  it('reads doubled quotes and N-prefixed literals', () => {
    expect(matches("FName = N'O''Brien 张三'")).toBe(true);
  });

  it('supports in, not in, like, is null and reference fields', () => {
    expect(matches("FStaffNumber in ('E000001', 'E000123')")).toBe(true);
    expect(matches("FStaffNumber not in ('E000123')")).toBe(false);
    expect(matches("FName like '%Brien%'")).toBe(true);
    expect(matches("FName not like 'X%'")).toBe(true);
    expect(matches('FEmail is null')).toBe(true);
    expect(matches('FEmail is not null')).toBe(false);
    expect(matches("FUseOrgId.FNumber = '100'")).toBe(true);
  });

  it('gives and precedence over or, and honours parentheses and not', () => {
    expect(matches("FForbidStatus = 'B' and FID > 0 or FStaffNumber = 'E000123'")).toBe(true);
    expect(matches("FForbidStatus = 'B' and (FID > 0 or FStaffNumber = 'E000123')")).toBe(false);
    expect(matches("not FForbidStatus = 'B'")).toBe(true);
  });

  it('treats a comparison with NULL as false', () => {
    expect(matches("FEmail = ''")).toBe(false);
    expect(matches("FEmail <> 'x'")).toBe(false);
  });

  it('reads an empty filter as no filter', () => {
    expect(parseFilterString('  ')).toBeNull();
  });

  it('rejects malformed filters with a syntax error', () => {
    for (const bad of [
      "FNumber = 'x",
      'FNumber =',
      'FNumber in (1,',
      "FNumber = 'x' and",
      'FNumber ~ 1',
      '(FID > 1',
    ]) {
      expect(() => parseFilterString(bad)).toThrow(FilterSyntaxError);
    }
  });
});
