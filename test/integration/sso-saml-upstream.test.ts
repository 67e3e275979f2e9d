import { inflateRawSync } from 'node:zlib';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { createSamlApplication } from '../../sso/admin/applications.js';
import { createIdentityProvider, updateIdentityProvider } from '../../sso/admin/identity-providers.js';
import { generateSamlKey, type GeneratedSamlKey } from '../../sso/provider/keys/generate-keys.js';
import { buildAssertion, buildResponse } from '../../sso/provider/saml/response/build-response.js';
import { signEnveloped } from '../../sso/provider/saml/response/sign-xml.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { startSimpleSamlPhp, type SimpleSamlPhp } from '../harness/simplesamlphp.js';
import { SsoBrowser, type Page } from '../harness/sso-browser.js';
import {
  auditRows,
  grantApplication,
  seedPerson,
  seedTenant,
  startSsoGateway,
  testVault,
  type RunningSsoGateway,
} from '../harness/sso-world.js';

const SP = 'https://wiki.example.test/saml';
const SP_ACS = 'https://wiki.example.test/saml/acs';
const FORGE_IDP = 'https://idp.forge.test/metadata';

describe('Junction federates to a subsidiary SAML IdP (SimpleSAMLphp), and refuses every bad response', () => {
  let db: TestDatabase;
  let gateway: RunningSsoGateway;
  let ssp: SimpleSamlPhp;
  let ivanId: string;
  let forgeProvider: string;
  let unsolicitedProvider: string;
  let forgeKey: GeneratedSamlKey;
  let wikiCert: string;
  const vault = testVault();

  beforeAll(async () => {
    db = await createTestDatabase();
    const ds = db.dataSource;
    gateway = await startSsoGateway(ds, vault);

    const nordic = await seedTenant(ds, { slug: 'nordic', domains: ['nordic.test'] });
    ivanId = await seedPerson(ds, {
      tenantId: nordic,
      email: 'ivan@nordic.test',
      employeeNumber: 'N7',
      displayName: 'Ivan',
    });
    const { id: sspProvider } = await createIdentityProvider(ds, vault, {
      tenantId: nordic,
      kind: 'saml',
      slug: 'nordic-idp',
      name: 'Nordic sign-in',
      config: {
        entryPoint: 'https://placeholder.invalid/sso',
        idpEntityId: 'placeholder',
        idpCertificates: ['placeholder'],
      },
      linkBy: 'employee_number',
      linkClaim: 'employeeNumber',
    });
    ssp = await startSimpleSamlPhp({
      sp: {
        entityId: `${gateway.url}/sso/saml/${sspProvider}`,
        acsUrl: `${gateway.url}/sso/callback/saml/${sspProvider}`,
      },
      users: [
        {
          username: 'ivan',
          password: 'ivan-secret',
          attributes: { uid: ['ivan'], email: ['ivan@nordic.test'], employeeNumber: ['N7'] },
        },
      ],
    });
    await updateIdentityProvider(ds, vault, sspProvider, {
      config: { entryPoint: ssp.ssoUrl, idpEntityId: ssp.entityId, idpCertificates: [ssp.certificatePem] },
    });
    const wiki = await createSamlApplication(ds, {
      tenantId: nordic,
      slug: 'wiki',
      name: 'Wiki',
      saml: { entityId: SP, acsUrl: SP_ACS },
    });
    await grantApplication(ds, {
      tenantId: nordic,
      personId: ivanId,
      applicationId: wiki.id,
      roleKey: 'wiki-editor',
    });

    forgeKey = await generateSamlKey('forge test IdP');
    const forge = await seedTenant(ds, { slug: 'forge', domains: ['forge.test', 'unsolicited.forge.test'] });
    await seedPerson(ds, { tenantId: forge, email: 'olga@forge.test', displayName: 'Olga' });
    const forgeConfig = {
      entryPoint: 'https://idp.forge.test/sso',
      idpEntityId: FORGE_IDP,
      idpCertificates: [forgeKey.certificatePem],
      emailIsVerified: true,
    };
    ({ id: forgeProvider } = await createIdentityProvider(ds, vault, {
      tenantId: forge,
      kind: 'saml',
      slug: 'forge-idp',
      name: 'Forge',
      config: { ...forgeConfig, domains: ['forge.test'] },
    }));
    ({ id: unsolicitedProvider } = await createIdentityProvider(ds, vault, {
      tenantId: forge,
      kind: 'saml',
      slug: 'forge-unsolicited',
      name: 'Forge (IdP-initiated)',
      config: { ...forgeConfig, allowUnsolicited: true, domains: ['unsolicited.forge.test'] },
    }));
    const metadata = await (await fetch(`${gateway.url}/saml/metadata`)).text();
    wikiCert = /<ds:X509Certificate>([^<]+)</.exec(metadata)![1]!;
  });

  afterAll(async () => {
    await ssp?.stop();
    await gateway?.close();
    await db?.drop();
  });

  it('a SAML SP signs in through Junction, which sends the person to SimpleSAMLphp and back', async () => {
    const wiki = new SAML({
      entryPoint: `${gateway.url}/saml/sso`,
      issuer: SP,
      callbackUrl: SP_ACS,
      idpCert: wikiCert,
      audience: SP,
      validateInResponseTo: ValidateInResponseTo.never,
    });
    const browser = new SsoBrowser();
    const emailPage = await browser.get(await wiki.getAuthorizeUrlAsync('', undefined, {}));
    const sspLogin = await browser.submit(emailPage, { fields: { email: 'ivan@nordic.test' } });
    expect(sspLogin.url.startsWith(ssp.url)).toBe(true);
    const posting = await browser.submit(sspLogin, {
      form: (f) => 'password' in f.fields,
      fields: { username: 'ivan', password: 'ivan-secret' },
    });
    expect(browser.form(posting).action).toMatch(/\/sso\/callback\/saml\//);
    const landed = await browser.submit(posting);
    const fields = browser.form(landed, 'auto-post');
    expect(fields.action).toBe(SP_ACS);
    const { profile } = await wiki.validatePostResponseAsync(fields.fields);
    expect(profile?.email).toBe('ivan@nordic.test');
    expect(profile?.roles).toBe('wiki-editor');
    const identity = (await db.dataSource.query(
      `SELECT subject, person_id FROM identities WHERE person_id = $1`,
      [ivanId],
    )) as {
      subject: string;
    }[];
    expect(identity).toHaveLength(1);
    expect(identity[0]!.subject.length).toBeGreaterThan(10); // SimpleSAMLphp's persistent NameID
  });

  describe('responses from a provider whose key the test holds', () => {
    const sessions = async (): Promise<number> =>
      Number(
        ((await db.dataSource.query(`SELECT count(*)::int AS n FROM sso_sessions`)) as [{ n: number }])[0].n,
      );
    const acs = (providerId: string): string => `${gateway.url}/sso/callback/saml/${providerId}`;
    const spEntity = (providerId: string): string => `${gateway.url}/sso/saml/${providerId}`;

    /** Starts a sign-in for Olga and stops at the redirect to the IdP: the AuthnRequest ID and RelayState. */
    async function begin(
      browser: SsoBrowser,
      email = 'olga@forge.test',
    ): Promise<{ requestId: string; relayState: string }> {
      const stop = await browser.getUntil(
        `${gateway.url}/sso/login?login_hint=${encodeURIComponent(email)}`,
        (next) => next.host === 'idp.forge.test',
      );
      const url = new URL(stop.next);
      const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString();
      return { requestId: /ID="([^"]+)"/.exec(xml)![1]!, relayState: url.searchParams.get('RelayState')! };
    }

    interface Mint {
      providerId?: string;
      inResponseTo?: string;
      audience?: string;
      recipient?: string;
      destination?: string;
      expired?: boolean;
      signAssertion?: boolean;
      signResponse?: boolean;
      key?: GeneratedSamlKey;
      issuer?: string;
    }

    function mint(options: Mint = {}): { xml: string; assertionXml: string } {
      const providerId = options.providerId ?? forgeProvider;
      const key = options.key ?? forgeKey;
      const now = options.expired ? new Date(Date.now() - 3_600_000) : new Date();
      const assertion = buildAssertion({
        idpEntityId: options.issuer ?? FORGE_IDP,
        spEntityId: options.audience ?? spEntity(providerId),
        acsUrl: options.recipient ?? acs(providerId),
        inResponseTo: options.inResponseTo,
        nameId: 'olga-at-forge',
        nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
        sessionIndex: '_s1',
        authnInstant: now,
        sessionNotOnOrAfter: new Date(now.getTime() + 3_600_000),
        authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
        attributes: { email: ['olga@forge.test'] },
        now,
      });
      const assertionXml =
        options.signAssertion === false ? assertion.xml : signEnveloped(assertion.xml, 'Assertion', key);
      const response = buildResponse({
        idpEntityId: options.issuer ?? FORGE_IDP,
        destination: options.destination ?? acs(providerId),
        inResponseTo: options.inResponseTo,
        now,
        assertionXml,
      });
      return {
        xml: options.signResponse ? signEnveloped(response, 'Response', key) : response,
        assertionXml,
      };
    }

    async function post(
      browser: SsoBrowser,
      xml: string,
      relayState: string | undefined,
      providerId = forgeProvider,
    ): Promise<Page> {
      return browser.post(acs(providerId), {
        SAMLResponse: Buffer.from(xml).toString('base64'),
        ...(relayState ? { RelayState: relayState } : {}),
      });
    }

    async function refused(page: Page, reason: RegExp, before: number): Promise<void> {
      expect(page.status).toBeGreaterThanOrEqual(400);
      expect(page.body).toContain('We could not sign you in');
      expect(await sessions()).toBe(before);
      expect((await auditRows(db.dataSource, 'sso.sign_in')).at(-1)?.reason).toMatch(reason);
    }

    it('accepts a well-formed, signed response to this browser’s request (control)', async () => {
      const browser = new SsoBrowser();
      const { requestId, relayState } = await begin(browser);
      const page = await post(browser, mint({ inResponseTo: requestId }).xml, relayState);
      expect(page.url).toBe(`${gateway.url}/sso/apps`);
      expect(page.body).toContain('Your apps');
    });

    const cases: [string, (requestId: string) => string | Promise<string>, RegExp][] = [
      ['unsigned', (id) => mint({ inResponseTo: id, signAssertion: false }).xml, /signature/i],
      [
        'signed by another key',
        async (id) => mint({ inResponseTo: id, key: await generateSamlKey('attacker') }).xml,
        /signature/i,
      ],
      [
        'for another audience',
        (id) => mint({ inResponseTo: id, audience: 'https://other-sp.example' }).xml,
        /audience/i,
      ],
      [
        'for another Recipient',
        (id) => mint({ inResponseTo: id, recipient: 'https://other-sp.example/acs' }).xml,
        /recipient/,
      ],
      [
        'for another Destination',
        (id) => mint({ inResponseTo: id, destination: 'https://other-sp.example/acs' }).xml,
        /destination/,
      ],
      [
        'expired',
        (id) => mint({ inResponseTo: id, expired: true }).xml,
        /expired|time|subject confirmation/i,
      ],
      ['answering another request', () => mint({ inResponseTo: '_not-our-request' }).xml, /InResponseTo/],
      [
        'issued by another IdP',
        (id) => mint({ inResponseTo: id, issuer: 'https://other-idp.example' }).xml,
        /issuer/i,
      ],
      [
        'wrapped: signed assertion hidden in Extensions beside a forged one (XSW)',
        (id) => {
          const genuine = mint({ inResponseTo: id }).assertionXml;
          const forged = mint({ inResponseTo: id, signAssertion: false }).assertionXml.replace(
            'olga@forge.test',
            'ceo@forge.test',
          );
          return mint({ inResponseTo: id }).xml.replace(
            /<saml:Assertion[\s\S]*<\/saml:Assertion>/,
            `<samlp:Extensions>${genuine}</samlp:Extensions>${forged}`,
          );
        },
        /wrapping/,
      ],
      [
        'wrapped: a forged assertion beside the signed one (XSW)',
        (id) => {
          const forged = mint({ inResponseTo: id, signAssertion: false }).assertionXml;
          return mint({ inResponseTo: id }).xml.replace('</samlp:Response>', `${forged}</samlp:Response>`);
        },
        /wrapping/,
      ],
      [
        'wrapped: a signed Response whose assertion was swapped for a forged one (XSW)',
        (id) => {
          const signed = mint({ inResponseTo: id, signResponse: true, signAssertion: false }).xml;
          const forged = mint({ inResponseTo: id, signAssertion: false }).assertionXml.replace(
            'olga@forge.test',
            'ceo@forge.test',
          );
          return signed.replace(/<saml:Assertion[\s\S]*<\/saml:Assertion>/, forged);
        },
        /signature/i,
      ],
    ];

    it.each(cases)(
      'refuses a response %s, creates no session and audits why',
      async (_name, build, reason) => {
        const browser = new SsoBrowser();
        const { requestId, relayState } = await begin(browser);
        const before = await sessions();
        await refused(await post(browser, await build(requestId), relayState), reason, before);
      },
    );

    it('refuses an unsolicited response when the provider does not allow IdP-initiated sign-in', async () => {
      const before = await sessions();
      await refused(
        await post(new SsoBrowser(), mint().xml, undefined),
        /unsolicited|InResponseTo is missing/,
        before,
      );
    });

    it('refuses a replayed assertion, even where unsolicited responses are allowed', async () => {
      const browser = new SsoBrowser();
      const { xml } = mint({ providerId: unsolicitedProvider });
      const first = await post(browser, xml, undefined, unsolicitedProvider);
      expect(first.url).toBe(`${gateway.url}/sso/apps`);
      const before = await sessions();
      await refused(
        await post(new SsoBrowser(), xml, undefined, unsolicitedProvider),
        /already used/,
        before,
      );
    });

    it('refuses a response whose RelayState belongs to another browser’s sign-in (login CSRF)', async () => {
      const victim = new SsoBrowser();
      const attacker = new SsoBrowser();
      const { requestId, relayState } = await begin(attacker);
      const before = await sessions();
      const page = await post(victim, mint({ inResponseTo: requestId }).xml, relayState);
      expect(page.status).toBe(400);
      expect(await sessions()).toBe(before);
      expect((await auditRows(db.dataSource, 'sso.sign_in')).at(-1)?.reason).toMatch(/browser other than/);
    });
  });
});
