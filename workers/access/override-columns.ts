/**
 * Admin overrides are stored by entity property name (`jobTitle`, the admin API's key); the source upserts work on
 * columns. These maps are the one place the two meet, so an override the API accepts is one the sync respects.
 */

/** Person override key → people column. `managerId` is kept apart: the source gives a manager's external id. */
export const PERSON_OVERRIDE_COLUMNS = {
  employeeNumber: 'employee_number',
  givenName: 'given_name',
  familyName: 'family_name',
  displayName: 'display_name',
  email: 'email',
  phone: 'phone',
  departmentId: 'department_id',
  jobTitle: 'job_title',
  rank: 'rank',
  grade: 'grade',
  costCenter: 'cost_center',
  division: 'division',
  location: 'location',
  status: 'status',
  hireDate: 'hire_date',
  terminationDate: 'termination_date',
} as const;

/** The override key the sync must also respect for `manager_id`. */
export const MANAGER_OVERRIDE = 'managerId';

/** Every key an admin may override on a person (the admin API's `set` / `clear` keys). */
export const PERSON_OVERRIDE_KEYS: readonly string[] = [
  ...Object.keys(PERSON_OVERRIDE_COLUMNS),
  MANAGER_OVERRIDE,
];

/**
 * The same rule as `keepOverridden` + `shadowSourceValues`, for a source that writes a whole record through the
 * ORM rather than the upsert SQL (inbound SCIM): each overridden key keeps the admin's value and what the source
 * now says goes to the returned source values. A key the record does not carry (the source does not own it) keeps
 * its earlier source value. Mutates `record`.
 */
export function overlayOverrides(
  record: Record<string, unknown>,
  overrides: Record<string, unknown>,
  previousSourceValues: Record<string, unknown>,
  keys: readonly string[],
): Record<string, unknown> {
  const sourceValues: Record<string, unknown> = {};
  for (const key of keys) {
    if (!(key in overrides)) continue;
    if (key in record) {
      sourceValues[key] = record[key] ?? null;
      record[key] = overrides[key];
    } else if (key in previousSourceValues) sourceValues[key] = previousSourceValues[key];
  }
  return sourceValues;
}

/** A record as its source last gave it: the overridden fields carry the source values instead of the admin's. */
export function withSourceValues<T extends object>(
  record: T,
  overrides: Record<string, unknown>,
  sourceValues: Record<string, unknown>,
): T {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(record) as object) as T, record);
  for (const key of Object.keys(overrides))
    if (key in sourceValues) (copy as Record<string, unknown>)[key] = sourceValues[key];
  return copy;
}

/** Department override key → departments column (`managerPersonId` is never written by a source read). */
export const DEPARTMENT_OVERRIDE_COLUMNS = {
  name: 'name',
  code: 'code',
  costCenter: 'cost_center',
} as const;

/**
 * The key of the source-people snapshot (see source-people-page.ts) an override hides: the source names the
 * department and the manager by external id, the admin by directory id.
 */
export function personSnapshotKey(overrideKey: string): string {
  if (overrideKey === 'departmentId') return 'departmentExternalId';
  if (overrideKey === MANAGER_OVERRIDE) return 'managerExternalId';
  return overrideKey;
}

/** `column = <existing value while overridden, else the source's>` for an ON CONFLICT DO UPDATE on `table`. */
export function keepOverridden(table: string, columns: Record<string, string>): string {
  return Object.entries(columns)
    .map(
      ([key, column]) =>
        `${column} = CASE WHEN ${table}.overrides ? '${key}' THEN ${table}.${column} ELSE EXCLUDED.${column} END`,
    )
    .join(', ');
}

/**
 * `source_values = <what the source said for each overridden key>`: put back when the admin clears the override,
 * because an incremental read returns a record again only when the source changes it.
 */
export function shadowSourceValues(table: string, columns: Record<string, string>): string {
  const pairs = Object.entries(columns)
    .map(([key, column]) => `'${key}', EXCLUDED.${column}`)
    .join(', ');
  return `source_values = (SELECT COALESCE(jsonb_object_agg(s.key, s.value), '{}'::jsonb)
      FROM jsonb_each(jsonb_build_object(${pairs})) AS s WHERE ${table}.overrides ? s.key)`;
}
