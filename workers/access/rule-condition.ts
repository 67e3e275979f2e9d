import { z } from 'zod';

/**
 * The role-rule condition language: a structured tree stored as jsonb, never code. Admins (and the console)
 * build it from these nodes; `parseCondition` rejects anything else with a path to the bad node.
 */
export const RULE_ATTRIBUTES = [
  'employeeNumber',
  'email',
  'jobTitle',
  'rank',
  'grade',
  'costCenter',
  'division',
  'location',
  'status',
  'hireDate',
  'terminationDate',
  'department.code',
  'department.name',
  'department.costCenter',
  'tenant.slug',
] as const;

/** A person column, a department/tenant field, or `attributes.<name>` for a custom HR field. */
const attributePath = z
  .string()
  .refine(
    (path) =>
      (RULE_ATTRIBUTES as readonly string[]).includes(path) ||
      /^attributes\.[A-Za-z0-9_.-]{1,100}$/.test(path),
    { message: `must be one of ${RULE_ATTRIBUTES.join(', ')} or attributes.<name>` },
  );

const scalar = z.union([z.string().max(500), z.number(), z.boolean()]);

const attributeTest = z.strictObject({
  attribute: attributePath,
  op: z.enum(['eq', 'ne', 'in', 'not_in', 'contains', 'starts_with', 'ends_with', 'exists', 'gte', 'lte']),
  value: z.union([scalar, z.array(scalar).max(1000)]).optional(),
  /** String comparisons ignore case unless this is true. */
  caseSensitive: z.boolean().optional(),
});

const departmentTest = z.strictObject({
  department: z
    .strictObject({
      id: z.uuid().optional(),
      externalId: z.string().max(255).optional(),
      code: z.string().max(64).optional(),
      /** The department and everything under it (default), or that department alone. */
      includeSubtree: z.boolean().optional(),
    })
    .refine((d) => d.id ?? d.externalId ?? d.code, { message: 'needs id, externalId or code' }),
});

const subsidiaryTest = z.strictObject({
  subsidiary: z
    .strictObject({
      id: z.uuid().optional(),
      slug: z.string().max(63).optional(),
      includeSubtree: z.boolean().optional(),
    })
    .refine((t) => t.id ?? t.slug, { message: 'needs id or slug' }),
});

const memberOfTest = z.strictObject({
  memberOf: z
    .strictObject({ groupId: z.uuid().optional(), displayName: z.string().max(300).optional() })
    .refine((g) => g.groupId ?? g.displayName, { message: 'needs groupId or displayName' }),
});

const everyone = z.strictObject({ always: z.literal(true) });

export type AttributeTest = z.infer<typeof attributeTest>;
export type DepartmentTest = z.infer<typeof departmentTest>;
export type SubsidiaryTest = z.infer<typeof subsidiaryTest>;
export type MemberOfTest = z.infer<typeof memberOfTest>;

export type RuleCondition =
  | { all: RuleCondition[] }
  | { any: RuleCondition[] }
  | { not: RuleCondition }
  | AttributeTest
  | DepartmentTest
  | SubsidiaryTest
  | MemberOfTest
  | { always: true };

export const ruleConditionSchema: z.ZodType<RuleCondition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(ruleConditionSchema).min(1).max(100) }),
    z.strictObject({ any: z.array(ruleConditionSchema).min(1).max(100) }),
    z.strictObject({ not: ruleConditionSchema }),
    attributeTest,
    departmentTest,
    subsidiaryTest,
    memberOfTest,
    everyone,
  ]),
);

/** Parses a stored or submitted condition; throws a ValidationError-shaped message naming the bad node. */
export function parseCondition(input: unknown): RuleCondition {
  return ruleConditionSchema.parse(input);
}
