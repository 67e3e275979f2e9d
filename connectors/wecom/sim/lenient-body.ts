import type { z } from 'zod';
import type { EndpointRequest } from './endpoint.js';

/**
 * Reads a JSON body the way WeCom does (全局错误码: "如果请求的参数不符合json规范（如类型不匹配、格式有问题），
 * 可能会导致企业微信解析到的参数不完整，此时接口在返回的errmsg里会有 “Warning: wrong json format.”"): a field
 * of the wrong type is dropped, the rest is used, and the request is marked so the answer carries the warning —
 * with errcode 0 when what remains suffices. Body schemas keep every field optional; handlers check presence.
 */
export function bodyOf<S extends z.ZodObject>(request: EndpointRequest, schema: S): z.infer<S> {
  let input: Record<string, unknown> = request.body;
  for (;;) {
    const parsed = schema.safeParse(input);
    if (parsed.success) return parsed.data;
    request.wrongFormat = true;
    const bad = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
    const kept = Object.entries(input).filter(([key]) => !bad.has(key));
    // Every field of a body schema is optional, so dropping fields always ends in a parse.
    if (kept.length === Object.keys(input).length)
      throw new Error(`body schema refuses {}: ${parsed.error.message}`);
    input = Object.fromEntries(kept);
  }
}

export const WRONG_JSON_FORMAT = 'Warning: wrong json format. ';
