/**
 * The subset of ExecuteBillQuery's `FilterString` the simulator understands. Kingdee documents the parameter only as
 * "过滤条件，字符串类型" (API文档 › ExecuteBillQuery › 请求参数 1.3); in practice it is a SQL WHERE fragment over field
 * keys (`FNumber = 'x'`, `FUseOrgId.FNumber = '100'`, `FForbidStatus = 'A' and FID > 10`, `FNumber in ('a','b')`).
 * We parse that fragment into a small tree and evaluate it against the simulator's rows, with SQL Server's defaults:
 * string comparison is case-insensitive (Chinese_PRC_CI_AS) and a comparison with NULL is false.
 */

export type FilterValue = string | number;
export type FieldValue = string | number | boolean | null;

export type FilterExpr =
  | { kind: 'and' | 'or'; items: FilterExpr[] }
  | { kind: 'not'; item: FilterExpr }
  | { kind: 'compare'; field: string; op: '=' | '<>' | '>' | '>=' | '<' | '<='; value: FilterValue }
  | { kind: 'in'; field: string; values: FilterValue[]; negate: boolean }
  | { kind: 'like'; field: string; pattern: RegExp; negate: boolean }
  | { kind: 'null'; field: string; negate: boolean };

export class FilterSyntaxError extends Error {}

type Token =
  | { type: 'ident'; text: string }
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'op'; text: string }
  | { type: 'punct'; text: '(' | ')' | ',' };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === "'" || ((ch === 'N' || ch === 'n') && source[i + 1] === "'")) {
      // T-SQL string literal, optionally N'…' (unicode); a doubled quote is an escaped quote.
      i += ch === "'" ? 1 : 2;
      let value = '';
      for (;;) {
        if (i >= source.length) throw new FilterSyntaxError('unterminated string literal');
        if (source[i] === "'") {
          if (source[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        value += source[i];
        i += 1;
      }
      tokens.push({ type: 'string', value });
    } else if (/[0-9]/.test(ch) || (ch === '-' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const text = /^-?\d+(\.\d+)?/.exec(source.slice(i))?.[0] ?? ch;
      tokens.push({ type: 'number', value: Number(text) });
      i += text.length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const text = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(source.slice(i))?.[0] ?? ch;
      tokens.push({ type: 'ident', text });
      i += text.length;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ type: 'punct', text: ch });
      i += 1;
    } else {
      const two = source.slice(i, i + 2);
      if (two === '<>' || two === '!=' || two === '>=' || two === '<=') {
        tokens.push({ type: 'op', text: two === '!=' ? '<>' : two });
        i += 2;
      } else if (ch === '=' || ch === '<' || ch === '>') {
        tokens.push({ type: 'op', text: ch });
        i += 1;
      } else {
        throw new FilterSyntaxError(`unexpected character '${ch}' at ${i}`);
      }
    }
  }
  return tokens;
}

class Parser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): FilterExpr {
    const expr = this.parseOr();
    if (this.position < this.tokens.length) throw new FilterSyntaxError('unexpected trailing input');
    return expr;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private isKeyword(word: string, offset = 0): boolean {
    const token = this.tokens[this.position + offset];
    return token?.type === 'ident' && token.text.toLowerCase() === word;
  }

  private next(): Token {
    const token = this.tokens[this.position];
    if (!token) throw new FilterSyntaxError('unexpected end of filter');
    this.position += 1;
    return token;
  }

  private expectPunct(text: '(' | ')' | ','): void {
    const token = this.next();
    if (token.type !== 'punct' || token.text !== text) throw new FilterSyntaxError(`expected '${text}'`);
  }

  private parseOr(): FilterExpr {
    const items = [this.parseAnd()];
    while (this.isKeyword('or')) {
      this.position += 1;
      items.push(this.parseAnd());
    }
    const [first] = items;
    return items.length === 1 && first ? first : { kind: 'or', items };
  }

  private parseAnd(): FilterExpr {
    const items = [this.parseUnary()];
    while (this.isKeyword('and')) {
      this.position += 1;
      items.push(this.parseUnary());
    }
    const [first] = items;
    return items.length === 1 && first ? first : { kind: 'and', items };
  }

  private parseUnary(): FilterExpr {
    if (this.isKeyword('not')) {
      this.position += 1;
      return { kind: 'not', item: this.parseUnary() };
    }
    const token = this.peek();
    if (token?.type === 'punct' && token.text === '(') {
      this.position += 1;
      const inner = this.parseOr();
      this.expectPunct(')');
      return inner;
    }
    return this.parsePredicate();
  }

