import { z } from 'zod';

/**
 * Marks a config field as secret: the vault seals it, the console shows it write-only, logs redact it. The mark is
 * zod metadata, so it also reaches the JSON Schema the console renders (`writeOnly: true`).
 */
export function secret<T extends z.ZodType>(schema: T): T {
  return schema.meta({ secret: true, writeOnly: true }) as T;
}

export function isSecretField(schema: z.ZodType): boolean {
  let current: z.ZodType | undefined = schema;
  // Optional / default wrappers keep the mark on the inner schema.
  while (current) {
    if (current.meta()?.secret === true) return true;
    const inner: unknown = (current as { unwrap?: () => unknown }).unwrap?.();
    current = inner instanceof z.ZodType ? inner : undefined;
  }
  return false;
}

/** Names of the secret fields of a connector's config schema. */
export function secretFieldNames(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => isSecretField(field as z.ZodType))
    .map(([name]) => name);
}

/** Splits a parsed config into the part stored as JSON and the part sealed by the vault. */
export function splitSecrets(
  schema: z.ZodObject,
  config: Record<string, unknown>,
): { plain: Record<string, unknown>; secrets: Record<string, unknown> } {
  const names = new Set(secretFieldNames(schema));
  const plain: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) (names.has(key) ? secrets : plain)[key] = value;
  return { plain, secrets };
}
