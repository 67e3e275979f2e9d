import type { PersonView } from './person-view.js';
import { compileExpression } from './sandboxed-expression.js';

export type ScopeTest = (person: PersonView) => Promise<boolean>;

/**
 * A connection's scope filter: a JSONata boolean over the person view, e.g.
 * `department.code in ["ENG", "OPS"] and status != "inactive"`. No filter means everyone. A filter that fails
 * on a person leaves that person out of scope (never in by accident).
 */
export function compileScopeFilter(source: string | null | undefined): ScopeTest {
  if (!source || source.trim() === '') return () => Promise.resolve(true);
  const expression = compileExpression(source, 'scope filter');
  return async (person) => {
    try {
      return (await expression.evaluate(person)) === true;
    } catch {
      return false;
    }
  };
}
