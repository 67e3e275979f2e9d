/** A response as the HTTP client hands it to connectors' classifiers. */
export interface HttpResponseInfo {
  status: number;
  /** Parsed JSON when the body is JSON, the text otherwise, undefined when empty. */
  data: unknown;
  /** Lower-case header names; several `set-cookie` values are joined with "\n". */
  headers: Record<string, string>;
}

const MESSAGE_KEYS = [
  'message',
  'detail',
  'errmsg',
  'error_description',
  'Message',
  'title',
  'error',
  'msg',
] as const;
const CODE_KEYS = ['code', 'errcode', 'error', 'scimType', 'Code', 'status'] as const;

/**
 * Best-effort reading of a vendor's error message from the common shapes: `{ error: { code, message } }`,
 * `{ message }`, RFC 7807 `{ title, detail }`, WeCom `{ errcode, errmsg }`, OAuth `{ error, error_description }`,
 * SCIM `{ detail, scimType }`, or a short text body. Connectors with their own shape pass `vendorMessage`.
 */
export function defaultVendorMessage(response: HttpResponseInfo): string | undefined {
  const data = response.data;
  if (typeof data === 'string') return data.trim() ? truncate(data.trim()) : undefined;
  if (!isRecord(data)) return undefined;
  if (isRecord(data.error)) {
    const inner = defaultVendorMessage({ ...response, data: data.error });
    if (inner) return inner;
  }
  for (const key of MESSAGE_KEYS) {
    const value = data[key];
    if (typeof value === 'string' && value.trim()) return truncate(value.trim());
  }
  return undefined;
}

export function defaultVendorCode(response: HttpResponseInfo): string | undefined {
  const data = response.data;
  if (!isRecord(data)) return undefined;
  if (isRecord(data.error)) {
    const inner = defaultVendorCode({ ...response, data: data.error });
    if (inner) return inner;
  }
  for (const key of CODE_KEYS) {
    const value = data[key];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function truncate(text: string, max = 500): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
