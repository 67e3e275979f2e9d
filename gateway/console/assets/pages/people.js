import { api, get, post, query } from '../api.js';
import { describe } from '../app.js';
import {
  button,
  clear,
  field,
  fill,
  h,
  json,
  link,
  put,
  section,
  select,
  table,
  time,
  toast,
} from '../dom.js';
import { pageHeader, pager, statusBadge, tenantName } from './common.js';
import { recordEntries, referencedIds } from './person-overrides.js';

export async function render(main, params) {
  if (params[0]) return renderPerson(main, params[0]);
  return renderList(main);
}

async function renderList(main) {
  const q = h('input', {
    id: 'people-q',
    type: 'search',
    placeholder: 'name, email or employee number',
    value: sessionStorage.getItem('people-q') ?? '',
  });
  const status = select(
    [
      ['', 'any'],
      ['active', 'active'],
      ['inactive', 'inactive'],
      ['leaver', 'leaver'],
      ['pending', 'pending'],
    ],
    '',
    { id: 'people-status' },
  );
  const results = h('div');
  const search = () => {
    sessionStorage.setItem('people-q', q.value);
    clear(results);
    let rows = [];
    const box = h('div');
    const list = pager(
      (cursor) => get(`/people${query({ q: q.value.trim(), status: status.value, limit: 50, cursor })}`),
      (items) => {
        rows = [...rows, ...items];
        fill(
          box,
          table(
            'People',
            [
              ['Name', (p) => link(`#/people/${p.id}`, p.displayName)],
              ['Email', (p) => p.email ?? '—'],
              ['Employee no.', (p) => p.employeeNumber ?? '—'],
              ['Title', (p) => p.jobTitle ?? '—'],
              ['Status', (p) => statusBadge(p.status)],
            ],
            rows,
            'Nobody matches.',
          ),
        );
      },
    );
    put(results, box, list.element);
    void list.start();
  };
  put(
    main,
    pageHeader('People'),
    h(
      'form',
      { class: 'filters', role: 'search', onSubmit: (e) => (e.preventDefault(), search()) },
      field('Search', q),
      field('Status', status),
      h('button', { type: 'submit' }, 'Search'),
    ),
    results,
  );
  search();
}

function because(list) {
  if (list.length === 0) return h('span', { class: 'warn' }, 'no role grants it any more');
  return h(
    'ul',
    { class: 'plain' },
    list.map((b) =>
      h(
        'li',
        {},
        `role ${b.roleKey} `,
        b.via === 'rule' ? `(rule “${b.ruleName ?? b.ruleId}”)` : `(given by hand: ${b.reason ?? ''})`,
        b.entitlement.value ? ` → ${b.entitlement.kind} ${b.entitlement.value}` : ` → ${b.entitlement.kind}`,
      ),
    ),
  );
}

/** Names for the department and manager ids an override involves (an id that is gone stays an id). */
async function referenceNames(person) {
  const { departments, people } = referencedIds(person);
  const names = new Map();
  const lookups = [
    ...departments.map((d) => get(`/departments/${d}`).then((x) => names.set(d, x.name))),
    ...people.map((p) => get(`/people/${p}`).then((x) => names.set(p, x.displayName))),
  ];
  await Promise.allSettled(lookups);
  return names;
}

async function renderPerson(main, id) {
  const [read, access] = await Promise.all([api('GET', `/people/${id}`), get(`/people/${id}/access`)]);
  const person = read.body;
  const names = await referenceNames(person);
  // After an override is cleared (or a stale clear was refused) the page is drawn again from the server's state.
  const redraw = (message, kind, reload = true) => {
    toast(message, kind);
    if (!reload) return;
    void renderPerson(clear(main), id).then(() => main.querySelector('#directory-record')?.focus());
  };
  const out = h('div', { class: 'action-result', 'aria-live': 'polite' });
  const run = (label, action) =>
    button(
      label,
      async () => {
        clear(out);
        try {
          fill(out, await action());
        } catch (e) {
          toast(describe(e), 'error');
        }
      },
      { class: 'secondary' },
    );
  put(
    main,
    pageHeader(
      person.displayName,
      run('Provision now', async () => {
        const started = await post(`/people/${id}/provision`, {});
        return `Provisioning started (${started.workflowId}); see Runs.`;
      }),
      run('Revoke sessions', async () => {
        const ended = await post(`/people/${id}/revoke-sessions`, {});
        return `Ended ${ended.ssoSessions} sign-in session(s) and ${ended.oidcRows} token/grant record(s).`;
      }),
      run('Send invitation', async () => {
        const invitation = await post(`/people/${id}/invitation`, {});
        return h(
          'span',
          {},
          `${invitation.purpose === 'set_password' ? 'Set-password' : 'Sign-in'} link for ${invitation.provider.name} (valid until ${new Date(invitation.expiresAt).toLocaleString()}); hand it over, it is shown once: `,
          h('code', { class: 'secret' }, invitation.url),
        );
      }),
    ),
    out,
    h(
      'p',
      { class: 'meta' },
      statusBadge(person.status),
      ` ${person.email ?? ''} · ${await tenantName(person.tenantId)}`,
    ),
    section(
      'Accounts and why',
      table(
        'Accounts',
        [
          ['System', (a) => a.connectionName],
          ['Account', (a) => a.externalId ?? '—'],
          ['Status', (a) => statusBadge(a.status)],
          ['Last synced', (a) => time(a.lastSyncedAt)],
          [
            'Why',
            (a) => (a.everyoneInScope ? 'everyone in the connection’s scope has one' : because(a.because)),
          ],
        ],
        access.accounts,
        'No account in any system yet.',
      ),
    ),
    section(
      'Roles',
      table(
        'Roles',
        [
          ['Role', (r) => link(`#/roles/${r.roleId}`, r.name)],
          ['Key', (r) => r.key],
          ['Given by', (r) => (r.via === 'rule' ? `rule “${r.ruleName ?? ''}”` : `hand: ${r.reason ?? ''}`)],
          ['Until', (r) => time(r.expiresAt)],
        ],
        access.roles,
        'No role.',
      ),
    ),
    section(
      'Applications',
      table(
        'Applications',
        [
          ['App', (a) => a.name],
          ['Why', (a) => (a.openToAll ? 'open to everyone in the tenant' : because(a.because))],
        ],
        access.applications,
        'No application.',
      ),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'directory-record' },
      h('h2', { id: 'directory-record', tabindex: '-1' }, 'Directory record'),
      Object.keys(person.overrides ?? {}).length > 0
        ? h(
            'p',
            { class: 'hint' },
            'Fields marked overridden were set by an admin and win over the source; clearing one brings back the source’s value.',
          )
        : null,
      h(
        'dl',
        { class: 'record' },
        recordEntries(person, read.etag, names, redraw),
        h(
          'div',
          {},
          h('dt', {}, 'Source'),
          h(
            'dd',
            {},
            person.source.connectionId
              ? link(`#/connections/${person.source.connectionId}`, person.source.externalId ?? 'source')
              : 'entered by hand',
          ),
        ),
        h('div', {}, h('dt', {}, 'Attributes'), h('dd', {}, json(person.attributes))),
      ),
    ),
  );
}
