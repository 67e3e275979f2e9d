import { z } from 'zod';
import { secret } from '../kit/config-schema.js';

/**
 * A Kingdee connection: the site's WebAPI root, the data centre (账套, by its id), and either an integration user's
 * password (AuthService.ValidateUser) or a 第三方系统登录授权 app id + secret for that user (LoginBySign, or
 * LoginByAppSecret on sites whose authorisation was set up for it).
 */
export const kingdeeConfigSchema = z
  .object({
    baseUrl: z
      // No transform (a trailing slash is added by the client): the console renders this schema as JSON Schema.
      .url({ message: "baseUrl must be the site's WebAPI root, such as https://erp.example.com/k3cloud/" })
      .describe("The site's WebAPI root, ending in /k3cloud/ (https://erp.example.com/k3cloud/)."),
    acctId: z
      .string()
      .trim()
      .min(1, 'acctId is the data centre id (数据中心ID), shown in 管理中心 › 数据中心列表')
      .describe('Data centre id (数据中心ID / 账套ID), e.g. 64f1a2b3c4d5e6.'),
    username: z
      .string()
      .trim()
      .min(1, 'username is the Kingdee integration user')
      .describe('Integration user name.'),
    password: secret(z.string().min(1))
      .optional()
      .describe("The user's password (leave empty with app login)."),
    appId: z.string().trim().min(1).optional().describe('第三方系统登录授权 app id.'),
    appSecret: secret(z.string().min(1)).optional().describe('第三方系统登录授权 app secret.'),
    appLogin: z
      .enum(['signature', 'appSecret'])
      .default('signature')
      .describe('With an app id: LoginBySign (the secret never leaves Junction) or LoginByAppSecret.'),
    lcid: z
      .number()
      .int()
      .positive()
      .default(2052)
      .describe('Language of the session: 2052 简体中文, 1033 English.'),
    orgNumber: z
      .string()
      .trim()
      .min(1)
      .optional()
      .describe('Number of the organisation (组织编码) records are created in and used by, e.g. 100.'),
    requestsPerSecond: z
      .number()
      .positive()
      .max(1000)
      .optional()
      .describe(
        'Requests per second to this site; Kingdee publishes no limit, so the default is a cautious 10.',
      ),
  })
  .superRefine((config, ctx) => {
    const hasApp = config.appId !== undefined || config.appSecret !== undefined;
    if (config.password === undefined && !hasApp) {
      ctx.addIssue({
        code: 'custom',
        path: ['password'],
        message: 'give either password, or appId and appSecret',
      });
    }
    if (config.password !== undefined && hasApp) {
      ctx.addIssue({
        code: 'custom',
        path: ['appId'],
        message: 'give either password, or appId and appSecret, not both',
      });
    }
    if (hasApp && (config.appId === undefined || config.appSecret === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [config.appId === undefined ? 'appId' : 'appSecret'],
        message: 'appId and appSecret go together',
      });
    }
  });

export type KingdeeConfig = z.infer<typeof kingdeeConfigSchema>;
