import { z } from 'zod';

/** BambooHR's answers as we rely on them (from public.yaml); anything else is a vendor_error naming the field. */

const nullableText = z.string().nullable().optional();

// GetEmployeesEmployeeResponse (list-employees): base fields plus the optional ones we ask for.
export const listedEmployeeSchema = z.object({
  employeeId: z.string().min(1),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  preferredName: z.string().nullable(),
  jobTitleName: z.string().nullable(),
  status: z.string().nullable(),
  _restrictedFields: z.array(z.string()).default([]),
  workEmail: nullableText,
  mobilePhone: nullableText,
  workPhone: nullableText,
  hireDate: nullableText,
  divisionName: nullableText,
  departmentName: nullableText,
  departmentId: nullableText,
  locationName: nullableText,
  employmentStatusName: nullableText,
  reportsToId: nullableText,
});
export type ListedEmployee = z.infer<typeof listedEmployeeSchema>;

// GetEmployeesResponseObject
export const listEmployeesSchema = z.object({
  data: z.array(listedEmployeeSchema),
  meta: z.object({
    total: z.number().int(),
    page: z.object({
      limit: z.number().int().nullable(),
      nextCursor: z.string().min(1).nullable(),
      prevCursor: z.string().nullable(),
    }),
  }),
});
export type ListEmployeesResponse = z.infer<typeof listEmployeesSchema>;

const changeEntrySchema = z.object({
  id: z.string(),
  action: z.enum(['Inserted', 'Updated', 'Deleted']),
  lastChanged: z.string(),
});

// ChangedEmployeeIdsResponse (get-changed-employee-ids). An empty map may come as [] from BambooHR's PHP.
export const changedEmployeesSchema = z.object({
  latest: z.string().nullable().optional(),
  employees: z.union([z.record(z.string(), changeEntrySchema), z.array(changeEntrySchema).max(0)]),
});
export type ChangeEntry = z.infer<typeof changeEntrySchema>;

// RequestCustomReportResponse (request-custom-report): values are strings (or null, as older answers have it).
export const customReportSchema = z.object({
  fields: z.array(z.object({ id: z.string(), type: z.string().optional(), name: z.string().optional() })),
  employees: z.array(
    z
      .looseObject({ id: z.union([z.string(), z.number()]).transform(String) })
      .transform((row) => row as Record<string, unknown> & { id: string }),
  ),
});
export type CustomReportRow = Record<string, unknown> & { id: string };

// ListFieldsResponse of list-list-fields
export const listFieldsSchema = z.array(
  z.object({
    fieldId: z.union([z.string(), z.number()]).transform(String),
    alias: z.string().optional(),
    name: z.string(),
    options: z
      .array(
        z.object({
          id: z.union([z.number(), z.string()]).transform(String),
          name: z.string(),
          archived: z.string().optional(),
        }),
      )
      .default([]),
  }),
);
export type ListField = z.infer<typeof listFieldsSchema>[number];
