import jsonata from 'jsonata';
import { ValidationError } from '../../core/errors.js';

/**
 * Admin-written expressions (attribute mappings, scope filters) run in JSONata, a maintained query language with
 * no access to the process, the file system or the network. Each evaluation is also boxed in time and depth, using
 * the entry/exit hooks JSONata calls on every step, so a runaway expression fails instead of stalling a sync.
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
    expression = jsonata(source);
  } catch (error) {
    throw new ValidationError(`${what}: ${describe(error)}`, { expression: source });
  }
  return {
    source,
    async evaluate(input: unknown): Promise<unknown> {
      let depth = 0;
      const started = Date.now();
      // Hooks documented in JSONata's own test suite ("timeboxExpression"): called around every evaluation step.
      expression.assign('__evaluate_entry', () => {
        depth += 1;
        if (depth > MAX_DEPTH) throw new ExpressionLimitError('expression nests too deeply');
        if (Date.now() - started > MAX_MS)
          throw new ExpressionLimitError(`expression ran longer than ${MAX_MS} ms`);
      });
      expression.assign('__evaluate_exit', () => {
        depth -= 1;
      });
      try {
        return await expression.evaluate(input);
      } catch (error) {
        throw new ValidationError(`${what}: ${describe(error)}`, { expression: source });
      }
    },
  };
}

class ExpressionLimitError extends Error {}

function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) {
    const e = error as { message: string; position?: number };
    return e.position === undefined ? e.message : `${e.message} (at ${e.position})`;
  }
  return String(error);
}
