import { ApiError, all, api, get, patch, post } from '../api.js';
import { describe } from '../app.js';
import {
  badge,
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
import { schemaForm } from '../schema-form.js';
import { countsText, pageHeader, slugify, statusBadge, tenantName, tenantSelect } from './common.js';

export async function render(main, params) {
  if (params[0] === 'new') return renderNew(main);
  if (params[0]) return renderDetail(main, params[0]);
  return renderList(main);
}

async function renderList(main) {
  const connections = await all('/connections');
  const rows = await Promise.all(
    connections.map(async (c) => ({ ...c, tenant: await tenantName(c.tenantId) })),
  );
  put(
    main,
    pageHeader('Connections', link('#/connections/new', 'New connection')),
    table(
      'Connections',
      [
        ['Name', (c) => link(`#/connections/${c.id}`, c.name)],
        ['Connector', (c) => c.connectorId],
        ['Direction', (c) => c.direction],
        ['Tenant', (c) => c.tenant],
        ['Schedule', (c) => scheduleText(c.schedule)],
        ['Enabled', (c) => (c.enabled ? 'yes' : 'no')],
      ],
      rows,
      'No connection yet: create one to read HR or provision a system.',
    ),
  );
}

function scheduleText(s) {
  if (!s) return '—';
  const every = s.cron
    ? `cron ${s.cron}`
    : s.intervalSeconds
      ? `every ${Math.round(s.intervalSeconds / 60)} min`
      : 'nightly only';
  return `${every}${s.paused ? ' (paused)' : ''}`;
}

async function renderNew(main) {
  const connectors = (await get('/connectors')).items;
  const tenant = await tenantSelect({ id: 'new-tenant' });
  const connector = select(
    connectors.map((c) => [c.id, c.title]),
    connectors[0]?.id,
    { id: 'new-connector' },
  );
  const direction = h('select', { id: 'new-direction' });
  const name = h('input', { id: 'new-name', required: true, autocomplete: 'off' });
  const slug = h('input', {
    id: 'new-slug',
    required: true,
    pattern: '[a-z0-9][a-z0-9-]*',
    autocomplete: 'off',
  });
  const interval = h('input', {
    id: 'new-interval',
    type: 'number',
    min: 1,
    placeholder: 'minutes (empty: nightly full run only)',
  });
  const configBox = h('fieldset', { class: 'config' });
  const error = h('p', { class: 'error', role: 'alert' });
  let form = schemaForm({});
  const refresh = () => {
    const chosen = connectors.find((c) => c.id === connector.value);
    fill(direction, ...(chosen?.directions ?? []).map((d) => h('option', { value: d }, d)));
    form = schemaForm(chosen?.configSchema ?? {});
    fill(
      configBox,
      h('legend', {}, `${chosen?.title ?? ''} settings`),
      chosen?.description ? h('p', { class: 'hint' }, chosen.description) : null,
      ...form.fields,
    );
  };
  connector.addEventListener('change', refresh);
  name.addEventListener('input', () => {
    if (!slug.dataset.edited) slug.value = slugify(name.value);
  });
  slug.addEventListener('input', () => (slug.dataset.edited = '1'));
  refresh();
  const submit = async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      const body = {
        tenantId: tenant.value,
        connectorId: connector.value,
        direction: direction.value,
        name: name.value,
        slug: slug.value,
        config: form.read(),
        ...(interval.value ? { schedule: { intervalSeconds: Number(interval.value) * 60 } } : {}),
      };
      const created = await post('/connections', body);
      toast(`Connection ${created.name} created`);
      location.hash = `#/connections/${created.id}`;
    } catch (e) {
      error.textContent = describe(e);
    }
  };
  put(
    main,
    pageHeader('New connection'),
    h(
      'form',
      { class: 'stack card', onSubmit: submit },
      field('Tenant', tenant),
      field('Connector', connector),
      field('Direction', direction, 'A source feeds the directory; a target receives accounts'),
      field('Name', name),
      field('Slug', slug, 'lower-case letters, digits and hyphens'),
      configBox,
      field('Incremental sync every', interval),
      error,
      h('button', { type: 'submit' }, 'Create connection'),
    ),
  );
}

