/**
 * Reads a WebAPI request body. Kingdee clients send one of two shapes, and the server takes both: named keys as
 * the vendor's current SDKs post them (`{"formid":…,"data":{…}}`, `{"acctid":…,"username":…,…}`), or the classic
 * `{"format":1,"useragent":"ApiClient","rid":…,"parameters":[…],"timestamp":…,"v":"1.0"}` envelope with the same
 * values in positional order (the .NET client). `data` may be an object or a JSON string (the .NET client
 * serialises it, API文档 › 代码示例).
 */
export class RequestArgs {
  private readonly positional: unknown[] | undefined;
  private readonly named: Map<string, unknown>;

  constructor(body: unknown) {
    const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {};
    const parameters = (record as { parameters?: unknown }).parameters;
    this.positional = Array.isArray(parameters) ? parameters : undefined;
    this.named = new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
  }

  /** The argument at `index` of the positional form, or the first of `names` present in the named form. */
  get(index: number, ...names: string[]): unknown {
    if (this.positional) return this.positional[index];
    for (const name of names) {
      const value = this.named.get(name.toLowerCase());
      if (value !== undefined) return value;
    }
    return undefined;
  }

  string(index: number, ...names: string[]): string {
    const value = this.get(index, ...names);
    return value === undefined || value === null ? '' : String(value);
  }

  /** A JSON object argument (given as an object or as a JSON string); a string that is not JSON throws. */
  object(index: number, ...names: string[]): Record<string, unknown> {
    const value = this.get(index, ...names);
    if (value === undefined || value === null || value === '') return {};
    const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new SyntaxError('data must be a JSON object');
    }
    return parsed as Record<string, unknown>;
  }
}
