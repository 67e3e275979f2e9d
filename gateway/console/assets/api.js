/** The console talks to the admin API with its session cookie; writes carry the CSRF token. */
let csrf = '';

export function setCsrf(token) {
  csrf = token;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }

  /** The message with the field errors the problem document lists. */
  describe() {
    const errors = (this.problem.errors ?? []).map((e) => `${e.pointer}: ${e.message}`);
    return [this.message, ...errors.filter((e) => !this.message.includes(e))].join(' — ');
  }
}

export async function api(method, path, body, headers = {}) {
  const response = await fetch(`/api/v1${path}`, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(method === 'GET' ? {} : { 'x-junction-csrf': csrf }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    location.href = `/console/login?return=${encodeURIComponent(`/console/${location.hash}`)}`;
    throw new ApiError(401, { title: 'Signed out' });
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, data);
  return { status: response.status, body: data, etag: response.headers.get('etag') };
}

export const get = (path) => api('GET', path).then((r) => r.body);
export const post = (path, body = {}) => api('POST', path, body).then((r) => r.body);
export const patch = (path, body, etag) =>
  api('PATCH', path, body, etag ? { 'if-match': etag } : {}).then((r) => r.body);
export const del = (path) => api('DELETE', path);

/** Every page of a list, for small lists (tenants, roles) shown in selects. */
export async function all(path, max = 1000) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await get(`${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < max);
  return items;
}

export function query(params) {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}