/** Starts a run and opens it: the API says the run id once the worker has begun it. */
export async function startAndOpen(path, body) {
  const started = await post(path, body);
  let runId = started.runId;
  for (let i = 0; !runId && i < 40; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    runId = (await get(`/sync-runs?workflowId=${encodeURIComponent(started.workflowId)}&limit=1`)).items[0]
      ?.id;
  }
  if (runId) location.hash = `#/runs/${runId}`;
  else toast('The run was started; it will show under Runs when a worker picks it up');
}

async function renderDetail(main, id) {
  const response = await api('GET', `/connections/${id}`);
  let connection = response.body;
  let etag = response.etag;
  const connectors = (await get('/connectors')).items;
  const connector = connectors.find((c) => c.id === connection.connectorId);
  const checkResult = h('div', { class: 'check-result', role: 'status', 'aria-live': 'polite' });

  const test = button('Test connection', async () => {
    fill(checkResult, 'Testing…');
    try {
      const result = await post(`/connections/${id}/check`);
      fill(
        checkResult,
        result.ok ? badge('ok', 'succeeded') : badge('failed', 'failed'),
        ' ',
        result.message,
        result.error?.vendorMessage
          ? ` (vendor: ${result.error.vendorCode ?? ''} ${result.error.vendorMessage})`
          : '',
        ` — ${result.durationMs} ms`,
      );
    } catch (e) {
      fill(checkResult, describe(e));
    }
  });
  const mode = select(
    [
      ['incremental', 'incremental'],
      ['full', 'full'],
    ],
    'full',
    { id: 'run-mode', 'aria-label': 'Run mode' },
  );
  const runNow = button('Run now', () =>
    startAndOpen(`/connections/${id}/run`, { mode: mode.value }).catch((e) => toast(describe(e), 'error')),
  );
  const dryRun = button(
    'Dry run',
    () =>
      startAndOpen(`/connections/${id}/dry-run`, { mode: mode.value }).catch((e) =>
        toast(describe(e), 'error'),
      ),
    { class: 'secondary' },
  );
  const pushOnly = connector?.pushOnly;

  put(
    main,
    pageHeader(
      connection.name,
      ...(pushOnly
        ? []
        : [test, h('label', { class: 'inline', for: 'run-mode' }, 'Mode'), mode, dryRun, runNow]),
    ),
    h(
      'p',
      { class: 'meta' },
      `${connector?.title ?? connection.connectorId} · ${connection.direction} · ${await tenantName(connection.tenantId)}`,
    ),
    checkResult,
  );

  if (pushOnly) {
    put(main, scimSection(connection));
  } else {
    // Settings: the connector's own schema; secrets write-only.
    const form = schemaForm(
      connector?.configSchema ?? {},
      connection.config,
      Object.fromEntries(Object.entries(connection.secrets).map(([k, v]) => [k, v.set])),
    );
    const name = h('input', { value: connection.name });
    const settingsError = h('p', { class: 'error', role: 'alert' });
    put(
      main,
      section(
        'Settings',
        h(
          'form',
          {
            class: 'stack',
            onSubmit: async (event) => {
              event.preventDefault();
              settingsError.textContent = '';
              try {
                const saved = await api(
                  'PATCH',
                  `/connections/${id}`,
                  { name: name.value, config: form.read() },
                  { 'if-match': etag },
                );
                connection = saved.body;
                etag = saved.etag;
                toast('Settings saved');
              } catch (e) {
                settingsError.textContent =
                  e instanceof ApiError && e.status === 412
                    ? 'Someone changed this connection meanwhile: reload the page.'
                    : describe(e);
              }
            },
          },
          field('Name', name),
          form.fields,
          settingsError,
          h('button', { type: 'submit' }, 'Save settings'),
        ),
      ),
      scheduleSection(
        connection,
        () => etag,
        (c, e) => ((connection = c), (etag = e)),
      ),
    );
    if (connection.direction === 'target')
      put(
        main,
        mappingSection(
          connection,
          () => etag,
          (c, e) => ((connection = c), (etag = e)),
        ),
      );
  }
  const runs = await get(`/sync-runs?connectionId=${id}&limit=10`);
  put(
    main,
    section(
      'Recent runs',
      table(
        'Recent runs',
        [
          ['Started', (r) => link(`#/runs/${r.id}`, time(r.startedAt))],
          ['Kind', (r) => `${r.kind} ${r.mode}${r.dryRun ? ' (dry run)' : ''}`],
          ['Status', (r) => statusBadge(r.status)],
          ['Counts', (r) => countsText(r.counts)],
        ],
        runs.items,
        'No run yet.',
      ),
    ),
  );
}

