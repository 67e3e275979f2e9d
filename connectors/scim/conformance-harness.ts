import type { z } from 'zod';
import type { AccountInput } from '../kit/contract.js';
import type { ConformanceTarget } from '../kit/conformance/harness.js';
import type { scimConfigSchema } from './config.js';

/** A connection config as an admin enters it (defaults not yet applied). */
export type ScimConfigInput = z.input<typeof scimConfigSchema>;

/**
 * The account the conformance suite writes: every kind of leaf the mapping handles (name parts, a core string,
 * a typed multi-valued value, enterprise extension attributes), so the round trip covers each code path.
 */
export function scimAccountInput(n: number): AccountInput {
  return {
    correlationId: `conformance-${n}`,
    userName: `conformance.${n}@example.com`,
    email: `conformance.${n}@example.com`,
    displayName: `Conformance Person ${n}`,
    active: true,
    attributes: {
      'name.givenName': 'Conformance',
      'name.familyName': `Person ${n}`,
      title: 'Tester',
      'phoneNumbers[type eq "mobile"].value': `+1 555 010 ${String(n).padStart(4, '0')}`,
      employeeNumber: `C${n}`,
      department: 'Quality',
      costCenter: 'CC-900',
    },
  };
}

export function scimChangedAccountInput(input: AccountInput): AccountInput {
  return {
    ...input,
    displayName: `${input.displayName} (changed)`,
    email: input.email ? `changed.${input.email}` : input.email,
    attributes: {
      ...input.attributes,
      'name.familyName': 'Changed',
      title: 'Senior Tester',
      department: 'Research',
      'phoneNumbers[type eq "mobile"].value': '+1 555 019 9999',
    },
  };
}

export const SCIM_ROUND_TRIP_ATTRIBUTES = [
  'name.givenName',
  'name.familyName',
  'title',
  'phoneNumbers[type eq "mobile"].value',
  'employeeNumber',
  'department',
  'costCenter',
] as const;

export type ScimConformanceTarget = ConformanceTarget<ScimConfigInput>;
