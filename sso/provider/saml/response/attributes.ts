import type { PersonAppView } from '../../../access/person-app-view.js';

/** What an attribute (or claim) mapping may name as its source. */
export type AttributeSource =
  | 'id'
  | 'email'
  | 'name'
  | 'given_name'
  | 'family_name'
  | 'employee_number'
  | 'department'
  | 'title'
  | 'rank'
  | 'grade'
  | 'cost_center'
  | 'tenant'
  | 'groups'
  | 'directory_groups'
  | 'roles'
  | 'entitlements'
  | `attributes.${string}`;

/** Used when an app registers no `claimMappings`: common names most SPs understand. */
export const DEFAULT_SAML_ATTRIBUTES: Record<string, AttributeSource> = {
  email: 'email',
  givenName: 'given_name',
  surname: 'family_name',
  displayName: 'name',
  employeeNumber: 'employee_number',
  department: 'department',
  title: 'title',
  rank: 'rank',
  groups: 'groups',
  roles: 'roles',
  entitlements: 'entitlements',
};

export function sourceValues(person: PersonAppView, source: string): string[] {
  const one = (value: string | null | undefined): string[] => (value ? [value] : []);
  switch (source) {
    case 'id':
      return [person.id];
    case 'email':
      return one(person.email);
    case 'name':
      return one(person.displayName);
    case 'given_name':
      return one(person.givenName);
    case 'family_name':
      return one(person.familyName);
    case 'employee_number':
      return one(person.employeeNumber);
    case 'department':
      return one(person.department);
    case 'title':
      return one(person.jobTitle);
    case 'rank':
      return one(person.rank);
    case 'grade':
      return one(person.grade);
    case 'cost_center':
      return one(person.costCenter);
    case 'tenant':
      return [person.tenantSlug];
    case 'groups':
      return person.groups;
    case 'directory_groups':
      return person.directoryGroups;
    case 'roles':
      return person.roles;
    case 'entitlements':
      return person.entitlements;
    default: {
      if (!source.startsWith('attributes.')) return [];
      const value = person.attributes[source.slice('attributes.'.length)];
      if (Array.isArray(value)) return value.map(String);
      return value === undefined || value === null || typeof value === 'object' ? [] : [String(value)];
    }
  }
}

/** Attribute name → values for an SP, from its mappings (or the defaults); attributes without values are left out. */
export function samlAttributes(
  person: PersonAppView,
  mappings: Record<string, string>,
): Record<string, string[]> {
  const effective = Object.keys(mappings).length > 0 ? mappings : DEFAULT_SAML_ATTRIBUTES;
  const out: Record<string, string[]> = {};
  for (const [name, source] of Object.entries(effective)) {
    const values = sourceValues(person, source);
    if (values.length > 0) out[name] = values;
  }
  return out;
}
