/**
 * DOM helpers. Everything the console shows is built with createElement and text nodes (never innerHTML with
 * data), so nothing an API returns can become markup.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function')
      el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Appends children, skipping null / undefined / false (the DOM's own append would print them as text). */
export function put(el, ...children) {
  return append(el, children);
}

/** Replaces an element's content. */
export function fill(el, ...children) {
  return append(clear(el), children);
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** A data table: columns are [header, (row) => content]; an empty list says so instead of showing nothing. */
export function table(caption, columns, rows, empty = 'Nothing here yet.') {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map(([label]) => h('th', { scope: 'col' }, label)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            {},
            columns.map(([, cell]) => h('td', {}, cell(row))),
          ),
        ),
      ),
    ),
  );
}

export function field(label, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    input,
    hint ? h('small', { class: 'hint', id: `${id}-hint` }, hint) : null,
  );
}

export function button(label, onClick, attrs = {}) {
  return h('button', { type: 'button', ...attrs, onClick }, label);
}

export function link(href, label) {
  return h('a', { href }, label);
}

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return h('time', { datetime: iso, title: iso }, d.toLocaleString());
}

export function badge(text, kind = text) {
  return h('span', { class: `badge badge-${String(kind).replace(/[^a-z_]/gi, '')}` }, text);
}

export function toast(message, kind = 'info') {
  const box = document.getElementById('toast');
  clear(box);
  box.className = `toast-${kind}`;
  box.append(message);
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => clear(box), 6000);
}

/** A short JSON view of a value (diffs, attributes). */
export function json(value) {
  return h('code', { class: 'json' }, value === undefined ? '' : JSON.stringify(value));
}

export function section(title, ...children) {
  return h('section', { class: 'card' }, h('h2', {}, title), children);
}

export function select(options, value, attrs = {}) {
  return h(
    'select',
    attrs,
    options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)),
  );
}
