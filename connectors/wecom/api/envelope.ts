import { z } from 'zod';

/**
 * Every WeCom answer carries `errcode` (0 = success) and `errmsg`, with HTTP 200 even on errors
 * (服务端API-开发指南-全局错误码). Parsed first, before the endpoint's own fields, so an error body never fails
 * the endpoint schema.
 */
export const envelopeSchema = z.object({
  errcode: z.number().int(),
  errmsg: z.string().default(''),
});
export type Envelope = z.infer<typeof envelopeSchema>;

/** GET /cgi-bin/gettoken (服务端API-开发指南-获取access_token). */
export const tokenResponseSchema = envelopeSchema.extend({
  access_token: z.string().min(1).max(512),
  expires_in: z.number().int().positive(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** Write endpoints answer with the envelope only (errmsg "created" / "updated" / "deleted"). */
export const writeResponseSchema = envelopeSchema;
