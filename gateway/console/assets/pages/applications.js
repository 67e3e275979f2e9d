import { all, post } from '../api.js';
import { describe } from '../app.js';
import { field, fill, h, put, section, select, table } from '../dom.js';
import { pageHeader, slugify, tenantSelect } from './common.js';

export async function render(main) {
  const apps = await all('/applications');
  const tenant = await tenantSelect({ id: 'app-tenant' });
  const protocol = select(
    [
      ['oidc', 'OpenID Connect'],
      ['saml', 'SAML 2.0'],
    ],
    'oidc',
    { id: 'app-protocol' },
  );
  const name = h('input', { id: 'app-name', required: true });
  const target = h('input', {
    id: 'app-target',
    required: true,
    type: 'url',
    placeholder: 'https://app.example.com/callback',
  });
  const entityId = h('input', { id: 'app-entity', placeholder: 'SAML SP entity id' });
  const openToAll = h('input', { id: 'app-open', type: 'checkbox' });
  const error = h('p', { class: 'error', role: 'alert' });
  const secret = h('div', { 'aria-live': 'polite' });
  put(
    main,
    pageHeader('Applications'),
    table(
      'Applications',
      [
        ['Name', (a) => a.name],
        ['Protocol', (a) => a.protocol],
        ['Client / entity id', (a) => h('code', {}, a.clientId)],
        [
          'Who may sign in',
          (a) => (a.openToAll ? 'everyone in the tenant' : 'people with an app_access entitlement'),
        ],
        ['Enabled', (a) => (a.enabled ? 'yes' : 'no')],
      ],
      apps,
      'No application yet.',
    ),
    section(
      'Register an application',
      h(
        'form',
        {
          class: 'stack',
          onSubmit: async (e) => {
            e.preventDefault();
            error.textContent = '';
            try {
              const base = {
                tenantId: tenant.value,
                name: name.value,
                slug: slugify(name.value),
                openToAll: openToAll.checked,
              };
              const made =
                protocol.value === 'oidc'
                  ? await post('/applications', {
                      ...base,
                      protocol: 'oidc',
                      oidc: { redirectUris: [target.value] },
                    })
                  : await post('/applications', {
                      ...base,
                      protocol: 'saml',
                      saml: { entityId: entityId.value || target.value, acsUrl: target.value },
                    });
              fill(
                secret,
                h('p', {}, `Registered ${made.name}. Client id: `, h('code', {}, made.clientId)),
                made.clientSecretValue
                  ? h(
                      'p',
                      {},
                      'Client secret (shown once, copy it now): ',
                      h('code', { class: 'secret' }, made.clientSecretValue),
                    )
                  : null,
              );
            } catch (err) {
              error.textContent = describe(err);
            }
          },
        },
        field('Tenant', tenant),
        field('Protocol', protocol),
        field('Name', name),
        field('Redirect URI (OIDC) or ACS URL (SAML)', target),
        field('SAML entity id', entityId),
        h(
          'div',
          { class: 'field inline' },
          openToAll,
          h('label', { for: 'app-open' }, 'Everyone in the tenant may sign in'),
        ),
        error,
        h('button', { type: 'submit' }, 'Register'),
      ),
      secret,
    ),
  );
}