function scheduleSection(connection, etag, update) {
  const s = connection.schedule ?? {};
  const interval = h('input', {
    type: 'number',
    min: 1,
    value: s.intervalSeconds ? Math.round(s.intervalSeconds / 60) : '',
  });
  const cron = h('input', { value: s.cron ?? '', placeholder: '*/15 * * * *' });
  const full = h('input', { value: s.fullReconcileCron ?? '', placeholder: '0 2 * * * (default)' });
  const state = h('p', {}, s.paused ? 'Paused.' : 'Running on schedule.');
  const error = h('p', { class: 'error', role: 'alert' });
  const toggle = button(
    s.paused ? 'Resume' : 'Pause',
    async () => {
      try {
        const current = connection.schedule?.paused;
        const result = await api('POST', `/connections/${connection.id}/${current ? 'resume' : 'pause'}`);
        update(result.body, result.etag);
        connection = result.body;
        state.textContent = connection.schedule.paused ? 'Paused.' : 'Running on schedule.';
        toggle.textContent = connection.schedule.paused ? 'Resume' : 'Pause';
        toast(connection.schedule.paused ? 'Schedule paused' : 'Schedule resumed');
      } catch (e) {
        toast(describe(e), 'error');
      }
    },
    { class: 'secondary' },
  );
  return section(
    'Schedule',
    state,
    toggle,
    h(
      'form',
      {
        class: 'stack',
        onSubmit: async (event) => {
          event.preventDefault();
          error.textContent = '';
          const schedule = {
            ...(interval.value ? { intervalSeconds: Number(interval.value) * 60 } : {}),
            ...(cron.value.trim() ? { cron: cron.value.trim() } : {}),
            ...(full.value.trim() ? { fullReconcileCron: full.value.trim() } : {}),
            paused: connection.schedule?.paused ?? false,
          };
          try {
            const saved = await api(
              'PATCH',
              `/connections/${connection.id}`,
              { schedule },
              { 'if-match': etag() },
            );
            update(saved.body, saved.etag);
            connection = saved.body;
            toast('Schedule saved');
          } catch (e) {
            error.textContent = describe(e);
          }
        },
      },
      field('Incremental run every (minutes)', interval),
      field('…or on a cron expression', cron),
      field('Full reconcile (cron)', full, 'Repairs drift and finds leavers'),
      error,
      h('button', { type: 'submit' }, 'Save schedule'),
    ),
  );
}

