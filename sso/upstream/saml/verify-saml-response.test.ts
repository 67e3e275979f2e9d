import { buildAssertion, buildResponse } from '../../provider/saml/response/build-response.js';
import { parseSamlXml, rootOf, SamlMessageRejected } from '../../provider/saml/xml/safe-xml.js';
import type { ExpiringStore } from '../../state/expiring-store.js';
import { samlProviderConfig } from '../provider-config.js';
import { checkAssertionIssuer } from './checks/check-assertion-issuer.js';
import { checkAssertionReplay } from './checks/check-assertion-replay.js';
import { checkAssertionTime } from './checks/check-assertion-time.js';
import { checkAudience } from './checks/check-audience.js';
import { checkInResponseTo } from './checks/check-in-response-to.js';
import { checkRecipient } from './checks/check-recipient.js';
import { checkResponseDestination } from './checks/check-response-destination.js';
import { checkResponseShape } from './checks/check-response-shape.js';
import { checkResponseStatus } from './checks/check-response-status.js';
import { checkSingleAssertion } from './checks/check-single-assertion.js';
import type { SamlProvider, SamlResponseCheck, SamlResponseContext } from './saml-response-context.js';
import { AFTER_SIGNATURE, BEFORE_SIGNATURE } from './verify-saml-response.js';

const IDP = 'https://idp.example/metadata';
const SP = 'https://junction.example/sso/saml/p1';
const ACS = 'https://junction.example/sso/callback/saml/p1';
const REQUEST = '_request-1';

