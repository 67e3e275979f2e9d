import {
  departmentAncestors,
  tenantAncestors,
  type DepartmentNode,
  type PersonView,
  type TenantNode,
} from './person-view.js';
import type { AttributeTest, RuleCondition } from './rule-condition.js';

export interface ConditionContext {
  departments: ReadonlyMap<string, DepartmentNode>;
  tenants: ReadonlyMap<string, TenantNode>;
}

/** True when the person satisfies the condition. Pure: everything it needs is in the view and the context. */
export function evaluateCondition(
  condition: RuleCondition,
  person: PersonView,
  ctx: ConditionContext,
): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, person, ctx));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, person, ctx));
  if ('not' in condition) return !evaluateCondition(condition.not, person, ctx);
  if ('always' in condition) return true;
  if ('department' in condition) {
    const test = condition.department;
    const chain =
      test.includeSubtree === false
        ? person.departmentId
          ? [person.departmentId]
          : []
        : departmentAncestors(ctx.departments, person.departmentId);
    return chain.some((id) => {
      const node = ctx.departments.get(id);
      if (!node) return test.id === id;
      return (
        (test.id !== undefined && node.id === test.id) ||
        (test.externalId !== undefined && node.externalId === test.externalId) ||
        (test.code !== undefined && node.code === test.code)
      );
    });
  }
  if ('subsidiary' in condition) {
    const test = condition.subsidiary;
    const chain =
      test.includeSubtree === false ? [person.tenantId] : tenantAncestors(ctx.tenants, person.tenantId);
    return chain.some((id) => {
      const node = ctx.tenants.get(id);
      return (
        (test.id !== undefined && id === test.id) || (test.slug !== undefined && node?.slug === test.slug)
      );
    });
  }
  if ('memberOf' in condition) {
    const test = condition.memberOf;
    if (test.groupId !== undefined && person.groupIds.includes(test.groupId)) return true;
    if (test.displayName !== undefined) {
      const wanted = test.displayName.toLowerCase();
      return person.groups.some((name) => name.toLowerCase() === wanted);
    }
    return false;
  }
  return evaluateAttributeTest(condition, person);
}

export function readAttribute(person: PersonView, path: string): unknown {
  if (path.startsWith('attributes.')) return person.attributes[path.slice('attributes.'.length)];
  if (path === 'department.code') return person.department?.code ?? null;
  if (path === 'department.name') return person.department?.name ?? null;
  if (path === 'department.costCenter') return person.department?.costCenter ?? null;
  if (path === 'tenant.slug') return person.tenant.slug;
  return (person as unknown as Record<string, unknown>)[path] ?? null;
}

function evaluateAttributeTest(test: AttributeTest, person: PersonView): boolean {
  const actual = readAttribute(person, test.attribute);
  const fold = (value: unknown): unknown =>
    typeof value === 'string' && !test.caseSensitive ? value.toLowerCase() : value;
  const present = actual !== null && actual !== undefined && actual !== '';
  const values = Array.isArray(test.value) ? test.value : test.value === undefined ? [] : [test.value];
  // A multi-valued custom attribute matches when any of its values does.
  const actuals = (Array.isArray(actual) ? actual : [actual]).map(fold);
  const wanted = values.map(fold);
  switch (test.op) {
    case 'exists':
      return test.value === false ? !present : present;
    case 'eq':
      return present && actuals.some((a) => a === wanted[0]);
    case 'ne':
      return !actuals.some((a) => a === wanted[0]);
    case 'in':
      return present && actuals.some((a) => wanted.includes(a as never));
    case 'not_in':
      return !actuals.some((a) => wanted.includes(a as never));
    case 'contains':
      return actuals.some(
        (a) => typeof a === 'string' && typeof wanted[0] === 'string' && a.includes(wanted[0]),
      );
    case 'starts_with':
      return actuals.some(
        (a) => typeof a === 'string' && typeof wanted[0] === 'string' && a.startsWith(wanted[0]),
      );
    case 'ends_with':
      return actuals.some(
        (a) => typeof a === 'string' && typeof wanted[0] === 'string' && a.endsWith(wanted[0]),
      );
    case 'gte':
    case 'lte':
      return actuals.some((a) => compareOrdered(a, wanted[0], test.op === 'gte'));
  }
}

/** Ranks and grades are often numbers in strings ("M3", "7"): compare numerically when both sides are numbers. */
function compareOrdered(actual: unknown, wanted: unknown, gte: boolean): boolean {
  if (actual === null || actual === undefined || wanted === undefined) return false;
  const a = Number(actual);
  const w = Number(wanted);
  if (!Number.isNaN(a) && !Number.isNaN(w)) return gte ? a >= w : a <= w;
  const cmp = String(actual).localeCompare(String(wanted), 'en', { numeric: true });
  return gte ? cmp >= 0 : cmp <= 0;
}
