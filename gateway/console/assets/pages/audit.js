import { get, query } from '../api.js';
import { clear, field, fill, h, json, put, section, select, table, time } from '../dom.js';
import { pageHeader, pager } from './common.js';

export async function render(main) {
  const action = h('input', { id: 'audit-action', placeholder: 'e.g. connection. or role_rule.create' });
  const targetType = h('input', { id: 'audit-target', placeholder: 'connection, person, role…' });
  const outcome = select(
    [
      ['', 'any'],
      ['success', 'success'],
      ['failure', 'failure'],
      ['denied', 'denied'],
    ],
    '',
    { id: 'audit-outcome' },
  );
  const from = h('input', { id: 'audit-from', type: 'date' });
  const to = h('input', { id: 'audit-to', type: 'date' });
  const exportLink = h(
    'a',
    { class: 'button secondary', href: '/api/v1/audit-events/export', download: 'junction-audit.csv' },
    'Export CSV',
  );
  const results = h('div');
  const filters = () => ({
    action: action.value.trim(),
    targetType: targetType.value.trim(),
    outcome: outcome.value,
    from: from.value ? new Date(`${from.value}T00:00:00Z`).toISOString() : '',
    to: to.value ? new Date(`${to.value}T00:00:00Z`).toISOString() : '',
  });
  const load = () => {
    exportLink.href = `/api/v1/audit-events/export${query(filters())}`;
    clear(results);
    let rows = [];
    const box = h('div');
    const list = pager(
      (cursor) => get(`/audit-events${query({ ...filters(), limit: 50, cursor })}`),
      (items) => {
        rows = [...rows, ...items];
        fill(
          box,
          table(
            'Audit events',
            [
              ['When', (e) => time(e.createdAt)],
              ['Who', (e) => e.actor.label ?? `${e.actor.type} ${e.actor.id ?? ''}`],
              ['Action', (e) => h('code', {}, e.action)],
              ['Target', (e) => `${e.targetType ?? ''} ${e.targetId ?? ''}`],
              ['Outcome', (e) => e.outcome + (e.reason ? ` — ${e.reason}` : '')],
              [
                'Change',
                (e) =>
                  e.before || e.after
                    ? h(
                        'details',
                        {},
                        h('summary', {}, 'before / after'),
                        h('p', {}, 'Before: ', json(e.before)),
                        h('p', {}, 'After: ', json(e.after)),
                      )
                    : '—',
              ],
            ],
            rows,
            'No event matches.',
          ),
        );
      },
    );
    put(results, box, list.element);
    void list.start();
  };
  put(
    main,
    pageHeader('Audit log', exportLink),
    section(
      'Filter',
      h(
        'form',
        { class: 'filters', onSubmit: (e) => (e.preventDefault(), load()) },
        field('Action', action),
        field('Target type', targetType),
        field('Outcome', outcome),
        field('From', from),
        field('Until', to),
        h('button', { type: 'submit' }, 'Apply'),
      ),
    ),
    results,
  );
  load();
}
