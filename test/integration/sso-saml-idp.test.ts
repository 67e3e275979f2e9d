import { sign } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { SAML, ValidateInResponseTo, type CacheProvider, type SamlConfig } from '@node-saml/node-saml';
import * as client from 'openid-client';
import { createOidcApplication, createSamlApplication } from '../../sso/admin/applications.js';
import { createIdentityProvider } from '../../sso/admin/identity-providers.js';
import { createPasswordIdentity } from '../../sso/admin/local-accounts.js';
import { generateSamlKey, type GeneratedSamlKey } from '../../sso/provider/keys/generate-keys.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { SsoBrowser, type Page } from '../harness/sso-browser.js';
import { startRelyingParty, type RelyingParty } from '../harness/relying-party.js';
import { authorize, completePasswordLogin, redeem, signInWithPassword } from '../harness/sso-scenarios.js';
import {
  auditRows,
  grantApplication,
  seedPerson,
  seedTenant,
  startSsoGateway,
  testVault,
  type RunningSsoGateway,
} from '../harness/sso-world.js';

const SP = 'https://crm.example.test/saml';
const ACS = 'https://crm.example.test/saml/acs';
const SLO = 'https://crm.example.test/saml/slo';
const DESK = 'https://desk.example.test/saml';
const DESK_ACS = 'https://desk.example.test/saml/acs';
const DESK_SLO = 'https://desk.example.test/saml/slo';
const ENC_SP = 'https://payroll.example.test/saml';
const ENC_ACS = 'https://payroll.example.test/saml/acs';
const PASSWORD = 'correct horse battery staple';

