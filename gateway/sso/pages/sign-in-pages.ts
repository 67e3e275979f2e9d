import type { LauncherTile } from '../../../sso/access/person-app-view.js';
import type { OfferedProvider } from '../../../sso/discovery/home-realm.js';
import { html, trusted, type Html } from './html.js';
import { layout } from './layout.js';

interface PageBase {
  nonce: string;
}

interface FormBase extends PageBase {
  txId: string;
  csrf: string;
}

function errorBox(error: string | undefined): Html | string {
  return error ? html`<div class="error" role="alert">${error}</div>` : '';
}

/** Home-realm discovery: "which organisation are you from?" asked as an email address. */
export function emailPage(p: FormBase & { email?: string; error?: string; appName?: string }): string {
  return layout({
    title: 'Sign in',
    nonce: p.nonce,
    body: html`<h1>Sign in${p.appName ? html` to ${p.appName}` : ''}</h1>
      ${errorBox(p.error)}
      <form method="post" action="/sso/login/${p.txId}/discover">
        <input type="hidden" name="csrf" value="${p.csrf}" />
        <label for="email">Work email</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          required
          autofocus
          value="${p.email ?? ''}"
        />
        <button type="submit">Continue</button>
      </form>`,
  });
}

/** When a tenant offers several ways to sign in. */
export function chooserPage(
  p: FormBase & { email: string; tenantName: string; providers: OfferedProvider[] },
): string {
  return layout({
    title: 'Choose how to sign in',
    nonce: p.nonce,
    body: html`<h1>Sign in to ${p.tenantName}</h1>
      <p class="muted">${p.email}</p>
      <form method="post" action="/sso/login/${p.txId}/choose">
        <input type="hidden" name="csrf" value="${p.csrf}" />
        ${p.providers.map((provider) => html`<button type="submit" name="providerId" value="${provider.id}">${provider.name}</button>`)}
      </form>`,
  });
}

/** Junction's own password, or an LDAP / Active Directory bind. */
export function credentialsPage(
  p: FormBase & { providerId: string; providerName: string; email: string; error?: string },
): string {
  return layout({
    title: 'Sign in',
    nonce: p.nonce,
    body: html`<h1>${p.providerName}</h1>
      ${errorBox(p.error)}
      <form method="post" action="/sso/login/${p.txId}/password">
        <input type="hidden" name="csrf" value="${p.csrf}" />
        <input type="hidden" name="providerId" value="${p.providerId}" />
        <label for="login">Email or username</label>
        <input id="login" name="login" type="text" autocomplete="username" required value="${p.email}" />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          autofocus
        />
        <button type="submit">Sign in</button>
      </form>`,
  });
}

/** Second factor: a TOTP code, or a security key when one is enrolled. */
export function secondFactorPage(p: FormBase & { methods: ('totp' | 'webauthn')[]; error?: string }): string {
  const webauthn = p.methods.includes('webauthn');
  return layout({
    title: 'Confirm it is you',
    nonce: p.nonce,
    body: html`<h1>Confirm it is you</h1>
      ${errorBox(p.error)}
      ${
        p.methods.includes('totp')
          ? html`<form method="post" action="/sso/login/${p.txId}/totp">
              <input type="hidden" name="csrf" value="${p.csrf}" />
              <label for="code">Code from your authenticator app</label>
              <input
                id="code"
                name="code"
                type="text"
                inputmode="numeric"
                autocomplete="one-time-code"
                pattern="[0-9]{6}"
                required
                autofocus
              />
              <button type="submit">Verify</button>
            </form>`
          : ''
      }
      ${
        webauthn
          ? html`<form
              id="webauthn"
              method="post"
              action="/sso/login/${p.txId}/webauthn"
              data-options="/sso/login/${p.txId}/webauthn/options"
            >
              <input type="hidden" name="csrf" value="${p.csrf}" />
              <input type="hidden" name="response" value="" />
              <button type="submit" class="secondary">Use a security key</button>
            </form>`
          : ''
      }`,
    script: webauthn ? WEBAUTHN_SCRIPT : undefined,
  });
}

