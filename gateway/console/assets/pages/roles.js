import { all, api, del, get, post } from '../api.js';
import { describe } from '../app.js';
import { button, clear, field, fill, h, json, link, put, section, select, table, toast } from '../dom.js';
import { pageHeader, tenantName, tenantSelect } from './common.js';

export async function render(main, params) {
  if (params[0]) return renderRole(main, params[0]);
  return renderList(main);
}

async function renderList(main) {
  const roles = await all('/roles');
  const tenant = await tenantSelect({ id: 'role-tenant' });
  const key = h('input', { id: 'role-key', required: true, pattern: '[a-z0-9][a-z0-9_.:-]*' });
  const name = h('input', { id: 'role-name', required: true });
  const error = h('p', { class: 'error', role: 'alert' });
  put(
    main,
    pageHeader('Roles & rules'),
    table(
      'Roles',
      [
        ['Role', (r) => link(`#/roles/${r.id}`, r.name)],
        ['Key', (r) => h('code', {}, r.key)],
        ['Description', (r) => r.description ?? '—'],
      ],
      roles,
      'No role yet.',
    ),
    section(
      'New role',
      h(
        'form',
        {
          class: 'stack',
          onSubmit: async (e) => {
            e.preventDefault();
            error.textContent = '';
            try {
              const role = await post('/roles', { tenantId: tenant.value, key: key.value, name: name.value });
              location.hash = `#/roles/${role.id}`;
            } catch (err) {
              error.textContent = describe(err);
            }
          },
        },
        field('Tenant', tenant),
        field('Key', key, 'what apps see in the roles claim, e.g. engineering'),
        field('Name', name),
        error,
        h('button', { type: 'submit' }, 'Create role'),
      ),
    ),
  );
}

const EXAMPLE = {
  all: [{ attribute: 'status', op: 'eq', value: 'active' }, { department: { code: 'ENG' } }],
};