describe('Junction as SAML IdP for an @node-saml/node-saml service provider', () => {
  let db: TestDatabase;
  let gateway: RunningSsoGateway;
  let spKey: GeneratedSamlKey;
  let idpCert: string;
  let crmId: string;
  let payrollId: string;
  let tenantId: string;
  let graceId: string;
  let rp: RelyingParty;
  let portalConfig: client.Configuration;
  const vault = testVault();
  // One request-id cache for every SP instance of the test, as one SP deployment would have.
  const requests = new Map<string, string>();
  const cacheProvider: CacheProvider = {
    saveAsync: async (key, value) => {
      requests.set(key, value);
      return { value, createdAt: Date.now() };
    },
    getAsync: async (key) => requests.get(key) ?? null,
    removeAsync: async (key) => {
      const value = key === null ? null : (requests.get(key) ?? null);
      if (key !== null) requests.delete(key);
      return value;
    },
  };

  const sp = (overrides: Partial<SamlConfig> = {}): SAML =>
    new SAML({
      entryPoint: `${gateway.url}/saml/sso`,
      issuer: SP,
      callbackUrl: ACS,
      logoutUrl: `${gateway.url}/saml/slo`,
      logoutCallbackUrl: SLO,
      idpCert,
      audience: SP,
      privateKey: spKey.privateKeyPem,
      signatureAlgorithm: 'sha256',
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: true,
      identifierFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      validateInResponseTo: ValidateInResponseTo.always,
      cacheProvider,
      ...overrides,
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    const ds = db.dataSource;
    gateway = await startSsoGateway(ds, vault);
    spKey = await generateSamlKey('crm test SP');
    tenantId = await seedTenant(ds, { slug: 'samlco', domains: ['samlco.test'] });
    const { id: providerId } = await createIdentityProvider(ds, vault, {
      tenantId,
      kind: 'password',
      slug: 'password',
      name: 'SamlCo password',
      config: { secondFactor: 'off' },
    });
    for (const [email, employeeNumber] of [
      ['grace@samlco.test', 'G1'],
      ['heidi@samlco.test', 'H1'],
    ] as const) {
      const personId = await seedPerson(ds, {
        tenantId,
        email,
        displayName: email.split('@')[0],
        employeeNumber,
        department: 'Sales',
      });
      await createPasswordIdentity(ds, { providerId, personId, login: email, password: PASSWORD });
      if (email.startsWith('grace')) graceId = personId;
    }
    ({ id: crmId } = await createSamlApplication(ds, {
      tenantId,
      slug: 'crm',
      name: 'CRM',
      saml: {
        entityId: SP,
        acsUrl: ACS,
        sloUrl: SLO,
        certificate: spKey.certificatePem,
        wantAuthnRequestsSigned: true,
        allowIdpInitiated: true,
        relayStateUrls: ['https://crm.example.test/app/'],
      },
    }));
    const { id: deskId } = await createSamlApplication(ds, {
      tenantId,
      slug: 'desk',
      name: 'Helpdesk',
      saml: { entityId: DESK, acsUrl: DESK_ACS, sloUrl: DESK_SLO, certificate: spKey.certificatePem },
    });
    await grantApplication(ds, { tenantId, personId: graceId, applicationId: deskId, roleKey: 'desk-agent' });
    rp = await startRelyingParty();
    const portal = await createOidcApplication(ds, vault, {
      tenantId,
      slug: 'portal',
      name: 'Portal',
      openToAll: true,
      oidc: {
        redirectUris: [rp.redirectUri],
        backchannelLogoutUri: rp.backchannelLogoutUri,
        postLogoutRedirectUris: [rp.postLogoutRedirectUri],
      },
    });
    portalConfig = await rp.configure(`${gateway.url}/oidc`, portal.clientId, portal.clientSecret);
    ({ id: payrollId } = await createSamlApplication(ds, {
      tenantId,
      slug: 'payroll',
      name: 'Payroll',
      saml: { entityId: ENC_SP, acsUrl: ENC_ACS, certificate: spKey.certificatePem, encryptAssertions: true },
    }));
    for (const applicationId of [crmId, payrollId]) {
      await grantApplication(ds, {
        tenantId,
        personId: graceId,
        applicationId,
        roleKey: `user-${applicationId.slice(0, 8)}`,
        entitlements: [{ kind: 'role', value: 'sales-rep' }],
      });
    }
    const metadata = await (await fetch(`${gateway.url}/saml/metadata`)).text();
    idpCert = /<ds:X509Certificate>([^<]+)</.exec(metadata)![1]!;
  });

  afterAll(async () => {
    await rp?.stop();
    await gateway?.close();
    await db?.drop();
  });

  /** Follows a sign-in until the auto-posting form for the ACS; returns its fields. */
  function postedTo(page: Page, acs: string): Record<string, string> {
    expect(page.status).toBe(200);
    const form = new SsoBrowser().form(page, 'auto-post');
    expect(form.action).toBe(acs);
    return form.fields;
  }

  it('publishes metadata with the signing certificate and both bindings', async () => {
    const response = await fetch(`${gateway.url}/saml/metadata`);
    expect(response.headers.get('content-type')).toMatch(/application\/samlmetadata\+xml/);
    const xml = await response.text();
    expect(xml).toContain(`entityID="${gateway.url}/saml/metadata"`);
    expect(xml).toContain(
      `Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${gateway.url}/saml/sso"`,
    );
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
  });

  it('signs an SP-initiated sign-in through the login page, with a signed assertion and the person’s attributes', async () => {
    const browser = new SsoBrowser();
    const url = await sp().getAuthorizeUrlAsync('crm-relay-123', undefined, {});
    const emailPage = await browser.get(url);
    expect(emailPage.url).toMatch(/\/sso\/login\//);
    const landed = await completePasswordLogin(browser, emailPage, 'grace@samlco.test', PASSWORD);
    const fields = postedTo(landed, ACS);
    expect(fields.RelayState).toBe('crm-relay-123');
    const { profile } = await sp().validatePostResponseAsync(fields);
    expect(profile?.nameIDFormat).toBe('urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
    expect(profile?.nameID).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(profile?.email).toBe('grace@samlco.test');
    expect(profile?.employeeNumber).toBe('G1');
    expect(profile?.department).toBe('Sales');
    expect(profile?.roles).toBe(`user-${crmId.slice(0, 8)}`);
    expect(profile?.entitlements).toBe('sales-rep');
    const xml = Buffer.from(fields.SAMLResponse!, 'base64').toString();
    expect(xml).toContain(`Recipient="${ACS}"`);
    expect(xml).toContain(`Destination="${ACS}"`);
    expect(xml).toContain(`<saml:Audience>${SP}</saml:Audience>`);

    // Single sign-on: a second request from the same browser needs no login, and the persistent NameID is stable.
    const again = await browser.get(await sp().getAuthorizeUrlAsync('', undefined, {}));
    const second = await sp().validatePostResponseAsync(postedTo(again, ACS));
    expect(second.profile?.nameID).toBe(profile?.nameID);
  });

  it('encrypts the assertion for an SP that asks, and the SP decrypts it', async () => {
    const browser = new SsoBrowser();
    await signInWithPassword(browser, gateway.url, 'grace@samlco.test', PASSWORD);
    const payroll = sp({
      issuer: ENC_SP,
      callbackUrl: ENC_ACS,
      audience: ENC_SP,
      decryptionPvk: spKey.privateKeyPem,
      privateKey: undefined,
    });
    const fields = postedTo(
      await browser.get(await payroll.getAuthorizeUrlAsync('', undefined, {})),
      ENC_ACS,
    );
    const xml = Buffer.from(fields.SAMLResponse!, 'base64').toString();
    expect(xml).toContain('EncryptedAssertion');
    expect(xml).toContain('http://www.w3.org/2009/xmlenc11#aes256-gcm');
    expect(xml).not.toContain('grace@samlco.test');
    const { profile } = await payroll.validatePostResponseAsync(fields);
    expect(profile?.email).toBe('grace@samlco.test');
  });

  it('signs in IdP-initiated from the launcher, passing only registered RelayState URLs', async () => {
    const browser = new SsoBrowser();
    const launcher = await signInWithPassword(browser, gateway.url, 'grace@samlco.test', PASSWORD);
    expect(launcher.body).toContain(`/saml/idp/${crmId}`);
    const unsolicited = sp({ validateInResponseTo: ValidateInResponseTo.never });
    const fields = postedTo(
      await browser.get(
        `${gateway.url}/saml/idp/${crmId}?RelayState=${encodeURIComponent('https://crm.example.test/app/deals/7')}`,
      ),
      ACS,
    );
    expect(fields.RelayState).toBe('https://crm.example.test/app/deals/7');
    expect((await unsolicited.validatePostResponseAsync(fields)).profile?.email).toBe('grace@samlco.test');

    for (const relay of [
      'https://evil.example/app/',
      'https://crm.example.test/other',
      'https://crm.example.test.evil.example/app/',
    ]) {
      const refused = await browser.get(
        `${gateway.url}/saml/idp/${crmId}?RelayState=${encodeURIComponent(relay)}`,
      );
      expect(refused.status).toBe(400);
      expect(refused.body).not.toContain('SAMLResponse');
    }
    const notAllowed = await browser.get(`${gateway.url}/saml/idp/${payrollId}`);
    expect(notAllowed.status).toBe(400);
    expect((await auditRows(db.dataSource, 'sso.saml_request')).at(-1)?.reason).toMatch(
      /does not accept IdP-initiated/,
    );
  });

  it('refuses a person the app is not granted to, with a clear page and an audit row', async () => {
    const browser = new SsoBrowser();
    await signInWithPassword(browser, gateway.url, 'heidi@samlco.test', PASSWORD);
    const page = await browser.get(await sp().getAuthorizeUrlAsync('', undefined, {}));
    expect(page.status).toBe(403);
    expect(page.body).toContain('have access to CRM');
    expect(page.body).not.toContain('SAMLResponse');
    expect((await auditRows(db.dataSource, 'sso.app_access')).at(-1)).toMatchObject({
      outcome: 'denied',
      target_id: crmId,
    });
  });

  it('asks for the password again when the SP sends ForceAuthn, then answers', async () => {
    const browser = new SsoBrowser();
    await signInWithPassword(browser, gateway.url, 'grace@samlco.test', PASSWORD);
    const forced = sp({ forceAuthn: true });
    const emailPage = await browser.get(await forced.getAuthorizeUrlAsync('', undefined, {}));
    expect(emailPage.url).toMatch(/\/sso\/login\//);
    const landed = await completePasswordLogin(browser, emailPage, 'grace@samlco.test', PASSWORD);
    expect((await forced.validatePostResponseAsync(postedTo(landed, ACS))).profile?.email).toBe(
      'grace@samlco.test',
    );
  });

  it('answers IsPassive without a session with NoPassive, not a login page', async () => {
    const browser = new SsoBrowser();
    const passive = sp({ passive: true });
    const page = await browser.get(await passive.getAuthorizeUrlAsync('', undefined, {}));
    const result = await passive.validatePostResponseAsync(postedTo(page, ACS));
    expect(result.profile).toBeNull();
  });

  describe('refuses AuthnRequests that fail a check (and audits which)', () => {
    let browser: SsoBrowser;
    beforeAll(async () => {
      browser = new SsoBrowser();
      await signInWithPassword(browser, gateway.url, 'grace@samlco.test', PASSWORD);
    });

    async function refused(url: string, reason: RegExp): Promise<void> {
      const page = await browser.get(url);
      expect(page.status).toBe(400);
      expect(page.body).not.toContain('SAMLResponse');
      expect((await auditRows(db.dataSource, 'sso.saml_request')).at(-1)?.reason).toMatch(reason);
    }

    /** Re-encodes a (modified) request for the HTTP-Redirect binding, signed with `key` (bindings §3.4.4.1). */
    function redirectUrl(
      xml: string,
      key: string,
      sigAlg = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    ): string {
      const octets = `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'))}&SigAlg=${encodeURIComponent(sigAlg)}`;
      const signature = sign(
        sigAlg.endsWith('sha1') ? 'RSA-SHA1' : 'RSA-SHA256',
        Buffer.from(octets),
        key,
      ).toString('base64');
      return `${gateway.url}/saml/sso?${octets}&Signature=${encodeURIComponent(signature)}`;
    }
    async function requestXml(overrides: Partial<SamlConfig> = {}): Promise<string> {
      const url = new URL(await sp(overrides).getAuthorizeUrlAsync('', undefined, {}));
      return inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString();
    }

    it('unsigned, when the SP registered signed requests', async () => {
      await refused(
        await sp({ privateKey: undefined }).getAuthorizeUrlAsync('', undefined, {}),
        /signature: .* not signed/,
      );
    });

    it('signed by another key', async () => {
      const other = await generateSamlKey('attacker');
      await refused(
        await sp({ privateKey: other.privateKeyPem }).getAuthorizeUrlAsync('', undefined, {}),
        /does not verify/,
      );
    });

    it('signed with SHA-1', async () => {
      await refused(
        redirectUrl(await requestXml(), spKey.privateKeyPem, 'http://www.w3.org/2000/09/xmldsig#rsa-sha1'),
        /rsa-sha1 is not accepted/,
      );
    });

    it('from an unregistered issuer', async () => {
      await refused(
        await sp({ issuer: 'https://unknown.example.test/sp' }).getAuthorizeUrlAsync('', undefined, {}),
        /no SAML app registered/,
      );
    });

    it('asking for an unregistered AssertionConsumerServiceURL', async () => {
      await refused(
        await sp({ callbackUrl: 'https://evil.example/acs' }).getAuthorizeUrlAsync('', undefined, {}),
        /AssertionConsumerServiceURL/,
      );
    });

    it('addressed to another IdP (Destination)', async () => {
      const xml = (await requestXml()).replace(
        /Destination="[^"]+"/,
        'Destination="https://other-idp.example/sso"',
      );
      await refused(redirectUrl(xml, spKey.privateKeyPem), /Destination/);
    });

    it('stale (issued an hour ago)', async () => {
      const old = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
      const xml = (await requestXml()).replace(/IssueInstant="[^"]+"/, `IssueInstant="${old}"`);
      await refused(redirectUrl(xml, spKey.privateKeyPem), /freshness/);
    });

    it('replayed (same request ID twice)', async () => {
      const url = await sp().getAuthorizeUrlAsync('', undefined, {});
      const first = await browser.get(url);
      expect(first.status).toBe(200);
      await refused(url, /already used/);
    });

    it('wrapped: a signed request hidden inside a forged one (XML signature wrapping)', async () => {
      const signedXml = await sp({ authnRequestBinding: 'HTTP-POST', skipRequestCompression: true })
        .getAuthorizeFormAsync('', undefined, {})
        .then((html) =>
          Buffer.from(/name="SAMLRequest" value="([^"]+)"/.exec(html)![1]!, 'base64').toString(),
        );
      const signature = /<(\w+:)?Signature[\s\S]*<\/(\w+:)?Signature>/.exec(signedXml)![0];
      const original = signedXml.replace(signature, '');
      const wrapped =
        `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ` +
        `ID="_evil" Version="2.0" IssueInstant="${new Date().toISOString()}" Destination="${gateway.url}/saml/sso" ` +
        `AssertionConsumerServiceURL="${ACS}"><saml:Issuer>${SP}</saml:Issuer>${signature}` +
        `<samlp:Extensions>${original.replace(/^<\?xml[^>]*>/, '')}</samlp:Extensions></samlp:AuthnRequest>`;
      const page = await browser.post(`${gateway.url}/saml/sso`, {
        SAMLRequest: Buffer.from(wrapped).toString('base64'),
      });
      expect(page.status).toBe(400);
      expect((await auditRows(db.dataSource, 'sso.saml_request')).at(-1)?.reason).toMatch(
        /does not reference AuthnRequest _evil|does not verify/,
      );
    });

    it('a DTD (XXE)', async () => {
      const xml = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${(await requestXml({ privateKey: undefined })).replace(/^<\?xml[^>]*>/, '')}`;
      const page = await browser.post(`${gateway.url}/saml/sso`, {
        SAMLRequest: Buffer.from(xml).toString('base64'),
      });
      expect(page.status).toBe(400);
      expect((await auditRows(db.dataSource, 'sso.saml_request')).at(-1)?.reason).toMatch(/DTD/);
    });

    it('and accepts a properly signed HTTP-POST request', async () => {
      const html = await sp({ authnRequestBinding: 'HTTP-POST' }).getAuthorizeFormAsync('', undefined, {});
      const samlRequest = /name="SAMLRequest" value="([^"]+)"/.exec(html)![1]!;
      const page = await browser.post(`${gateway.url}/saml/sso`, { SAMLRequest: samlRequest });
      expect(postedTo(page, ACS).SAMLResponse).toBeDefined();
    });
  });

  const desk = (): SAML =>
    sp({
      issuer: DESK,
      callbackUrl: DESK_ACS,
      audience: DESK,
      logoutCallbackUrl: DESK_SLO,
      idpIssuer: `${gateway.url}/saml/metadata`,
    });

  /** A browser signed in to CRM and Helpdesk (SAML) and the Portal (OIDC, back-channel logout). */
  async function everywhere(): Promise<{
    browser: SsoBrowser;
    crmProfile: Awaited<ReturnType<SAML['validatePostResponseAsync']>>['profile'];
  }> {
    const browser = new SsoBrowser();
    await signInWithPassword(browser, gateway.url, 'grace@samlco.test', PASSWORD);
    const crm = sp();
    const { profile } = await crm.validatePostResponseAsync(
      postedTo(await browser.get(await crm.getAuthorizeUrlAsync('', undefined, {})), ACS),
    );
    await desk().validatePostResponseAsync(
      postedTo(await browser.get(await desk().getAuthorizeUrlAsync('', undefined, {})), DESK_ACS),
    );
    await redeem(portalConfig, await authorize(browser, portalConfig, rp.redirectUri));
    return { browser, crmProfile: profile };
  }

  it('single logout from one SP ends the session, logs out the other SAML SP and the OIDC app, then answers', async () => {
    const { browser, crmProfile } = await everywhere();
    const unsigned = await sp({ privateKey: undefined }).getLogoutUrlAsync(crmProfile!, 'bye', {});
    expect((await browser.get(unsigned)).status).toBe(400);

    const backchannel = rp.nextLogout();
    const toDesk = await browser.getUntil(
      await sp().getLogoutUrlAsync(crmProfile!, 'bye', {}),
      (next) => next.host === 'desk.example.test',
    );
    const deskRequest = new URL(toDesk.next);
    const asked = await desk().validateRedirectAsync(
      Object.fromEntries(deskRequest.searchParams),
      deskRequest.search.slice(1),
    );
    expect(asked.loggedOut).toBe(true);
    expect(asked.profile?.nameID).toBeDefined();
    expect((await backchannel).length).toBeGreaterThan(20);

    const answer = await desk().getLogoutResponseUrlAsync(
      asked.profile!,
      deskRequest.searchParams.get('RelayState')!,
      {},
      true,
    );
    const toCrm = await browser.getUntil(answer, (next) => next.host === 'crm.example.test');
    const back = new URL(toCrm.next);
    expect(back.pathname).toBe('/saml/slo');
    expect(back.searchParams.get('RelayState')).toBe('bye');
    expect(
      (await sp().validateRedirectAsync(Object.fromEntries(back.searchParams), back.search.slice(1)))
        .loggedOut,
    ).toBe(true);
    expect((await browser.get(`${gateway.url}/sso/apps`)).url).toMatch(/\/sso\/login\//);
  });

  it('refuses a LogoutResponse that does not answer the request Junction sent', async () => {
    const { browser, crmProfile } = await everywhere();
    const toDesk = await browser.getUntil(
      await sp().getLogoutUrlAsync(crmProfile!, 'bye', {}),
      (next) => next.host === 'desk.example.test',
    );
    const relay = new URL(toDesk.next).searchParams.get('RelayState')!;
    const forged = await desk().getLogoutResponseUrlAsync(
      { ...crmProfile!, ID: '_not-our-request' } as never,
      relay,
      {},
      true,
    );
    const page = await browser.get(forged);
    expect(page.status).toBe(400);
    expect((await auditRows(db.dataSource, 'sso.logout')).at(-1)?.reason).toMatch(/in-response-to/);
  });

  it('Junction-initiated logout walks the browser through the SAML SPs before returning to the app', async () => {
    const { browser } = await everywhere();
    const tokens = await redeem(portalConfig, await authorize(browser, portalConfig, rp.redirectUri));
    const end = client.buildEndSessionUrl(portalConfig, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: rp.postLogoutRedirectUri,
    });
    const confirm = await browser.get(end.href);
    const form = browser.form(confirm, 'op.logoutForm');
    const posted = await browser.fetchOnce(
      'POST',
      new URL(form.action, confirm.url).toString(),
      new URLSearchParams({ ...form.fields, logout: 'yes' }).toString(),
      {
        'content-type': 'application/x-www-form-urlencoded',
      },
    );
    // Each SAML SP of the session is asked in turn, then the browser goes where the app asked.
    let next = new URL(posted.headers.get('location')!, posted.url);
    const asked: string[] = [];
    while (next.host === 'crm.example.test' || next.host === 'desk.example.test') {
      const party = next.host === 'crm.example.test' ? sp() : desk();
      asked.push(next.host);
      const request = await party.validateRedirectAsync(
        Object.fromEntries(next.searchParams),
        next.search.slice(1),
      );
      expect(request.loggedOut).toBe(true);
      const answer = await party.getLogoutResponseUrlAsync(
        request.profile!,
        next.searchParams.get('RelayState')!,
        {},
        true,
      );
      const hop = await browser.fetchOnce('GET', answer);
      next = new URL(hop.headers.get('location')!, hop.url);
    }
    expect(asked.sort()).toEqual(['crm.example.test', 'desk.example.test']);
    const final = { url: next.toString() };
    expect(final.url).toBe(rp.postLogoutRedirectUri);
  });
});
