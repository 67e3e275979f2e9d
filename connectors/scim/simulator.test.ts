import { ScimSimulator } from './simulator.js';
import { ENTERPRISE_USER_SCHEMA, ERROR_SCHEMA, GROUP_SCHEMA, PATCH_OP_SCHEMA, USER_SCHEMA } from './urns.js';

/** The simulator over real HTTP, checked against what RFC 7643 / RFC 7644 say a service provider does. */
const TOKEN = 'full-token';
let sim: ScimSimulator;
let base: string;

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const token = options.token === undefined ? TOKEN : options.token;
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/scim+json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

const userBody = (userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
  userName,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  displayName: 'Ada Lovelace',
  emails: [{ value: userName, type: 'work', primary: true }],
  active: true,
  [ENTERPRISE_USER_SCHEMA]: { employeeNumber: '42', department: 'Engineering' },
  ...extra,
});

const patch = (...operations: Record<string, unknown>[]): Record<string, unknown> => ({
  schemas: [PATCH_OP_SCHEMA],
  Operations: operations,
});

async function createUser(
  userName: string,
  extra: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const reply = await call('POST', '/Users', { body: userBody(userName, extra) });
  expect(reply.status).toBe(201);
  return reply.body;
}

function resources(reply: Reply): Record<string, unknown>[] {
  return reply.body.Resources as Record<string, unknown>[];
}

beforeAll(async () => {
  sim = new ScimSimulator({
    credentials: {
      bearerTokens: [TOKEN],
      readOnlyBearerTokens: ['read-token'],
      oauthClients: [{ clientId: 'junction', clientSecret: 's3cret' }],
    },
  });
  base = await sim.listen();
});

afterAll(async () => {
  await sim.close();
});

describe('discovery (RFC 7644 §4)', () => {
  it('announces PATCH, ETags, filtering and bearer authentication', async () => {
    const reply = await call('GET', '/ServiceProviderConfig');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/application\/scim\+json/);
    expect(reply.body).toMatchObject({
      patch: { supported: true },
      etag: { supported: true },
      filter: { supported: true, maxResults: 200 },
      bulk: { supported: false },
    });
    expect(reply.body.authenticationSchemes).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'oauthbearertoken' })]),
    );
  });

  it('lists User (with the enterprise extension) and Group resource types, and their schemas', async () => {
    const types = await call('GET', '/ResourceTypes');
    expect(types.body.totalResults).toBe(2);
    expect(resources(types)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'User',
          endpoint: '/Users',
          schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
        }),
        expect.objectContaining({ name: 'Group', endpoint: '/Groups', schema: GROUP_SCHEMA }),
      ]),
    );
    const schemas = await call('GET', '/Schemas');
    expect(resources(schemas).map((schema) => schema.id)).toEqual(
      expect.arrayContaining([USER_SCHEMA, GROUP_SCHEMA, ENTERPRISE_USER_SCHEMA]),
    );
    const user = await call('GET', `/Schemas/${USER_SCHEMA}`);
    const userName = (user.body.attributes as Record<string, unknown>[]).find((a) => a.name === 'userName');
    expect(userName).toMatchObject({ required: true, uniqueness: 'server', caseExact: false });
  });
});

describe('authentication (RFC 7644 §2, RFC 6750 §3)', () => {
  it('answers a missing or wrong token with 401, a SCIM error body and a Bearer challenge', async () => {
    for (const token of [null, 'wrong']) {
      const reply = await call('GET', '/Users', { token });
      expect(reply.status).toBe(401);
      expect(reply.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '401' });
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer realm="SCIM"/);
    }
  });

  it('lets a read-only token read but answers its writes with 403', async () => {
    expect((await call('GET', '/Users', { token: 'read-token' })).status).toBe(200);
    const write = await call('POST', '/Users', { token: 'read-token', body: userBody('ro@example.com') });
    expect(write.status).toBe(403);
    expect(write.body.status).toBe('403');
  });

  it('issues client-credentials tokens (RFC 6749 §4.4) that expire with invalid_token', async () => {
    const origin = base.replace(/\/scim\/v2$/, '');
    const bad = await fetch(`${origin}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=junction&client_secret=nope',
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: 'invalid_client' });
    const good = await fetch(`${origin}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('junction:s3cret').toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    const token = (await good.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(token.token_type).toBe('Bearer');
    expect((await call('GET', '/Users?count=1', { token: token.access_token })).status).toBe(200);
    sim.tokens.expireAll();
    const expired = await call('GET', '/Users?count=1', { token: token.access_token });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });
});