async function renderRole(main, id) {
  const role = await get(`/roles/${id}`);
  const [rules, entitlements, connections, applications] = await Promise.all([
    all(`/role-rules?roleId=${id}`),
    all(`/entitlements?roleId=${id}`),
    all('/connections?direction=target'),
    all('/applications'),
  ]);
  const connectionName = new Map(connections.map((c) => [c.id, c.name]));
  const appName = new Map(applications.map((a) => [a.id, a.name]));

  // "Who would this rule match": a draft condition evaluated by the sync engine's own evaluator.
  const ruleName = h('input', { id: 'rule-name', required: true });
  const condition = h(
    'textarea',
    { id: 'rule-condition', rows: 6, class: 'mono' },
    JSON.stringify(EXAMPLE, null, 2),
  );
  const subsidiaries = h('input', { id: 'rule-subs', type: 'checkbox', checked: true });
  const ruleError = h('p', { class: 'error', role: 'alert' });
  const preview = h('div', { 'aria-live': 'polite' });
  const parse = () => JSON.parse(condition.value);
  const previewRule = async () => {
    ruleError.textContent = '';
    fill(preview, 'Evaluating…');
    try {
      const result = await post('/role-rules/preview', {
        tenantId: role.tenantId,
        condition: parse(),
        includeSubsidiaries: subsidiaries.checked,
        sample: 20,
      });
      fill(
        preview,
        h('p', {}, `Matches ${result.matched} of ${result.scanned} people.`),
        table(
          'Matching people',
          [
            ['Person', (p) => link(`#/people/${p.personId}`, p.displayName)],
            ['Email', (p) => p.email ?? '—'],
            ['Department', (p) => p.department ?? '—'],
            ['Status', (p) => p.status],
          ],
          result.sample,
          'Nobody matches.',
        ),
      );
    } catch (e) {
      clear(preview);
      ruleError.textContent = describe(e);
    }
  };

  const kind = select(
    ['account', 'group', 'role', 'department', 'permission_set', 'app_access'].map((k) => [k, k]),
    'account',
    { id: 'ent-kind' },
  );
  const connection = select(
    connections.map((c) => [c.id, c.name]),
    connections[0]?.id,
    { id: 'ent-connection' },
  );
  const application = select(
    applications.map((a) => [a.id, a.name]),
    applications[0]?.id,
    { id: 'ent-app' },
  );
  const value = h('input', { id: 'ent-value', placeholder: 'target-side name (group, role…)' });
  const entError = h('p', { class: 'error', role: 'alert' });

  put(
    main,
    pageHeader(role.name),
    h('p', { class: 'meta' }, h('code', {}, role.key), ` · ${await tenantName(role.tenantId)}`),
    section(
      'Rules',
      table(
        'Rules',
        [
          ['Rule', (r) => r.name],
          ['Condition', (r) => json(r.condition)],
          ['Enabled', (r) => (r.enabled ? 'yes' : 'no')],
          [
            'Matches',
            (r) =>
              button(
                'Who matches?',
                async (event) => {
                  const result = await get(`/role-rules/${r.id}/matches?sample=5`);
                  event.target.replaceWith(`${result.matched} of ${result.scanned}`);
                },
                { class: 'link' },
              ),
          ],
          [
            'Remove',
            (r) =>
              button(
                'Delete',
                async () => {
                  if (!confirm(`Delete rule ${r.name}?`)) return;
                  await del(`/role-rules/${r.id}`);
                  location.reload();
                },
                { class: 'link', 'aria-label': `Delete rule ${r.name}` },
              ),
          ],
        ],
        rules,
        'No rule gives this role yet.',
      ),
      h(
        'form',
        {
          class: 'stack',
          onSubmit: async (e) => {
            e.preventDefault();
            ruleError.textContent = '';
            try {
              await post('/role-rules', {
                roleId: id,
                name: ruleName.value,
                condition: parse(),
                includeSubsidiaries: subsidiaries.checked,
              });
              toast('Rule created');
              location.reload();
            } catch (err) {
              ruleError.textContent = describe(err);
            }
          },
        },
        h('h3', {}, 'New rule'),
        field('Name', ruleName),
        field(
          'Condition (JSON)',
          condition,
          'all / any / not over { attribute, op, value }, { department }, { subsidiary }, { memberOf }',
        ),
        h(
          'div',
          { class: 'field inline' },
          subsidiaries,
          h('label', { for: 'rule-subs' }, 'Also for subsidiaries'),
        ),
        ruleError,
        h(
          'div',
          { class: 'actions' },
          button('Who would this rule match?', previewRule, { class: 'secondary' }),
          h('button', { type: 'submit' }, 'Create rule'),
        ),
        preview,
      ),
    ),
    section(
      'Entitlements',
      table(
        'Entitlements',
        [
          ['Kind', (e) => e.kind],
          [
            'In',
            (e) =>
              e.connectionId
                ? (connectionName.get(e.connectionId) ?? e.connectionId)
                : (appName.get(e.applicationId) ?? e.applicationId),
          ],
          ['Value', (e) => e.value || '—'],
          [
            'Remove',
            (e) =>
              button('Delete', async () => (await del(`/entitlements/${e.id}`), location.reload()), {
                class: 'link',
                'aria-label': `Delete entitlement ${e.kind}`,
              }),
          ],
        ],
        entitlements,
        'This role grants nothing yet.',
      ),
      h(
        'form',
        {
          class: 'stack',
          onSubmit: async (e) => {
            e.preventDefault();
            entError.textContent = '';
            const appAccess = kind.value === 'app_access';
            try {
              await api('POST', '/entitlements', {
                roleId: id,
                kind: kind.value,
                ...(appAccess ? { applicationId: application.value } : { connectionId: connection.value }),
                value: value.value,
              });
              location.reload();
            } catch (err) {
              entError.textContent = describe(err);
            }
          },
        },
        h('h3', {}, 'Grant'),
        field('Kind', kind),
        field('Connection', connection),
        field('Application (for app_access)', application),
        field('Value', value),
        entError,
        h('button', { type: 'submit' }, 'Add entitlement'),
      ),
    ),
  );
}