/** The replay cache's contract, in memory: this unit test does no I/O (the integration test uses PostgreSQL). */
function memoryStore(): ExpiringStore {
  const seen = new Set<string>();
  return {
    putIfAbsent: async (ns: string, key: string) => {
      const k = `${ns}|${key}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    },
  } as unknown as ExpiringStore;
}

const provider = (config: Record<string, unknown> = {}): SamlProvider => ({
  id: 'p1',
  tenantId: 't1',
  slug: 'idp',
  name: 'IdP',
  kind: 'saml',
  linkBy: 'verified_email',
  linkClaim: null,
  enabled: true,
  secrets: {},
  config: samlProviderConfig.parse({
    entryPoint: 'https://idp.example/sso',
    idpEntityId: IDP,
    idpCertificates: ['x'],
    ...config,
  }),
});

interface Variant {
  issuer?: string;
  audience?: string;
  recipient?: string;
  destination?: string;
  inResponseTo?: string | null;
  issuedSecondsAgo?: number;
  status?: string;
  transform?: (xml: string) => string;
}

function message(v: Variant = {}): string {
  const now = new Date(Date.now() - (v.issuedSecondsAgo ?? 0) * 1000);
  const inResponseTo = v.inResponseTo === null ? undefined : (v.inResponseTo ?? REQUEST);
  const assertion = buildAssertion({
    idpEntityId: v.issuer ?? IDP,
    spEntityId: v.audience ?? SP,
    acsUrl: v.recipient ?? ACS,
    inResponseTo,
    nameId: 'n1',
    nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    sessionIndex: '_s',
    authnInstant: now,
    sessionNotOnOrAfter: new Date(now.getTime() + 3600_000),
    authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified',
    attributes: { email: ['a@example.com'] },
    now,
  });
  const xml = buildResponse({
    idpEntityId: IDP,
    destination: v.destination ?? ACS,
    inResponseTo,
    now,
    assertionXml: assertion.xml,
    ...(v.status ? { status: { code: v.status } } : {}),
  });
  return v.transform ? v.transform(xml) : xml;
}

/** `expected: null` = no request pending (unsolicited). The assertion is the first in the document, as a
 * signature verifier fooled by wrapping would hand back. */
function context(
  xml: string,
  p = provider(),
  expected: string | null = REQUEST,
  store = memoryStore(),
): SamlResponseContext {
  const doc = parseSamlXml(xml);
  const root = rootOf(doc);
  const assertion = doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'Assertion')[0];
  return {
    provider: p,
    acsUrl: ACS,
    spEntityId: SP,
    now: Math.floor(Date.now() / 1000),
    store,
    doc,
    root,
    expectedRequestId: expected ?? undefined,
    assertion,
  };
}

async function run(ctx: SamlResponseContext, checks: readonly SamlResponseCheck[]): Promise<void> {
  for (const check of checks) await check(ctx);
}

const ALL = [...BEFORE_SIGNATURE, ...AFTER_SIGNATURE];

const cases: {
  name: string;
  check: SamlResponseCheck;
  xml: () => string;
  expected?: string;
  provider?: SamlProvider;
}[] = [
  {
    name: 'not a Response',
    check: checkResponseShape,
    xml: () => message().replace(/samlp:Response/g, 'samlp:ArtifactResponse'),
  },
  {
    name: 'a failure status',
    check: checkResponseStatus,
    xml: () => message({ status: 'urn:oasis:names:tc:SAML:2.0:status:Requester' }),
  },
  {
    name: 'two assertions (wrapping)',
    check: checkSingleAssertion,
    xml: () =>
      message({
        transform: (x) =>
          x.replace(/(<saml:Assertion[\s\S]*<\/saml:Assertion>)/, '$1$1'.replace(/ID="_/, 'ID="_x')),
      }),
  },
  {
    name: 'an assertion hidden in Extensions (wrapping)',
    check: checkSingleAssertion,
    xml: () =>
      message({
        transform: (x) =>
          x.replace(/(<saml:Assertion[\s\S]*<\/saml:Assertion>)/, '<samlp:Extensions>$1</samlp:Extensions>'),
      }),
  },
  {
    name: 'another Destination',
    check: checkResponseDestination,
    xml: () => message({ destination: 'https://other.example/acs' }),
  },
  {
    name: 'another issuer',
    check: checkAssertionIssuer,
    xml: () => message({ issuer: 'https://evil.example' }),
  },
  {
    name: 'another audience',
    check: checkAudience,
    xml: () => message({ audience: 'https://other-sp.example' }),
  },
  {
    name: 'another Recipient',
    check: checkRecipient,
    xml: () => message({ recipient: 'https://other.example/acs' }),
  },
  { name: 'an expired assertion', check: checkAssertionTime, xml: () => message({ issuedSecondsAgo: 3600 }) },
  {
    name: 'an answer to another request',
    check: checkInResponseTo,
    xml: () => message({ inResponseTo: '_other' }),
  },
  {
    name: 'an unsolicited response',
    check: checkInResponseTo,
    xml: () => message({ inResponseTo: null }),
    expected: 'none',
  },
];

describe('upstream SAML response checks (each is what refuses its attack)', () => {
  it('accepts a well-formed response to our request', async () => {
    await expect(run(context(message()), ALL)).resolves.toBeUndefined();
  });

  it.each(cases)('refuses $name, and only because of that check', async ({ check, xml, expected }) => {
    const build = (): SamlResponseContext => context(xml(), provider(), expected === 'none' ? null : REQUEST);
    await expect(run(build(), ALL)).rejects.toBeInstanceOf(SamlMessageRejected);
    await expect(Promise.resolve().then(() => check(build()))).rejects.toBeInstanceOf(SamlMessageRejected);
    await expect(
      run(
        build(),
        ALL.filter((c) => c !== check),
      ),
    ).resolves.toBeUndefined();
  });

  it('accepts an unsolicited response only when the provider allows it', async () => {
    const xml = message({ inResponseTo: null });
    await expect(run(context(xml, provider({ allowUnsolicited: true }), null), ALL)).resolves.toBeUndefined();
  });

  it('refuses the same assertion twice (replay), and only because of the replay check', async () => {
    const store = memoryStore();
    const xml = message();
    await run(context(xml, provider(), REQUEST, store), ALL);
    await expect(run(context(xml, provider(), REQUEST, store), ALL)).rejects.toThrow(/already used/);
    await expect(
      run(
        context(xml, provider(), REQUEST, store),
        ALL.filter((c) => c !== checkAssertionReplay),
      ),
    ).resolves.toBeUndefined();
  });
});
