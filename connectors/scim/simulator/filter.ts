import { parse, type Filter } from 'scim2-parse-filter';
import {
  findByName,
  resolveAttribute,
  type AttributeDefinition,
  type ResourceKind,
} from './attribute-schema.js';
import { badRequest } from './protocol-error.js';
import { isObject } from './resource-validation.js';

/** A compiled filter: tests one rendered resource (or, inside a value path, one value of a multi-valued attribute). */
export type ResourcePredicate = (resource: Record<string, unknown>) => boolean;

/** Parses an RFC 7644 §3.4.2.2 filter; a syntax error is a 400 `invalidFilter`. */
export function parseFilter(text: string): Filter {
  try {
    return parse(text);
  } catch (error) {
    throw badRequest('invalidFilter', `the filter "${text}" is not valid (${(error as Error).message})`);
  }
}

/**
 * Compiles a filter against a resource kind. Attribute names are resolved case-insensitively (RFC 7644 §3.10);
 * string comparisons follow each attribute's `caseExact` (RFC 7643 §2.2); a multi-valued attribute matches when
 * any of its values does, and a complex multi-valued attribute named without a sub-attribute compares its "value"
 * (RFC 7644 §3.4.2.2, the `emails` example). Unknown attributes and operators that do not fit the type are 400
 * `invalidFilter`.
 */
export function compileFilter(kind: ResourceKind, filter: Filter): ResourcePredicate {
  return compile(filter, { kind, parent: null });
}

/** Compiles the filter of a value path (`emails[type eq "work"]`) against one value of `parent`. */
export function compileValueFilter(
  kind: ResourceKind,
  parent: AttributeDefinition,
  filter: Filter,
): ResourcePredicate {
  return compile(filter, { kind, parent });
}

interface Scope {
  kind: ResourceKind;
  /** Inside a value path `emails[...]`: the multi-valued attribute whose values are tested. */
  parent: AttributeDefinition | null;
}

interface Target {
  read: (resource: Record<string, unknown>) => unknown[];
  definition: AttributeDefinition;
}

function compile(filter: Filter, scope: Scope): ResourcePredicate {
  switch (filter.op) {
    case 'and': {
      const parts = filter.filters.map((inner) => compile(inner, scope));
      return (resource) => parts.every((part) => part(resource));
    }
    case 'or': {
      const parts = filter.filters.map((inner) => compile(inner, scope));
      return (resource) => parts.some((part) => part(resource));
    }
    case 'not': {
      const inner = compile(filter.filter, scope);
      return (resource) => !inner(resource);
    }
    case '[]': {
      const target = resolveTarget(filter.attrPath, scope, false);
      if (target.definition.type !== 'complex') {
        throw badRequest(
          'invalidFilter',
          `${filter.attrPath} is not a complex attribute; it has no value filter`,
        );
      }
      const inner = compile(filter.valFilter, { kind: scope.kind, parent: target.definition });
      return (resource) => target.read(resource).some((value) => isObject(value) && inner(value));
    }
    case 'pr': {
      const target = resolveTarget(filter.attrPath, scope);
      return (resource) => target.read(resource).some((value) => value !== '' && value !== null);
    }
    default: {
      const target = resolveTarget(filter.attrPath, scope);
      const test = comparison(filter.op, filter.compValue, target.definition, filter.attrPath);
      return (resource) => {
        const values = target.read(resource);
        // `ne` is true when no value equals, including when the attribute is unassigned.
        if (filter.op === 'ne') return values.every((value) => test(value));
        return values.some((value) => test(value));
      };
    }
  }
}

function resolveTarget(path: string, scope: Scope, implicitSubValue = true): Target {
  if (scope.parent) {
    const sub = findByName(scope.parent.subAttributes ?? [], path);
    if (!sub) throw badRequest('invalidFilter', `"${path}" is not a sub-attribute of ${scope.parent.name}`);
    return { definition: sub, read: (value) => assigned(value[sub.name]) };
  }
  const resolved = resolveAttribute(scope.kind, path);
  if (!resolved) throw badRequest('invalidFilter', `"${path}" is not an attribute of ${scope.kind.name}`);
  const { extension, attribute, sub } = resolved;
  const container = (resource: Record<string, unknown>): Record<string, unknown> | null => {
    if (!extension) return resource;
    const inner = resource[extension.id];
    return isObject(inner) ? inner : null;
  };
  const implicitValue =
    implicitSubValue && !sub && attribute.multiValued && attribute.type === 'complex'
      ? findByName(attribute.subAttributes ?? [], 'value')
      : undefined;
  const subDefinition = sub ?? implicitValue ?? null;
  return {
    definition: subDefinition ?? attribute,
    read: (resource) => {
      const holder = container(resource);
      if (!holder) return [];
      const values = assigned(holder[attribute.name]);
      if (!subDefinition) return values;
      return values.flatMap((value) => (isObject(value) ? assigned(value[subDefinition.name]) : []));
    },
  };
}

function assigned(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'lt' | 'ge' | 'le';

function comparison(
  op: CompareOp,
  compValue: boolean | null | number | string,
  definition: AttributeDefinition,
  path: string,
): (value: unknown) => boolean {
  const isString = ['string', 'reference', 'dateTime'].includes(definition.type);
  if (['co', 'sw', 'ew'].includes(op) && !isString) {
    // RFC 7644 §3.4.2.2: co, sw and ew apply to string values only.
    throw badRequest('invalidFilter', `"${op}" does not apply to ${path} (${definition.type})`);
  }
  if (
    ['gt', 'lt', 'ge', 'le'].includes(op) &&
    (definition.type === 'boolean' || definition.type === 'complex')
  ) {
    // RFC 7644 §3.4.2.2: ordering operators on a boolean or complex attribute are 400 invalidFilter.
    throw badRequest('invalidFilter', `"${op}" does not apply to ${path} (${definition.type})`);
  }
  if (compValue === null) {
    return op === 'eq' ? () => false : () => true;
  }
  const fold = (value: unknown): unknown =>
    typeof value === 'string' && !definition.caseExact ? value.toLowerCase() : value;
  const wanted =
    definition.type === 'dateTime' && typeof compValue === 'string' ? Date.parse(compValue) : fold(compValue);
  const key = (value: unknown): unknown =>
    definition.type === 'dateTime' && typeof value === 'string' ? Date.parse(value) : fold(value);
  switch (op) {
    case 'eq':
      return (value) => key(value) === wanted;
    case 'ne':
      return (value) => key(value) !== wanted;
    case 'co':
      return (value) => typeof value === 'string' && String(fold(value)).includes(String(wanted));
    case 'sw':
      return (value) => typeof value === 'string' && String(fold(value)).startsWith(String(wanted));
    case 'ew':
      return (value) => typeof value === 'string' && String(fold(value)).endsWith(String(wanted));
    case 'gt':
      return (value) => ordered(key(value), wanted, (a, b) => a > b);
    case 'ge':
      return (value) => ordered(key(value), wanted, (a, b) => a >= b);
    case 'lt':
      return (value) => ordered(key(value), wanted, (a, b) => a < b);
    case 'le':
      return (value) => ordered(key(value), wanted, (a, b) => a <= b);
  }
}

function ordered(
  left: unknown,
  right: unknown,
  compare: (a: string | number, b: string | number) => boolean,
): boolean {
  if (typeof left === 'number' && typeof right === 'number') return compare(left, right);
  if (typeof left === 'string' && typeof right === 'string') return compare(left, right);
  return false;
}