// Asks the browser's authenticator for an assertion over the options the gateway issued, then posts it.
const WEBAUTHN_SCRIPT = `
const form = document.getElementById('webauthn');
const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\\+/g,'-').replace(/\\//g,'_').replace(/=+$/,'');
const unb64 = (s) => Uint8Array.from(atob(s.replace(/-/g,'+').replace(/_/g,'/')), c => c.charCodeAt(0));
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const options = await (await fetch(form.dataset.options, { credentials: 'same-origin' })).json();
  options.challenge = unb64(options.challenge);
  options.allowCredentials = (options.allowCredentials || []).map(c => ({ ...c, id: unb64(c.id) }));
  const cred = await navigator.credentials.get({ publicKey: options });
  form.response.value = JSON.stringify({ id: cred.id, rawId: b64(cred.rawId), type: cred.type,
    response: { clientDataJSON: b64(cred.response.clientDataJSON), authenticatorData: b64(cred.response.authenticatorData),
      signature: b64(cred.response.signature), userHandle: cred.response.userHandle ? b64(cred.response.userHandle) : undefined },
    clientExtensionResults: cred.getClientExtensionResults() });
  form.submit();
});`;

/** A full stop: expired, refused, misconfigured. Says what to do next, never why a check failed inside. */
export function messagePage(
  p: PageBase & { title: string; message: string; link?: { href: string; label: string } },
): string {
  return layout({
    title: p.title,
    nonce: p.nonce,
    body: html`<h1>${p.title}</h1>
      <p>${p.message}</p>
      ${p.link ? html`<p><a href="${p.link.href}">${p.link.label}</a></p>` : ''}`,
  });
}

/** An app's sign-in whose pending request (OIDC interaction, SAML AuthnRequest) is gone or expired. */
export function expiredSignInPage(p: PageBase): string {
  return messagePage({
    nonce: p.nonce,
    title: 'This sign-in has expired',
    message: 'Go back to the app and start again.',
  });
}

/** An app's sign-in naming an app Junction does not know. */
export function unknownAppPage(p: PageBase): string {
  return messagePage({
    nonce: p.nonce,
    title: 'Unknown app',
    message: 'This app is not set up in Junction.',
  });
}

export function noAccessPage(p: PageBase & { appName: string }): string {
  return messagePage({
    nonce: p.nonce,
    title: `You don’t have access to ${p.appName}`,
    message: `Your organisation has not given you access to ${p.appName}. Ask your admin to grant it, then try again.`,
    link: { href: '/sso/apps', label: 'Go to your apps' },
  });
}

export function launcherPage(
  p: PageBase & { personName: string; tiles: (LauncherTile & { href: string })[] },
): string {
  return layout({
    title: 'Your apps',
    nonce: p.nonce,
    wide: true,
    body: html`<h1>Your apps</h1>
      <p class="muted">Signed in as ${p.personName} · <a href="/sso/logout">Sign out</a></p>
      ${
        p.tiles.length === 0
          ? html`<p>No apps have been given to you yet. Ask your admin.</p>`
          : html`<ul class="tiles">
              ${p.tiles.map((tile) => html`<li><a href="${tile.href}" data-app="${tile.slug}">${tile.name}</a></li>`)}
            </ul>`
      }`,
  });
}

/** SAML HTTP-POST binding (SAML bindings §3.5.4): a form the browser submits to the other party by itself. */
export function autoPostPage(p: PageBase & { action: string; fields: Record<string, string> }): string {
  return layout({
    title: 'Signing you in',
    nonce: p.nonce,
    body: html`<form method="post" action="${p.action}" id="auto-post">
      ${Object.entries(p.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}" />`)}
      <p>Signing you in…</p>
      <noscript><button type="submit">Continue</button></noscript>
    </form>`,
    script: `document.getElementById('auto-post').submit();`,
  });
}

/** RP-initiated logout confirmation; `form` is oidc-provider's own form with its xsrf token. */
export function logoutConfirmPage(p: PageBase & { form: string }): string {
  return layout({
    title: 'Sign out',
    nonce: p.nonce,
    body: html`<h1>Sign out of all apps?</h1>
      ${trusted(p.form) /* oidc-provider's own form: its URL and an opaque xsrf value */}
      <button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
      <button type="submit" form="op.logoutForm" class="secondary">No, stay signed in</button>`,
  });
}

export function signedOutPage(p: PageBase): string {
  return messagePage({
    nonce: p.nonce,
    title: 'You are signed out',
    message: 'You have been signed out of Junction and the apps you used through it.',
    link: { href: '/sso/apps', label: 'Sign in again' },
  });
}
