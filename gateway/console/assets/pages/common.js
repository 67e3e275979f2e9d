import { all } from '../api.js';
import { badge, h, put, select } from '../dom.js';

let tenantCache;

/** The tenants this admin can see (for selects and names). */
export async function tenants() {
  tenantCache ??= all('/tenants?sort=name');
  return tenantCache;
}

export async function tenantSelect(attrs = {}, value) {
  const list = await tenants();
  return select(
    list.map((t) => [t.id, t.parentId ? t.name : `${t.name} (group)`]),
    value ?? list.find((t) => !t.parentId)?.id ?? list[0]?.id,
    attrs,
  );
}

export async function tenantName(id) {
  return (await tenants()).find((t) => t.id === id)?.name ?? id;
}

export function statusBadge(status) {
  return badge(status.replace('_', ' '), status);
}

/** "created 3 · updated 1 · failed 0" from a run's counts. */
export function countsText(counts) {
  const entries = Object.entries(counts ?? {}).filter(([, n]) => n > 0);
  return entries.length ? entries.map(([k, n]) => `${k} ${n}`).join(' · ') : '—';
}

export function pageHeader(title, ...actions) {
  return h(
    'div',
    { class: 'page-head' },
    h('h1', {}, title),
    actions.length ? h('div', { class: 'actions' }, actions) : null,
  );
}

/** A "Load more" pager over a cursor-paged list. */
export function pager(load, renderRows) {
  let cursor = null;
  const more = h('button', { type: 'button', class: 'secondary' }, 'Load more');
  const wrap = h('div', { class: 'pager' });
  const next = async () => {
    const page = await load(cursor);
    renderRows(page.items, cursor === null);
    cursor = page.nextCursor;
    more.hidden = !cursor;
  };
  more.addEventListener('click', () => void next());
  put(wrap, more);
  return { element: wrap, start: next };
}

export function slugify(text) {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63);
}
