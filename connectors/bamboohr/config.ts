import { z } from 'zod';
import { secret } from '../kit/config-schema.js';

export const bambooHrConfigSchema = z.object({
  companyDomain: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/i, 'give the <company> part of https://<company>.bamboohr.com'),
  /** "Each user may have one or more secret API keys" (Getting Started, Authentication). */
  apiKey: secret(
    z.string().trim().min(1, 'an API key is required (in BambooHR: your name → API Keys → Add New Key)'),
  ),
  /** Default https://<companyDomain>.bamboohr.com (the OpenAPI server); the simulator's URL in tests. */
  baseUrl: z.url().optional(),
  /** Employees per page (list-employees allows up to 2,500). */
  pageSize: z.number().int().min(1).max(2500).default(1000),
  /** Aliases of the account's fields holding rank, grade and cost centre (custom fields; see list-fields). */
  customFields: z
    .object({
      rank: z.string().min(1).optional(),
      grade: z.string().min(1).optional(),
      costCenter: z.string().min(1).optional(),
    })
    .default({}),
  /** More field aliases copied into each person's attributes (for mappings and role rules). */
  extraFields: z.array(z.string().min(1)).max(100).default([]),
  /** An incremental read starts this long before the previous read began, so no change slips between them. */
  changedSinceOverlapSeconds: z.number().int().min(0).max(86_400).default(120),
  /** The private key shown once when the webhook was created; verifies X-BambooHR-Signature. */
  webhookPrivateKey: secret(z.string().min(1)).optional(),
});

export type BambooHrConfig = z.infer<typeof bambooHrConfigSchema>;
