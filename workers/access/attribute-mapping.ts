import { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import type { PersonView } from './person-view.js';
import { compileExpression, type CompiledExpression } from './sandboxed-expression.js';

/**
 * A connection's attribute mapping: target attribute → where its value comes from. A bare string is a source field
 * path (`email`, `department.name`, `attributes.badge`); `{ constant }` is a fixed value; `{ expression }` is a
 * JSONata expression evaluated over the person view (sandboxed, see sandboxed-expression.ts).
 */
const fieldPath = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)*$/, 'must be a field path like department.name');
const mappingRule = z.union([
  fieldPath,
  z.strictObject({ source: fieldPath }),
  z.strictObject({ constant: z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]) }),
  z.strictObject({ expression: z.string().min(1).max(4000) }),
]);
// Target attribute names are the vendor's (`extattr.工号`, `phoneNumbers[type eq "work"].value`): any short text.
export const mappingsSchema = z.record(z.string().min(1).max(200), mappingRule);
export type MappingRule = z.infer<typeof mappingRule>;
export type Mappings = z.infer<typeof mappingsSchema>;

/** Keys that set an account's top-level fields rather than an entry of `attributes`. */
export const ACCOUNT_FIELDS = ['userName', 'email', 'displayName'] as const;

type CompiledRule = (person: PersonView) => Promise<unknown>;

export interface CompiledMappings {
  keys: string[];
  /** Evaluates every rule; per-attribute failures are collected, not thrown, so a preview shows them all. */
  apply(person: PersonView): Promise<{ values: Record<string, unknown>; errors: Record<string, string> }>;
}

export function compileMappings(input: unknown): CompiledMappings {
  const parsed = mappingsSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new ValidationError(`mappings: ${z.prettifyError(parsed.error)}`);
  }
  const rules = new Map<string, CompiledRule>();
  for (const [key, rule] of Object.entries(parsed.data)) rules.set(key, compileRule(key, rule));
  return {
    keys: [...rules.keys()],
    async apply(person) {
      const values: Record<string, unknown> = {};
      const errors: Record<string, string> = {};
      for (const [key, rule] of rules) {
        try {
          values[key] = normalise(await rule(person));
        } catch (error) {
          errors[key] = error instanceof ValidationError ? error.publicMessage : String(error);
        }
      }
      return { values, errors };
    },
  };
}

function compileRule(key: string, rule: MappingRule): CompiledRule {
  if (typeof rule === 'string') return (person) => Promise.resolve(readPath(person, rule));
  if ('source' in rule) return (person) => Promise.resolve(readPath(person, rule.source));
  if ('constant' in rule) return () => Promise.resolve(rule.constant);
  const expression: CompiledExpression = compileExpression(rule.expression, `mapping for ${key}`);
  return (person) => expression.evaluate(person);
}

export function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (current === null || current === undefined || typeof current !== 'object') return null;
    current = (current as Record<string, unknown>)[part];
  }
  return current ?? null;
}

/** JSONata returns undefined for "no match" and special array wrappers; store plain JSON. */
function normalise(value: unknown): unknown {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as unknown;
}
