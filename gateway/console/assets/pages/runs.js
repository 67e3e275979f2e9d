import { all, get, query } from '../api.js';
import { describe } from '../app.js';
import { button, clear, field, fill, h, link, put, section, select, table, time, toast } from '../dom.js';
import { countsText, pageHeader, pager, statusBadge } from './common.js';

const STATUSES = ['running', 'held', 'succeeded', 'partially_failed', 'failed', 'cancelled', 'rejected'];
const ACTIONS = ['create', 'update', 'disable', 'enable', 'delete', 'move', 'leaver', 'skip'];
const EVENT_STATUSES = ['ok', 'planned', 'failed', 'quarantined'];

export async function render(main, params) {
  if (params[0]) return renderRun(main, params[0]);
  return renderList(main);
}

async function renderList(main) {
  const connections = await all('/connections');
  const names = new Map(connections.map((c) => [c.id, c.name]));
  const connection = select([['', 'all connections'], ...connections.map((c) => [c.id, c.name])], '', {
    id: 'runs-connection',
  });
  const status = select([['', 'any status'], ...STATUSES.map((s) => [s, s])], '', { id: 'runs-status' });
  const body = h('div');
  const load = () => {
    clear(body);
    let rows = [];
    const list = pager(
      (cursor) =>
        get(
          `/sync-runs${query({ connectionId: connection.value, status: status.value, limit: 25, cursor })}`,
        ),
      (items) => {
        rows = [...rows, ...items];
        fill(
          tableBox,
          table(
            'Runs',
            [
              ['Started', (r) => link(`#/runs/${r.id}`, time(r.startedAt))],
              ['Connection', (r) => names.get(r.connectionId) ?? '—'],
              ['Kind', (r) => `${r.kind} ${r.mode}${r.dryRun ? ' (dry run)' : ''}`],
              ['Trigger', (r) => r.trigger],
              ['Status', (r) => statusBadge(r.status)],
              ['Counts', (r) => countsText(r.counts)],
            ],
            rows,
            'No run matches.',
          ),
        );
      },
    );
    const tableBox = h('div');
    put(body, tableBox, list.element);
    void list.start();
  };
  connection.addEventListener('change', load);
  status.addEventListener('change', load);
  put(
    main,
    pageHeader('Runs'),
    h('div', { class: 'filters' }, field('Connection', connection), field('Status', status)),
    body,
  );
  load();
}

function diffList(diff) {
  if (!diff) return '—';
  return h(
    'ul',
    { class: 'diff' },
    Object.entries(diff).map(([key, change]) =>
      h(
        'li',
        {},
        h('span', { class: 'diff-key' }, key),
        ': ',
        h('del', {}, JSON.stringify(change.from ?? null)),
        ' → ',
        h('ins', {}, JSON.stringify(change.to ?? null)),
      ),
    ),
  );
}

/** One run: counts that update while it runs, then every object it touched with its diff or error. */
async function renderRun(main, id) {
  let run = await get(`/sync-runs/${id}`);
  const connection = run.connectionId
    ? await get(`/connections/${run.connectionId}`).catch(() => null)
    : null;
  const head = h('div');
  const counts = h('dl', { class: 'counts', 'aria-live': 'polite' });
  const progress = h('p', { class: 'meta', 'aria-live': 'polite' });
  const drawHead = () => {
    fill(
      head,
      pageHeader(`${run.dryRun ? 'Dry run' : 'Run'} of ${connection?.name ?? run.kind}`),
      h(
        'p',
        { class: 'meta' },
        statusBadge(run.status),
        ` ${run.kind} · ${run.mode} · ${run.trigger} · started `,
        time(run.startedAt),
        run.finishedAt ? [' · finished ', time(run.finishedAt)] : '',
      ),
      run.error ? h('p', { class: 'error', role: 'alert' }, `${run.error.code}: ${run.error.message}`) : null,
      run.status === 'held'
        ? h(
            'p',
            {},
            'This run is held by the deletion threshold. ',
            link('#/approvals', 'Approve or reject it'),
          )
        : null,
    );
    clear(counts);
    for (const [key, value] of Object.entries(run.counts))
      put(counts, h('div', {}, h('dt', {}, key), h('dd', {}, String(value))));
    if (Object.keys(run.counts).length === 0)
      put(counts, h('div', {}, h('dt', {}, 'objects'), h('dd', {}, '0')));
  };
  drawHead();

  const action = select([['', 'any action'], ...ACTIONS.map((a) => [a, a])], '', { id: 'ev-action' });
  const status = select(
    [['', 'any status'], ...EVENT_STATUSES.map((s) => [s, s])],
    run.dryRun ? 'planned' : '',
    { id: 'ev-status' },
  );
  const events = h('div');
  const loadEvents = () => {
    clear(events);
    let rows = [];
    const box = h('div');
    const list = pager(
      (cursor) =>
        get(
          `/sync-runs/${id}/events${query({ action: action.value, status: status.value, limit: 100, cursor })}`,
        ),
      (items) => {
        rows = [...rows, ...items];
        fill(
          box,
          table(
            run.dryRun ? 'Plan' : 'Objects',
            [
              [
                'Object',
                (e) =>
                  (e.objectType === 'account' || e.objectType === 'person') && e.objectId
                    ? (e.label ?? e.externalId)
                    : (e.label ?? e.externalId ?? e.objectType),
              ],
              ['Type', (e) => e.objectType],
              ['Action', (e) => e.action],
              ['Status', (e) => statusBadge(e.status)],
              ['Changes', (e) => diffList(e.diff)],
              [
                'Error',
                (e) =>
                  e.error
                    ? h(
                        'span',
                        { class: 'error' },
                        `${e.error.code}: ${e.error.message}${e.error.vendorMessage ? ` (${e.error.vendorCode ?? ''} ${e.error.vendorMessage})` : ''}`,
                      )
                    : '—',
              ],
            ],
            rows,
            'No object matches these filters.',
          ),
        );
      },
    );
    put(events, box, list.element);
    void list.start();
  };
  action.addEventListener('change', loadEvents);
  status.addEventListener('change', loadEvents);

  put(
    main,
    head,
    section('Progress', counts, progress),
    section(
      run.dryRun ? 'Plan (nothing was written)' : 'Objects',
      h('div', { class: 'filters' }, field('Action', action), field('Status', status)),
      events,
    ),
  );
  loadEvents();

  // Live progress: poll the run while it is going, then show the final objects once.
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    try {
      const wasActive = run.status === 'running' || run.status === 'held';
      run = await get(`/sync-runs/${id}`);
      drawHead();
      if (run.status === 'running' || run.status === 'held') {
        const p = await get(`/sync-runs/${id}/progress`);
        progress.textContent = p.phase
          ? `Phase: ${p.phase} · pages done: ${p.pages}${p.held ? ' · held' : ''}`
          : '';
        setTimeout(tick, 1500);
      } else {
        progress.textContent = '';
        if (wasActive) loadEvents();
      }
    } catch (e) {
      toast(describe(e), 'error');
    }
  };
  if (run.status === 'running' || run.status === 'held') setTimeout(tick, 1000);
  return () => {
    stopped = true;
  };
}

export { button };