/** Mapping editor: one row per target attribute (field path, constant or JSONata expression), with a preview. */
function mappingSection(connection, etag, update) {
  const rows = h('tbody');
  const addRow = (target = '', rule = '') => {
    const kind =
      typeof rule === 'string'
        ? 'source'
        : 'constant' in rule
          ? 'constant'
          : 'expression' in rule
            ? 'expression'
            : 'source';
    const value =
      typeof rule === 'string'
        ? rule
        : (rule.source ?? rule.expression ?? JSON.stringify(rule.constant ?? ''));
    const n = rows.children.length + 1;
    const tr = h(
      'tr',
      {},
      h('td', {}, h('input', { class: 'm-target', value: target, 'aria-label': `Target attribute ${n}` })),
      h(
        'td',
        {},
        select(
          [
            ['source', 'field'],
            ['constant', 'constant'],
            ['expression', 'expression'],
          ],
          kind,
          { class: 'm-kind', 'aria-label': `Kind ${n}` },
        ),
      ),
      h('td', {}, h('input', { class: 'm-value mono', value, 'aria-label': `Value ${n}` })),
      h(
        'td',
        {},
        button('Remove', () => tr.remove(), { class: 'link', 'aria-label': `Remove mapping ${n}` }),
      ),
    );
    put(rows, tr);
  };
  for (const [target, rule] of Object.entries(connection.mappings ?? {})) addRow(target, rule);
  if (rows.children.length === 0) addRow();
  const scope = h('textarea', { rows: 2, class: 'mono', id: 'scope-filter' }, connection.scopeFilter ?? '');
  const read = () => {
    const mappings = {};
    for (const tr of rows.children) {
      const target = tr.querySelector('.m-target').value.trim();
      const kind = tr.querySelector('.m-kind').value;
      const value = tr.querySelector('.m-value').value;
      if (!target) continue;
      if (kind === 'source') mappings[target] = value.trim();
      else if (kind === 'expression') mappings[target] = { expression: value };
      else {
        let constant = value;
        try {
          constant = JSON.parse(value);
        } catch {
          // Plain text constant.
        }
        mappings[target] = { constant };
      }
    }
    return { mappings, scopeFilter: scope.value.trim() === '' ? null : scope.value };
  };
  const preview = h('div', { class: 'preview', 'aria-live': 'polite' });
  const error = h('p', { class: 'error', role: 'alert' });
  return section(
    'Mapping',
    h(
      'p',
      { class: 'hint' },
      'Target attribute ← a person field (email, jobTitle, department.name, attributes.x), a constant, or a JSONata expression.',
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'mapping' },
        h('caption', { class: 'visually-hidden' }, 'Attribute mapping'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Target attribute'),
            h('th', { scope: 'col' }, 'From'),
            h('th', { scope: 'col' }, 'Value'),
            h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Remove')),
          ),
        ),
        rows,
      ),
    ),
    button('Add attribute', () => addRow(), { class: 'secondary' }),
    field('Scope filter (JSONata, empty = everyone)', scope),
    error,
    h(
      'div',
      { class: 'actions' },
      button(
        'Preview',
        async () => {
          error.textContent = '';
          fill(preview, 'Computing…');
          try {
            const result = await post(`/connections/${connection.id}/preview-mapping`, {
              ...read(),
              sample: 5,
            });
            fill(
              preview,
              table(
                'Mapping preview',
                [
                  ['Person', (r) => link(`#/people/${r.personId}`, r.displayName)],
                  ['Account?', (r) => (r.wanted ? 'yes' : `no (${r.reason})`)],
                  ['User name', (r) => r.account.userName],
                  ['Attributes', (r) => json(r.account.attributes)],
                  ['Errors', (r) => (Object.keys(r.errors).length ? json(r.errors) : '—')],
                ],
                result.items,
                'No people to preview yet: run the HR source first.',
              ),
            );
          } catch (e) {
            clear(preview);
            error.textContent = describe(e);
          }
        },
        { class: 'secondary' },
      ),
      button('Save mapping', async () => {
        error.textContent = '';
        try {
          const saved = await api('PATCH', `/connections/${connection.id}`, read(), { 'if-match': etag() });
          update(saved.body, saved.etag);
          toast('Mapping saved');
        } catch (e) {
          error.textContent = describe(e);
        }
      }),
    ),
    preview,
  );
}

function scimSection(connection) {
  const out = h('div', { 'aria-live': 'polite' });
  return section(
    'Inbound SCIM',
    h(
      'p',
      {},
      'Point your identity provider’s SCIM provisioning at ',
      h('code', {}, `${location.origin}/scim/v2`),
      ' with a token made here.',
    ),
    button('Create SCIM token', async () => {
      try {
        const token = await post('/api-tokens', {
          kind: 'scim',
          connectionId: connection.id,
          name: `${connection.name} SCIM`,
        });
        fill(
          out,
          h('p', {}, 'Copy it now; it is not shown again: '),
          h('code', { class: 'secret' }, token.token),
        );
      } catch (e) {
        toast(describe(e), 'error');
      }
    }),
    out,
  );
}

export { patch };
