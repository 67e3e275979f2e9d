import { z } from 'zod';
import { secret } from '../kit/config-schema.js';

const resourcePath = (what: string, fallback: string) =>
  z
    .string()
    .regex(/^\/[A-Za-z0-9._~\-/]*$/, `${what} must be a path below the base URL, such as ${fallback}`)
    .default(fallback);

/**
 * A SCIM 2.0 connection. Secrets sit at the top level (the vault seals top-level secret fields); which of them
 * is needed depends on `authType`, and a missing one is named in the error.
 */
export const scimConfigSchema = z
  .object({
    baseUrl: z
      .url({ protocol: /^https?$/, error: 'baseUrl must be the http(s) URL of the SCIM service provider' })
      .describe('The SCIM base URL, under which /Users lives (e.g. https://api.slack.com/scim/v2)'),
    authType: z
      .enum(['bearer', 'basic', 'oauth2'])
      .default('bearer')
      .describe('bearer: a static token (Slack, Zoom, GitHub, Atlassian); basic; oauth2: client credentials'),
    token: secret(z.string().min(1)).optional().describe('The bearer token (authType bearer)'),
    username: z.string().min(1).optional().describe('User name (authType basic)'),
    password: secret(z.string().min(1)).optional().describe('Password (authType basic)'),
    tokenUrl: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('OAuth 2.0 token endpoint (authType oauth2)'),
    clientId: z.string().min(1).optional().describe('OAuth 2.0 client id (authType oauth2)'),
    clientSecret: secret(z.string().min(1)).optional().describe('OAuth 2.0 client secret (authType oauth2)'),
    scope: z.string().min(1).optional().describe('OAuth 2.0 scope to ask for (authType oauth2)'),
    patchSupported: z
      .union([z.literal('auto'), z.boolean()])
      .default('auto')
      .describe('auto: use PATCH when /ServiceProviderConfig says so (and fall back to PUT on 501)'),
    useEtags: z
      .union([z.literal('auto'), z.boolean()])
      .default('auto')
      .describe('auto: send If-Match when the server returns meta.version; false: never'),
    userNameAttribute: z
      .enum(['userName', 'email', 'employeeNumber'])
      .default('userName')
      .describe("Which of Junction's values becomes the SCIM userName"),
    matchByExternalId: z
      .boolean()
      .default(true)
      .describe('Store the Junction correlation id in externalId and find accounts by it first'),
    usersPath: resourcePath('usersPath', '/Users'),
    groupsPath: resourcePath('groupsPath', '/Groups'),
    pageSize: z
      .int()
      .min(1)
      .max(1000)
      .default(100)
      .describe('Users per list request (the server may send fewer)'),
    groupMemberChunkSize: z
      .int()
      .min(1)
      .max(5000)
      .default(100)
      .describe('Members added or removed per PATCH request'),
    requestsPerSecond: z
      .number()
      .positive()
      .max(1000)
      .optional()
      .describe("The vendor's documented rate limit"),
    timeoutMs: z.int().min(1000).max(300_000).default(30_000),
  })
  .superRefine((config, ctx) => {
    const need = (field: keyof typeof config, why: string): void => {
      if (config[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `${field} is required ${why}` });
    };
    if (config.authType === 'bearer') need('token', 'for authType bearer');
    if (config.authType === 'basic') {
      need('username', 'for authType basic');
      need('password', 'for authType basic');
    }
    if (config.authType === 'oauth2') {
      need('tokenUrl', 'for authType oauth2');
      need('clientId', 'for authType oauth2');
      need('clientSecret', 'for authType oauth2');
    }
  });

export type ScimConfig = z.infer<typeof scimConfigSchema>;
