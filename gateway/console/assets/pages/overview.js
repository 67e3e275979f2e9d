import { all, get } from '../api.js';
import { h, link, put, section, table, time } from '../dom.js';
import { countsText, pageHeader, statusBadge } from './common.js';

/** Health, held approvals, the last runs and the last failures, on one screen. */
export async function render(main) {
  const [health, runs, failed, partial, approvals, connections] = await Promise.all([
    fetch('/healthz')
      .then((r) => r.json())
      .catch(() => ({ status: 'unreachable', checks: {} })),
    get('/sync-runs?limit=10'),
    get('/sync-runs?limit=5&status=failed'),
    get('/sync-runs?limit=5&status=partially_failed'),
    get('/approvals?status=pending&limit=20'),
    all('/connections'),
  ]);
  const names = new Map(connections.map((c) => [c.id, c.name]));
  const runColumns = [
    ['Started', (r) => link(`#/runs/${r.id}`, time(r.startedAt))],
    ['Connection', (r) => names.get(r.connectionId) ?? r.kind],
    ['Kind', (r) => `${r.kind}${r.dryRun ? ' (dry run)' : ''}`],
    ['Status', (r) => statusBadge(r.status)],
    ['Counts', (r) => countsText(r.counts)],
  ];
  put(
    main,
    pageHeader('Overview'),
    h(
      'div',
      { class: 'grid' },
      section(
        'Health',
        h('p', {}, statusBadge(health.status === 'ok' ? 'succeeded' : 'failed'), ' ', health.status),
        h(
          'ul',
          { class: 'plain' },
          Object.entries(health.checks ?? {}).map(([name, check]) =>
            h('li', {}, `${check.ok ? '✓' : '✗'} ${name}`, check.reason ? ` — ${check.reason}` : ''),
          ),
        ),
      ),
      section(
        'Held runs',
        approvals.items.length === 0
          ? h('p', {}, 'No run is waiting for approval.')
          : h('p', {}, link('#/approvals', `${approvals.items.length} run(s) waiting for your approval`)),
      ),
      section(
        'Connections',
        h('p', {}, `${connections.length} configured. `, link('#/connections', 'Manage connections')),
      ),
    ),
    section('Last runs', table('Last runs', runColumns, runs.items, 'No run yet.')),
    section(
      'Recent failures',
      table('Recent failures', runColumns, [...failed.items, ...partial.items], 'No failed run.'),
    ),
  );
}