describe('Users: create, read, replace, delete (RFC 7644 §3.3–§3.6)', () => {
  it('creates with 201, Location, ETag and meta; never returns the password', async () => {
    const reply = await call('POST', '/Users', { body: userBody('create@example.com', { password: 'pw' }) });
    expect(reply.status).toBe(201);
    const meta = reply.body.meta as Record<string, string>;
    expect(reply.headers.get('location')).toBe(meta.location);
    expect(meta.location).toBe(`${base}/Users/${String(reply.body.id)}`);
    expect(reply.headers.get('etag')).toBe(meta.version);
    expect(meta.version).toMatch(/^W\/"\d+"$/);
    expect(meta.resourceType).toBe('User');
    expect(reply.body.schemas).toEqual([USER_SCHEMA, ENTERPRISE_USER_SCHEMA]);
    expect(reply.body.password).toBeUndefined();
    const read = await call('GET', `/Users/${String(reply.body.id)}`);
    expect(read.body).toEqual(reply.body);
  });

  it('refuses a userName already taken, whatever its case, with 409 uniqueness (RFC 7643 §4.1.1)', async () => {
    await createUser('unique@example.com');
    const again = await call('POST', '/Users', { body: userBody('UNIQUE@example.com') });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
  });

  it('refuses bodies without schemas, without userName, with unknown attributes or wrong types', async () => {
    const cases: [unknown, string][] = [
      [{ userName: 'x@example.com' }, 'invalidSyntax'],
      [{ schemas: [USER_SCHEMA] }, 'invalidValue'],
      [{ schemas: [USER_SCHEMA], userName: 'y@example.com', shoeSize: 44 }, 'invalidValue'],
      [{ schemas: [USER_SCHEMA], userName: 'z@example.com', active: 'yes' }, 'invalidValue'],
    ];
    for (const [body, scimType] of cases) {
      const reply = await call('POST', '/Users', { body });
      expect(reply.status).toBe(400);
      expect(reply.body.scimType).toBe(scimType);
    }
    const malformed = await fetch(`${base}/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
      body: '{"schemas": [',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ scimType: 'invalidSyntax' });
  });

  it('replaces with PUT: attributes left out are cleared, the version changes', async () => {
    const user = await createUser('put@example.com');
    const id = String(user.id);
    const reply = await call('PUT', `/Users/${id}`, {
      body: { schemas: [USER_SCHEMA], userName: 'put@example.com', displayName: 'Renamed' },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.displayName).toBe('Renamed');
    expect(reply.body.name).toBeUndefined();
    expect(reply.body[ENTERPRISE_USER_SCHEMA]).toBeUndefined();
    expect((reply.body.meta as Record<string, string>).version).not.toBe(
      (user.meta as Record<string, string>).version,
    );
  });

  it('deletes with 204; the user is then 404 and gone from its groups', async () => {
    const user = await createUser('delete@example.com');
    const group = await call('POST', '/Groups', {
      body: { schemas: [GROUP_SCHEMA], displayName: 'delete-group', members: [{ value: user.id }] },
    });
    expect((await call('DELETE', `/Users/${String(user.id)}`)).status).toBe(204);
    const gone = await call('GET', `/Users/${String(user.id)}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '404' });
    const after = await call('GET', `/Groups/${String(group.body.id)}`);
    expect(after.body.members).toBeUndefined();
  });
});

