/**
 * Builds ExecuteBillQuery FilterStrings: SQL WHERE fragments over field keys (API文档 › 单据查询 › FilterString,
 * "过滤条件"). Values are always quoted literals with quotes doubled, as T-SQL escapes them; numbers are validated
 * integers, so nothing from a record can change the shape of the condition.
 */

export function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function equals(field: string, value: string): string {
  return `${field} = ${quote(value)}`;
}

export function greaterThan(field: string, value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer: ${value}`);
  return `${field} > ${value}`;
}

/** Joins conditions with `and`, skipping empty ones; each is parenthesised so an `or` inside stays inside. */
export function and(...conditions: (string | undefined)[]): string {
  const parts = conditions.filter((c): c is string => c !== undefined && c.trim() !== '');
  return parts.length === 1 ? (parts[0] ?? '') : parts.map((c) => `(${c})`).join(' and ');
}
