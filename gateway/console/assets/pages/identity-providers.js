import { all, post } from '../api.js';
import { describe } from '../app.js';
import { field, h, put, section, select, table, toast } from '../dom.js';
import { pageHeader, slugify, tenantName, tenantSelect } from './common.js';

const TEMPLATES = {
  oidc: { config: { issuer: 'https://idp.example.com', clientId: 'junction' }, secret: 'clientSecret' },
  saml: {
    config: {
      entryPoint: 'https://idp.example.com/sso',
      idpEntityId: 'https://idp.example.com',
      idpCertificates: ['-----BEGIN CERTIFICATE-----…'],
    },
    secret: null,
  },
  ldap: {
    config: {
      url: 'ldaps://ad.example.com:636',
      baseDn: 'dc=example,dc=com',
      bindDn: 'cn=junction,dc=example,dc=com',
    },
    secret: 'bindPassword',
  },
  password: { config: { secondFactor: 'optional' }, secret: null },
};

export async function render(main) {
  const providers = await all('/identity-providers');
  const rows = await Promise.all(
    providers.map(async (p) => ({ ...p, tenant: await tenantName(p.tenantId) })),
  );
  const tenant = await tenantSelect({ id: 'idp-tenant' });
  const kind = select(
    Object.keys(TEMPLATES).map((k) => [k, k]),
    'oidc',
    { id: 'idp-kind' },
  );
  const name = h('input', { id: 'idp-name', required: true });
  const config = h(
    'textarea',
    { id: 'idp-config', rows: 6, class: 'mono' },
    JSON.stringify(TEMPLATES.oidc.config, null, 2),
  );
  const secret = h('input', { id: 'idp-secret', type: 'password', autocomplete: 'new-password' });
  const secretLabel = h('label', { for: 'idp-secret' }, 'clientSecret');
  const linkBy = select(
    [
      ['verified_email', 'verified email'],
      ['employee_number', 'employee number'],
    ],
    'verified_email',
    { id: 'idp-link' },
  );
  const error = h('p', { class: 'error', role: 'alert' });
  kind.addEventListener('change', () => {
    const t = TEMPLATES[kind.value];
    config.value = JSON.stringify(t.config, null, 2);
    secretLabel.textContent = t.secret ?? '(no secret for this kind)';
    secret.disabled = !t.secret;
  });
  put(
    main,
    pageHeader('Identity providers'),
    table(
      'Identity providers',
      [
        ['Name', (p) => p.name],
        ['Kind', (p) => p.kind],
        ['Tenant', (p) => p.tenant],
        ['Links people by', (p) => p.linkBy.replace('_', ' ')],
        [
          'Secrets',
          (p) =>
            Object.entries(p.secrets)
              .map(([k, v]) => `${k}: ${v.set ? 'set' : 'not set'}`)
              .join(', ') || '—',
        ],
        ['Enabled', (p) => (p.enabled ? 'yes' : 'no')],
      ],
      rows,
      'No identity provider yet.',
    ),
    section(
      'Add an identity provider',
      h(
        'form',
        {
          class: 'stack',
          onSubmit: async (e) => {
            e.preventDefault();
            error.textContent = '';
            try {
              const t = TEMPLATES[kind.value];
              const body = {
                tenantId: tenant.value,
                kind: kind.value,
                name: name.value,
                slug: slugify(name.value),
                config: JSON.parse(config.value),
                linkBy: linkBy.value,
              };
              if (t.secret && secret.value) body.secrets = { [t.secret]: secret.value };
              await post('/identity-providers', body);
              toast('Identity provider added');
              location.reload();
            } catch (err) {
              error.textContent = describe(err);
            }
          },
        },
        field('Tenant', tenant),
        field('Kind', kind),
        field('Name', name),
        field('Settings (JSON)', config),
        h('div', { class: 'field' }, secretLabel, secret),
        field('Link upstream identities by', linkBy, 'never by an unverified email'),
        error,
        h('button', { type: 'submit' }, 'Add'),
      ),
    ),
  );
}