describe('ETags (RFC 7644 §3.14)', () => {
  it('answers a stale If-Match with 412 and a current one with the change; If-None-Match with 304', async () => {
    const user = await createUser('etag@example.com');
    const id = String(user.id);
    const version = (user.meta as Record<string, string>).version as string;
    const changed = await call('PATCH', `/Users/${id}`, {
      headers: { 'if-match': version },
      body: patch({ op: 'replace', path: 'displayName', value: 'First' }),
    });
    expect(changed.status).toBe(200);
    const stale = await call('PATCH', `/Users/${id}`, {
      headers: { 'if-match': version },
      body: patch({ op: 'replace', path: 'displayName', value: 'Second' }),
    });
    expect(stale.status).toBe(412);
    expect(stale.body.status).toBe('412');
    const staleDelete = await call('DELETE', `/Users/${id}`, { headers: { 'if-match': version } });
    expect(staleDelete.status).toBe(412);
    const current = changed.headers.get('etag') as string;
    const notModified = await fetch(`${base}/Users/${id}`, {
      headers: { authorization: `Bearer ${TOKEN}`, 'if-none-match': current },
    });
    expect(notModified.status).toBe(304);
  });
});

describe('PATCH (RFC 7644 §3.5.2)', () => {
  it('replaces simple, complex, extension and value-filtered attributes', async () => {
    const user = await createUser('patch@example.com');
    const reply = await call('PATCH', `/Users/${String(user.id)}`, {
      body: patch(
        { op: 'Replace', path: 'active', value: false },
        { op: 'replace', path: 'name.givenName', value: 'Augusta' },
        { op: 'replace', path: `${ENTERPRISE_USER_SCHEMA}:department`, value: 'Research' },
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'ada@example.com' },
        { op: 'add', path: `${ENTERPRISE_USER_SCHEMA}:manager`, value: { value: 'boss' } },
        { op: 'add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' },
      ),
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      active: false,
      name: { givenName: 'Augusta', familyName: 'Lovelace' },
      emails: [{ value: 'ada@example.com', type: 'work', primary: true }],
      phoneNumbers: [{ type: 'mobile', value: '+1 555 0100' }],
      [ENTERPRISE_USER_SCHEMA]: { department: 'Research', employeeNumber: '42', manager: { value: 'boss' } },
    });
  });

  it('adds and replaces without a path, and removes attributes', async () => {
    const user = await createUser('nopath@example.com');
    const reply = await call('PATCH', `/Users/${String(user.id)}`, {
      body: patch(
        { op: 'add', value: { title: 'Countess', [ENTERPRISE_USER_SCHEMA]: { costCenter: 'CC-1' } } },
        { op: 'remove', path: 'displayName' },
        { op: 'remove', path: `${ENTERPRISE_USER_SCHEMA}:employeeNumber` },
      ),
    });
    expect(reply.body.title).toBe('Countess');
    expect(reply.body.displayName).toBeUndefined();
    expect(reply.body[ENTERPRISE_USER_SCHEMA]).toEqual({ department: 'Engineering', costCenter: 'CC-1' });
  });

  it('refuses read-only targets, unknown paths, a remove without path and an unmatched replace', async () => {
    const user = await createUser('patch-errors@example.com');
    const cases: [Record<string, unknown>, string][] = [
      [{ op: 'replace', path: 'id', value: 'x' }, 'mutability'],
      [{ op: 'add', path: 'groups', value: [{ value: 'g' }] }, 'mutability'],
      [{ op: 'replace', path: 'shoeSize', value: 44 }, 'invalidPath'],
      [{ op: 'remove' }, 'noTarget'],
      [{ op: 'replace', path: 'emails[type eq "home"].value', value: 'h@example.com' }, 'noTarget'],
      [{ op: 'replace', path: 'emails[type eq]', value: 'x' }, 'invalidFilter'],
      [{ op: 'remove', path: 'userName' }, 'invalidValue'],
    ];
    for (const [operation, scimType] of cases) {
      const reply = await call('PATCH', `/Users/${String(user.id)}`, { body: patch(operation) });
      expect({ operation, status: reply.status, scimType: reply.body.scimType }).toEqual({
        operation,
        status: 400,
        scimType,
      });
    }
    // All-or-nothing: the failed operations changed nothing.
    const after = await call('GET', `/Users/${String(user.id)}`);
    expect((after.body.meta as Record<string, string>).version).toBe(
      (user.meta as Record<string, string>).version,
    );
  });

  it('a PATCH that makes a userName collide is 409 uniqueness', async () => {
    await createUser('taken@example.com');
    const user = await createUser('taker@example.com');
    const reply = await call('PATCH', `/Users/${String(user.id)}`, {
      body: patch({ op: 'replace', path: 'userName', value: 'Taken@example.com' }),
    });
    expect(reply.status).toBe(409);
    expect(reply.body.scimType).toBe('uniqueness');
  });
});

