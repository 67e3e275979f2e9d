import { z } from 'zod';
import { secret } from '../kit/config-schema.js';
import { defineConnector, type RateLimit } from '../kit/contract.js';
import { WeComClient } from './client.js';
import { WeComConnector } from './connector.js';

/**
 * "每企业调用单个cgi/api不可超过1万次/分，15万次/小时" (附录-访问频率限制, document/path/90312): the hourly
 * figure, 41.6 calls a second on one API, is the one a long read meets, so the connection is paced just below
 * it, with the per-minute allowance as burst head-room.
 */
export const WECOM_RATE_LIMIT: RateLimit = { requestsPerSecond: 40, burst: 200 };

export const wecomConfigSchema = z.object({
  corpId: z
    .string()
    .trim()
    .min(1, 'corpId is required: 我的企业 → 企业信息 → 企业ID')
    .describe('企业ID (corp id), from 我的企业 → 企业信息'),
  corpSecret: secret(
    z
      .string()
      .trim()
      .min(1, 'corpSecret is required: the Contacts Sync secret')
      .describe('通讯录同步 Secret (管理工具 → 通讯录同步), with API editing enabled'),
  ),
  baseUrl: z
    .url()
    .default('https://qyapi.weixin.qq.com')
    .describe('WeCom API address (a simulator, or a proxy)'),
  rootDepartmentId: z
    .number()
    .int()
    .min(1)
    .default(1)
    .describe('WeCom department Junction manages; 1 is the whole company'),
  useridFrom: z
    .enum(['correlationId', 'userName'])
    .default('correlationId')
    .describe(
      'Which key becomes the WeCom userid: the person (employee number / id) or the mapped user name',
    ),
  emailField: z
    .enum(['email', 'biz_mail'])
    .default('email')
    .describe('Where the account e-mail goes: 邮箱 (email) or 企业邮箱 (biz_mail)'),
  invite: z.boolean().default(true).describe('Send new members the WeCom invitation (to_invite)'),
  matchByEmail: z
    .boolean()
    .default(false)
    .describe(
      'Also find existing members by e-mail. WeCom blocks the lookup for a day after too many misses, so leave it off for bulk onboarding',
    ),
  memberListing: z
    .enum(['list_id', 'department'])
    .default('list_id')
    .describe(
      'How members are listed: list_id (one call per member; works everywhere) or department (one call per department; only for corps whose sync IP predates 2022-08-15)',
    ),
  requestsPerSecond: z
    .number()
    .positive()
    .max(1000)
    .optional()
    .describe('Override the pace (for corps whose limits WeCom raised); default 40/s'),
});
export type WeComConfig = z.infer<typeof wecomConfigSchema>;

/** WeCom (企业微信) contacts: the department tree and its members, kept in step with the directory. */
export const wecomConnector = defineConnector({
  id: 'wecom',
  category: 'office',
  title: 'WeCom (企业微信)',
  description:
    'Keeps the WeCom department tree and members in step with the directory: creates, updates, disables (enable: 0) and deletes members, creates, renames, moves and deletes departments.',
  docsUrl: 'https://developer.work.weixin.qq.com/document/path/90193',
  directions: ['target'],
  configSchema: wecomConfigSchema,
  capabilities: ['check', 'listAccounts', 'writeAccounts', 'readDepartments', 'writeDepartments'] as const,
  rateLimit: WECOM_RATE_LIMIT,
  create: (ctx) => {
    const config = ctx.config;
    const client = new WeComClient({
      baseUrl: config.baseUrl,
      corpId: config.corpId,
      corpSecret: config.corpSecret,
      connectionId: ctx.connectionId,
      log: ctx.log,
      rateLimit: config.requestsPerSecond
        ? {
            requestsPerSecond: config.requestsPerSecond,
            burst: Math.max(WECOM_RATE_LIMIT.burst, config.requestsPerSecond),
          }
        : WECOM_RATE_LIMIT,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    return new WeComConnector(client, {
      corpId: config.corpId,
      rootDepartmentId: config.rootDepartmentId,
      useridFrom: config.useridFrom,
      emailField: config.emailField,
      invite: config.invite,
      matchByEmail: config.matchByEmail,
      memberListing: config.memberListing,
    });
  },
});
