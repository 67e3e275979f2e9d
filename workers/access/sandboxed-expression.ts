import jsonata from 'jsonata';
import { ValidationError } from '../../core/errors.js';

/**
 * Admin-written expressions (attribute mappings, scope filters) run in JSONata, a maintained query language with
 * no access to the process, the file system or the network. Each evaluation is also boxed in time and stack depth
 * (JSONata's own guardrails, errors D1011/D1012), so a runaway expression fails instead of stalling a sync.
 */
const MAX_MS = 100;
const MAX_DEPTH = 200;
const MAX_SOURCE = 4_000;

export interface CompiledExpression {
  source: string;
  evaluate(input: unknown): Promise<unknown>;
}

export function compileExpression(source: string, what: string): CompiledExpression {
  if (source.length > MAX_SOURCE)
    throw new ValidationError(`${what}: expression longer than ${MAX_SOURCE} characters`);
  let expression: jsonata.Expression;
  try {
    expression = jsonata(source, { timeout: MAX_MS, stack: MAX_DEPTH });
  } catch (error) {
    throw new ValidationError(`${what}: ${describe(error)}`, { expression: source });
  }
  return {
    source,
    async evaluate(input: unknown): Promise<unknown> {
      try {
        return await expression.evaluate(input);
      } catch (error) {
        throw new ValidationError(`${what}: ${describe(error)}`, { expression: source });
      }
    },
  };
}

function describe(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  if (code === 'D1011') return 'expression nests too deeply';
  if (code === 'D1012') return `expression ran longer than ${MAX_MS} ms`;
  if (error && typeof error === 'object' && 'message' in error) {
    const e = error as { message: string; position?: number };
    return e.position === undefined ? e.message : `${e.message} (at ${e.position})`;
  }
  return String(error);
}