describe('Groups and membership (RFC 7643 §4.2, RFC 7644 §3.5.2)', () => {
  it("adds members, removes one by value filter, and reflects membership in the users' groups", async () => {
    const a = await createUser('member-a@example.com');
    const b = await createUser('member-b@example.com');
    const c = await createUser('member-c@example.com');
    const created = await call('POST', '/Groups', {
      body: { schemas: [GROUP_SCHEMA], displayName: 'Engineers', members: [{ value: a.id }] },
    });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const changed = await call('PATCH', `/Groups/${id}`, {
      body: patch(
        { op: 'add', path: 'members', value: [{ value: b.id }, { value: c.id }, { value: a.id }] },
        { op: 'remove', path: `members[value eq "${String(a.id)}"]` },
      ),
    });
    expect(changed.status).toBe(200);
    expect((changed.body.members as { value: string }[]).map((m) => m.value)).toEqual([b.id, c.id]);
    expect(changed.body.members).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ value: b.id, type: 'User', $ref: `${base}/Users/${String(b.id)}` }),
      ]),
    );
    const userB = await call('GET', `/Users/${String(b.id)}`);
    expect(userB.body.groups).toEqual([
      expect.objectContaining({ value: id, display: 'Engineers', type: 'direct' }),
    ]);
    const userA = await call('GET', `/Users/${String(a.id)}`);
    expect(userA.body.groups).toBeUndefined();
    // Entra's form: remove with the members in "value".
    const entra = await call('PATCH', `/Groups/${id}`, {
      body: patch({ op: 'remove', path: 'members', value: [{ value: b.id }] }),
    });
    expect((entra.body.members as { value: string }[]).map((m) => m.value)).toEqual([c.id]);
    const byMember = await call(
      'GET',
      `/Groups?filter=${encodeURIComponent(`members[value eq "${String(c.id)}"]`)}`,
    );
    expect(byMember.body.detail).toBeUndefined();
    expect(resources(byMember).map((group) => group.id)).toEqual([id]);
  });

  it('refuses members that are not users or groups here', async () => {
    const reply = await call('POST', '/Groups', {
      body: { schemas: [GROUP_SCHEMA], displayName: 'Ghosts', members: [{ value: 'nobody' }] },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.scimType).toBe('invalidValue');
  });

  it('leaves members out with excludedAttributes (RFC 7644 §3.9)', async () => {
    const reply = await call(
      'GET',
      `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "engineers"')}`,
    );
    expect(resources(reply)).toHaveLength(1);
    expect(resources(reply)[0]?.members).toBeUndefined();
    expect(resources(reply)[0]?.displayName).toBe('Engineers');
  });
});

