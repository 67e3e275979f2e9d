import type { z } from 'zod';
import { problems, validationProblem, type FieldError } from './problem.js';

/** Parses one part of a request; a failure names every bad field with a pointer the client can act on. */
export function parseRequestPart<S extends z.ZodType>(
  schema: S,
  value: unknown,
  part: 'body' | 'query' | 'params',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // A malformed id in the path names no object: that is "not found", not a validation error.
  if (part === 'params') throw problems.notFound('Resource');
  const errors: FieldError[] = result.error.issues.slice(0, 50).map((issue) => ({
    pointer: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
    code: issue.code,
  }));
  const first = errors[0];
  throw validationProblem(
    first ? `Invalid request: ${first.pointer}: ${first.message}` : 'Invalid request',
    errors,
  );
}
