import { z } from 'zod';

/** The contract's records as schemas, so the suite checks what connectors return, field by field. */
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'an ISO date (YYYY-MM-DD)');
const text = z.string().nullable();

export const sourcePersonShape = z.strictObject({
  externalId: z.string().min(1),
  employeeNumber: text,
  givenName: text,
  familyName: text,
  displayName: z.string().min(1),
  email: text,
  phone: text,
  departmentExternalId: text,
  managerExternalId: text,
  jobTitle: text,
  rank: text,
  grade: text,
  costCenter: text,
  division: text,
  location: text,
  status: z.enum(['active', 'inactive', 'leaver']),
  hireDate: isoDay.nullable(),
  terminationDate: isoDay.nullable(),
  attributes: z.record(z.string(), z.unknown()),
});

export const sourceDepartmentShape = z.strictObject({
  externalId: z.string().min(1),
  name: z.string().min(1),
  parentExternalId: text,
  code: text,
  costCenter: text,
  managerExternalId: text,
});

export const targetAccountShape = z.object({
  externalId: z.string().min(1),
  userName: text,
  email: text,
  active: z.boolean(),
  attributes: z.record(z.string(), z.unknown()),
  groups: z.array(z.string()).optional(),
  departmentExternalIds: z.array(z.string()).optional(),
});

export const pageShape = z.object({
  items: z.array(z.unknown()),
  nextCursor: z.string().min(1).nullable(),
  removedExternalIds: z.array(z.string()).optional(),
  watermark: z.string().min(1).optional(),
});