  private parseValue(): FilterValue {
    const token = this.next();
    if (token.type === 'string' || token.type === 'number') return token.value;
    throw new FilterSyntaxError('expected a literal value');
  }

  private parsePredicate(): FilterExpr {
    const fieldToken = this.next();
    if (fieldToken.type !== 'ident') throw new FilterSyntaxError('expected a field key');
    const field = fieldToken.text;
    if (this.isKeyword('is')) {
      this.position += 1;
      const negate = this.isKeyword('not');
      if (negate) this.position += 1;
      if (!this.isKeyword('null')) throw new FilterSyntaxError('expected NULL');
      this.position += 1;
      return { kind: 'null', field, negate };
    }
    const negate = this.isKeyword('not') && (this.isKeyword('in', 1) || this.isKeyword('like', 1));
    if (negate) this.position += 1;
    if (this.isKeyword('in')) {
      this.position += 1;
      this.expectPunct('(');
      const values = [this.parseValue()];
      while (this.peek()?.type === 'punct' && (this.peek() as { text: string }).text === ',') {
        this.position += 1;
        values.push(this.parseValue());
      }
      this.expectPunct(')');
      return { kind: 'in', field, values, negate };
    }
    if (this.isKeyword('like')) {
      this.position += 1;
      const value = this.parseValue();
      return { kind: 'like', field, pattern: likePattern(String(value)), negate };
    }
    const op = this.next();
    if (op.type !== 'op') throw new FilterSyntaxError(`expected an operator after ${field}`);
    return { kind: 'compare', field, op: op.text as '=', value: this.parseValue() };
  }
}

function likePattern(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'is');
}

/** Parses a FilterString; an empty or blank string means "no filter" (null). */
export function parseFilterString(source: string): FilterExpr | null {
  if (source.trim() === '') return null;
  return new Parser(tokenize(source)).parse();
}

/** SQL-style comparison: numbers numerically, strings case-insensitively; null never compares. */
function compareValues(left: FieldValue, right: FilterValue): number | null {
  if (left === null) return null;
  if (typeof right === 'number' || typeof left === 'number') {
    const l = typeof left === 'boolean' ? Number(left) : Number(left);
    const r = Number(right);
    if (Number.isNaN(l) || Number.isNaN(r)) return null;
    return l === r ? 0 : l < r ? -1 : 1;
  }
  const l = String(left).toLowerCase();
  const r = right.toLowerCase();
  return l === r ? 0 : l < r ? -1 : 1;
}

export type FieldReader = (field: string) => FieldValue;

/** Evaluates a parsed filter against one row; `read` throws for unknown field keys. */
export function evaluateFilter(expr: FilterExpr, read: FieldReader): boolean {
  switch (expr.kind) {
    case 'and':
      return expr.items.every((item) => evaluateFilter(item, read));
    case 'or':
      return expr.items.some((item) => evaluateFilter(item, read));
    case 'not':
      return !evaluateFilter(expr.item, read);
    case 'null': {
      const isNull = read(expr.field) === null || read(expr.field) === '';
      return expr.negate ? !isNull : isNull;
    }
    case 'in': {
      const value = read(expr.field);
      if (value === null) return false;
      const found = expr.values.some((candidate) => compareValues(value, candidate) === 0);
      return expr.negate ? !found : found;
    }
    case 'like': {
      const value = read(expr.field);
      if (value === null) return false;
      const matched = expr.pattern.test(String(value));
      return expr.negate ? !matched : matched;
    }
    case 'compare': {
      const order = compareValues(read(expr.field), expr.value);
      if (order === null) return false;
      switch (expr.op) {
        case '=':
          return order === 0;
        case '<>':
          return order !== 0;
        case '>':
          return order > 0;
        case '>=':
          return order >= 0;
        case '<':
          return order < 0;
        case '<=':
          return order <= 0;
      }
    }
  }
}

/** Field keys a filter mentions, so the simulator can reject unknown keys before scanning. */
export function filterFields(expr: FilterExpr | null): string[] {
  if (!expr) return [];
  switch (expr.kind) {
    case 'and':
    case 'or':
      return expr.items.flatMap(filterFields);
    case 'not':
      return filterFields(expr.item);
    default:
      return [expr.field];
  }
}
