import { z } from 'zod';

/**
 * What SCIM service providers send, as zod schemas: strict about what the connector relies on (ids, paging
 * numbers), lenient about the rest, because real servers differ (string booleans, numbers as strings, missing
 * `Resources` on an empty page). Unknown attributes and extension objects pass through.
 */

// Entra and some others write booleans as "True" / "False".
const lenientBoolean = z.union([
  z.boolean(),
  z
    .string()
    .regex(/^(true|false)$/i)
    .transform((value) => value.toLowerCase() === 'true'),
]);

// RFC 7644 §3.4.2: integers; a few servers send them as strings.
const lenientInt = z.union([
  z.int(),
  z
    .string()
    .regex(/^\d+$/)
    .transform((value) => Number(value)),
]);

// RFC 7643 §3.1: "meta", with "version" when the server does ETags (RFC 7644 §3.14).
const metaSchema = z.looseObject({
  version: z.string().optional(),
  created: z.string().optional(),
  lastModified: z.string().optional(),
  location: z.string().optional(),
});

// RFC 7643 §2.4: a value of a multi-valued attribute.
export const multiValueSchema = z.looseObject({
  value: z.string().nullish(),
  type: z.string().nullish(),
  primary: lenientBoolean.nullish(),
  display: z.string().nullish(),
});
export type ScimMultiValue = z.infer<typeof multiValueSchema>;

// RFC 7643 §4.1.
export const scimUserSchema = z.looseObject({
  schemas: z.array(z.string()).optional(),
  id: z.string().min(1),
  externalId: z.string().nullish(),
  userName: z.string().nullish(),
  displayName: z.string().nullish(),
  name: z.looseObject({}).nullish(),
  active: lenientBoolean.nullish(),
  emails: z.array(multiValueSchema).nullish(),
  phoneNumbers: z.array(multiValueSchema).nullish(),
  addresses: z.array(z.looseObject({ type: z.string().nullish() })).nullish(),
  groups: z.array(multiValueSchema).nullish(),
  meta: metaSchema.nullish(),
});
export type ScimUser = z.infer<typeof scimUserSchema>;

// RFC 7643 §4.2.
export const scimGroupSchema = z.looseObject({
  schemas: z.array(z.string()).optional(),
  id: z.string().min(1),
  displayName: z.string(),
  externalId: z.string().nullish(),
  members: z.array(z.looseObject({ value: z.string(), type: z.string().nullish() })).nullish(),
  meta: metaSchema.nullish(),
});
export type ScimGroup = z.infer<typeof scimGroupSchema>;

// RFC 7644 §3.4.2: a ListResponse.
export function listResponseSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    totalResults: lenientInt,
    startIndex: lenientInt.optional(),
    itemsPerPage: lenientInt.optional(),
    Resources: z.array(item).optional(),
  });
}

// RFC 7643 §5: only the parts the connector acts on; absent parts mean "not supported".
export const serviceProviderConfigSchema = z.looseObject({
  patch: z.looseObject({ supported: lenientBoolean }).optional(),
  bulk: z.looseObject({ supported: lenientBoolean }).optional(),
  filter: z.looseObject({ supported: lenientBoolean, maxResults: lenientInt.optional() }).optional(),
  etag: z.looseObject({ supported: lenientBoolean }).optional(),
  sort: z.looseObject({ supported: lenientBoolean }).optional(),
  authenticationSchemes: z
    .array(z.looseObject({ type: z.string().optional(), name: z.string().optional() }))
    .optional(),
});
export type ServiceProviderConfig = z.infer<typeof serviceProviderConfigSchema>;

// RFC 7643 §6.
export const resourceTypeSchema = z.looseObject({
  name: z.string(),
  endpoint: z.string(),
  schema: z.string(),
  schemaExtensions: z.array(z.looseObject({ schema: z.string() })).optional(),
});

// RFC 7644 §3.12: the error body; "status" is a string in the RFC, a number on some servers.
export const scimErrorSchema = z.looseObject({
  status: z.union([z.string(), z.number()]).optional(),
  scimType: z.string().optional(),
  detail: z.string().optional(),
});
