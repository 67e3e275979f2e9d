import { get, post, query } from '../api.js';
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

async function renderPerson(main, id) {
  const [person, access] = await Promise.all([get(`/people/${id}`), get(`/people/${id}/access`)]);
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
    section(
      'Directory record',
      h(
        'dl',
        { class: 'record' },
        [
          'employeeNumber',
          'givenName',
          'familyName',
          'jobTitle',
          'rank',
          'grade',
          'costCenter',
          'division',
          'location',
          'hireDate',
          'terminationDate',
        ].map((k) => h('div', {}, h('dt', {}, k), h('dd', {}, person[k] ?? '—'))),
        h(
          'div',
          {},
          h('dt', {}, 'source'),
          h(
            'dd',
            {},
            person.source.connectionId
              ? link(`#/connections/${person.source.connectionId}`, person.source.externalId ?? 'source')
              : 'entered by hand',
          ),
        ),
        h('div', {}, h('dt', {}, 'overrides'), h('dd', {}, json(person.overrides))),
        h('div', {}, h('dt', {}, 'attributes'), h('dd', {}, json(person.attributes))),
      ),
    ),
  );
}
