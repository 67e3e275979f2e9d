import { ApiError, setCsrf } from './api.js';
import { clear, h, put, toast } from './dom.js';

/** Pages by first hash segment; each module exports `render(main, params, session)` (may return a cleanup). */
const PAGES = [
  ['overview', 'Overview', './pages/overview.js'],
  ['connections', 'Connections', './pages/connections.js'],
  ['runs', 'Runs', './pages/runs.js'],
  ['people', 'People', './pages/people.js'],
  ['roles', 'Roles & rules', './pages/roles.js'],
  ['applications', 'Applications', './pages/applications.js'],
  ['identity-providers', 'Identity providers', './pages/identity-providers.js'],
  ['approvals', 'Approvals', './pages/approvals.js'],
  ['audit', 'Audit log', './pages/audit.js'],
];

let session;
let cleanup;

async function loadSession() {
  const response = await fetch('/console/session', { credentials: 'same-origin' });
  if (response.status === 401) return undefined;
  return response.json();
}

function renderNav(current) {
  const nav = clear(document.getElementById('nav'));
  put(
    nav,
    h(
      'ul',
      {},
      PAGES.map(([id, label]) =>
        h('li', {}, h('a', { href: `#/${id}`, 'aria-current': id === current ? 'page' : undefined }, label)),
      ),
    ),
  );
  const who = clear(document.getElementById('who'));
  put(
    who,
    h('span', { class: 'who-name' }, session.person.name),
    ' ',
    h('a', { href: `/console/logout?csrf=${encodeURIComponent(session.csrf)}` }, 'Sign out'),
  );
}

async function route(event) {
  const main = document.getElementById('main');
  const [page = 'overview', ...params] = location.hash
    .replace(/^#\/?/, '')
    .split('/')
    .map(decodeURIComponent);
  const entry = PAGES.find(([id]) => id === page) ?? PAGES[0];
  if (typeof cleanup === 'function') cleanup();
  cleanup = undefined;
  renderNav(entry[0]);
  clear(main);
  put(main, h('p', { class: 'loading' }, 'Loading…'));
  try {
    const module = await import(entry[2]);
    clear(main);
    cleanup = await module.render(main, params.filter(Boolean), session);
    document.title = `${entry[1]} · Junction`;
    // After a navigation (not on first load), move focus to the page heading so keyboard and screen-reader users
    // land on the new content; on first load, Tab starts at the skip link as on any page.
    const heading = event ? main.querySelector('h1') : null;
    if (heading) {
      heading.setAttribute('tabindex', '-1');
      heading.focus({ preventScroll: false });
    }
  } catch (error) {
    clear(main);
    put(
      main,
      h('h1', {}, 'Something went wrong'),
      h('p', { class: 'error', role: 'alert' }, describe(error)),
    );
  }
}

export function describe(error) {
  return error instanceof ApiError ? error.describe() : String(error?.message ?? error);
}

async function start() {
  session = await loadSession();
  const main = document.getElementById('main');
  if (!session) {
    clear(main);
    put(
      main,
      h('h1', {}, 'Junction console'),
      h('p', {}, 'Administrators of the group and its subsidiaries sign in with their company account.'),
      h(
        'p',
        {},
        h(
          'a',
          {
            class: 'button',
            href: `/console/login?return=${encodeURIComponent(`/console/${location.hash}`)}`,
          },
          'Sign in with Junction SSO',
        ),
      ),
    );
    return;
  }
  setCsrf(session.csrf);
  window.addEventListener('hashchange', route);
  window.addEventListener('unhandledrejection', (event) => toast(describe(event.reason), 'error'));
  await route();
}

start();