describe('filters (RFC 7644 §3.4.2.2)', () => {
  beforeAll(async () => {
    await createUser('filter.one@corp.example', { externalId: 'Ext-1', title: 'Engineer' });
    await createUser('filter.two@corp.example', { externalId: 'ext-2' });
  });

  const find = async (filter: string): Promise<string[]> => {
    const reply = await call('GET', `/Users?filter=${encodeURIComponent(filter)}&attributes=userName`);
    expect({ filter, status: reply.status, detail: reply.body.detail }).toEqual({
      filter,
      status: 200,
      detail: undefined,
    });
    return resources(reply)
      .map((user) => String(user.userName))
      .filter((name) => name.endsWith('corp.example'))
      .sort();
  };

  it('matches userName case-insensitively and externalId case-exactly', async () => {
    expect(await find('userName eq "FILTER.ONE@corp.example"')).toEqual(['filter.one@corp.example']);
    expect(await find('externalId eq "Ext-1"')).toEqual(['filter.one@corp.example']);
    expect(await find('externalId eq "ext-1"')).toEqual([]);
  });

  it('supports co, sw, ew, pr, and, or, not, emails and extension attributes', async () => {
    const both = ['filter.one@corp.example', 'filter.two@corp.example'];
    expect(await find('userName co "corp.example"')).toEqual(both);
    expect(await find('userName sw "filter.t"')).toEqual(['filter.two@corp.example']);
    expect(await find('emails ew "@corp.example" and title pr')).toEqual(['filter.one@corp.example']);
    expect(await find('emails[type eq "work" and value co "two"]')).toEqual(['filter.two@corp.example']);
    expect(await find('emails.value eq "filter.two@corp.example" or externalId eq "Ext-1"')).toEqual(both);
    expect(await find('userName co "corp.example" and not (title pr)')).toEqual(['filter.two@corp.example']);
    expect(await find(`${ENTERPRISE_USER_SCHEMA}:employeeNumber eq "42" and userName sw "filter"`)).toEqual(
      both,
    );
  });

  it('answers bad syntax, unknown attributes and wrong operators with 400 invalidFilter', async () => {
    for (const filter of ['userName eq', 'shoeSize eq 44', 'active co "t"']) {
      const reply = await call('GET', `/Users?filter=${encodeURIComponent(filter)}`);
      expect(reply.status).toBe(400);
      expect(reply.body.scimType).toBe('invalidFilter');
    }
  });

  it('answers the same query as a POST /.search (RFC 7644 §3.4.3)', async () => {
    const reply = await call('POST', '/Users/.search', {
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
        filter: 'externalId eq "ext-2"',
        attributes: ['userName'],
      },
    });
    expect(resources(reply)).toEqual([
      {
        schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
        id: expect.any(String),
        userName: 'filter.two@corp.example',
      },
    ]);
  });
});

