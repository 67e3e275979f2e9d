import { parse as parseFilter, type Filter } from 'scim2-parse-filter';
import { readBoolean } from './lenient.js';
import { scimErrors } from './scim-error.js';

/** How one SCIM attribute path reads in SQL. */
export interface FilterColumn {
  sql: string;
  type: 'string' | 'boolean' | 'dateTime';
  /** RFC 7643 §2.2: compare exactly; otherwise case-insensitively. */
  caseExact?: boolean;
  /** For membership-style attributes (`members.value`): the SQL is a template with `$VALUE` for the parameter. */
  exists?: boolean;
}

export type ColumnResolver = (attrPath: string) => FilterColumn | undefined;

export function parseScimFilter(text: string): Filter {
  if (text.length > 4000) throw scimErrors.invalidFilter('The filter is too long');
  try {
    return parseFilter(text);
  } catch {
    throw scimErrors.invalidFilter(`Cannot parse the filter: ${text.slice(0, 200)}`);
  }
}

/**
 * RFC 7644 §3.4.2.2 filters as a parameterised SQL condition. Attributes Junction does not store are refused with
 * `invalidFilter` rather than silently matching nothing.
 */
export function filterToSql(filter: Filter, resolve: ColumnResolver, params: unknown[], prefix = ''): string {
  switch (filter.op) {
    case 'and':
    case 'or': {
      const parts = (filter as { filters: Filter[] }).filters.map((f) =>
        filterToSql(f, resolve, params, prefix),
      );
      return `(${parts.join(filter.op === 'and' ? ' AND ' : ' OR ')})`;
    }
    case 'not':
      return `(NOT ${filterToSql((filter as { filter: Filter }).filter, resolve, params, prefix)})`;
    case '[]': {
      const vp = filter as { attrPath: string; valFilter: Filter };
      return filterToSql(vp.valFilter, resolve, params, `${prefix}${vp.attrPath}.`);
    }
    default:
      return comparison(
        filter as { op: string; attrPath: string; compValue?: unknown },
        resolve,
        params,
        prefix,
      );
  }
}

function comparison(
  filter: { op: string; attrPath: string; compValue?: unknown },
  resolve: ColumnResolver,
  params: unknown[],
  prefix: string,
): string {
  const path = `${prefix}${filter.attrPath}`;
  const column = resolve(path);
  if (!column) throw scimErrors.invalidFilter(`Filtering on ${path} is not supported`);
  const bind = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (column.exists) {
    if (filter.op === 'pr')
      return `(${column.sql.replace('$VALUE', 'NULL').replace(/= NULL/, 'IS NOT NULL')})`;
    if (filter.op !== 'eq') throw scimErrors.invalidFilter(`${path} supports eq and pr only`);
    return `(${column.sql.replace('$VALUE', bind(String(filter.compValue)))})`;
  }
  const col = column.sql;
  if (filter.op === 'pr')
    return column.type === 'string' ? `(${col} IS NOT NULL AND ${col} <> '')` : `(${col} IS NOT NULL)`;
  const raw = filter.compValue;
  if (raw === null) {
    if (filter.op === 'eq') return `(${col} IS NULL)`;
    if (filter.op === 'ne') return `(${col} IS NOT NULL)`;
    throw scimErrors.invalidFilter(`${filter.op} null is meaningless`);
  }
  if (column.type === 'boolean') {
    const value = readBoolean(raw, path);
    if (filter.op === 'eq') return `(${col} = ${bind(value)}::boolean)`;
    if (filter.op === 'ne') return `(${col} <> ${bind(value)}::boolean)`;
    throw scimErrors.invalidFilter(`${path} is a boolean: use eq or ne`);
  }
  if (column.type === 'dateTime') {
    const text = String(raw);
    const time = Date.parse(text);
    if (!Number.isFinite(time) || time < 0 || time > Date.UTC(9999, 11, 31)) {
      throw scimErrors.invalidFilter(`${path} needs a dateTime between 1970 and 9999`);
    }
    const ops: Record<string, string> = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' };
    const sqlOp = ops[filter.op];
    if (!sqlOp) throw scimErrors.invalidFilter(`${filter.op} does not apply to ${path}`);
    return `(${col} ${sqlOp} ${bind(new Date(text).toISOString())}::timestamptz)`;
  }
  const text = String(raw);
  const exact = column.caseExact === true;
  const lhs = exact ? col : `lower(${col})`;
  const value = exact ? text : text.toLowerCase();
  const like = (pattern: string): string => `(${lhs} LIKE ${bind(pattern)} ESCAPE '\\')`;
  const escaped = value.replace(/[\\%_]/g, (c) => `\\${c}`);
  switch (filter.op) {
    case 'eq':
      return `(${lhs} = ${bind(value)})`;
    case 'ne':
      return `(${col} IS NULL OR ${lhs} <> ${bind(value)})`;
    case 'co':
      return like(`%${escaped}%`);
    case 'sw':
      return like(`${escaped}%`);
    case 'ew':
      return like(`%${escaped}`);
    case 'gt':
      return `(${lhs} > ${bind(value)})`;
    case 'ge':
      return `(${lhs} >= ${bind(value)})`;
    case 'lt':
      return `(${lhs} < ${bind(value)})`;
    case 'le':
      return `(${lhs} <= ${bind(value)})`;
    default:
      throw scimErrors.invalidFilter(`Unknown operator ${filter.op}`);
  }
}