describe('paging and sorting (RFC 7644 §3.4.2.3, §3.4.2.4)', () => {
  let paged: ScimSimulator;
  let pagedBase: string;
  beforeAll(async () => {
    paged = new ScimSimulator({ credentials: { bearerTokens: [TOKEN] }, features: { maxResults: 50 } });
    paged.seed({ people: 120, divisionGroups: true, seed: 7 });
    pagedBase = await paged.listen();
  });
  afterAll(async () => {
    await paged.close();
  });
  const get = async (query: string): Promise<Record<string, unknown>> => {
    const response = await fetch(`${pagedBase}/Users?${query}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    return (await response.json()) as Record<string, unknown>;
  };

  it('pages 1-based, caps count at maxResults, treats startIndex < 1 as 1 and count 0 as a count only', async () => {
    expect(await get('startIndex=101&count=40')).toMatchObject({
      totalResults: 120,
      startIndex: 101,
      itemsPerPage: 20,
    });
    expect(await get('count=500')).toMatchObject({ totalResults: 120, startIndex: 1, itemsPerPage: 50 });
    expect(await get('startIndex=0&count=2')).toMatchObject({ startIndex: 1, itemsPerPage: 2 });
    expect(await get('count=0')).toMatchObject({ totalResults: 120, itemsPerPage: 0, Resources: [] });
    expect(await get('startIndex=500')).toMatchObject({ totalResults: 120, itemsPerPage: 0 });
  });

  it('walks every user exactly once across pages', async () => {
    const seen = new Set<string>();
    for (let start = 1; start <= 120; start += 50) {
      const page = await get(`startIndex=${start}&count=50`);
      for (const user of page.Resources as { id: string }[]) seen.add(user.id);
    }
    expect(seen.size).toBe(120);
  });

  it('sorts by userName both ways', async () => {
    const names = (page: Record<string, unknown>): string[] =>
      (page.Resources as { userName: string }[]).map((user) => user.userName);
    const ascending = names(await get('sortBy=userName&count=50'));
    expect(ascending).toEqual([...ascending].sort());
    const descending = names(await get('sortBy=userName&sortOrder=descending&count=50'));
    expect(descending).toEqual([...descending].sort().reverse());
  });
});

describe('provider variants and faults', () => {
  it('answers PATCH with 501 where PATCH is off, and with 204 where the provider sends no body', async () => {
    const off = new ScimSimulator({ credentials: { bearerTokens: [TOKEN] }, features: { patch: false } });
    const offBase = await off.listen();
    const noBody = new ScimSimulator({
      credentials: { bearerTokens: [TOKEN] },
      features: { patchNoContent: true },
    });
    const noBodyBase = await noBody.listen();
    try {
      for (const [url, expected] of [
        [offBase, 501],
        [noBodyBase, 204],
      ] as const) {
        const created = await fetch(`${url}/Users`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
          body: JSON.stringify(userBody('variant@example.com')),
        });
        const { id } = (await created.json()) as { id: string };
        const reply = await fetch(`${url}/Users/${id}`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' },
          body: JSON.stringify(patch({ op: 'replace', path: 'active', value: false })),
        });
        expect(reply.status).toBe(expected);
      }
      const config = await fetch(`${offBase}/ServiceProviderConfig`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(await config.json()).toMatchObject({ patch: { supported: false } });
    } finally {
      await off.close();
      await noBody.close();
    }
  });

  it('injects 429 with Retry-After and 5xx bursts with SCIM error bodies', async () => {
    sim.faults.set({ next429: 1, retryAfterSeconds: 3 });
    const limited = await call('GET', '/Users?count=1');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '429' });
    sim.faults.set({ burst5xx: 2 });
    expect((await call('GET', '/Users?count=1')).status).toBe(500);
    expect((await call('GET', '/Users?count=1')).status).toBe(502);
    expect((await call('GET', '/Users?count=1')).status).toBe(200);
  });

  it('seeds 100,000 users and still answers indexed lookups and deep pages', async () => {
    const big = new ScimSimulator({ credentials: { bearerTokens: [TOKEN] } });
    big.seed({ people: 100_000, seed: 3 });
    const bigBase = await big.listen();
    try {
      const headers = { authorization: `Bearer ${TOKEN}` };
      const last = (await (
        await fetch(`${bigBase}/Users?startIndex=99990&count=20`, { headers })
      ).json()) as {
        totalResults: number;
        itemsPerPage: number;
        Resources: { externalId: string; userName: string }[];
      };
      expect(last).toMatchObject({ totalResults: 100_000, itemsPerPage: 11 });
      expect(last.Resources.at(-1)?.externalId).toBe('E100000');
      const filter = encodeURIComponent(`userName eq "${last.Resources[0]?.userName.toUpperCase() ?? ''}"`);
      const found = (await (await fetch(`${bigBase}/Users?filter=${filter}`, { headers })).json()) as {
        totalResults: number;
      };
      expect(found.totalResults).toBe(1);
    } finally {
      await big.close();
    }
  });
});
