import { compileMappings } from './attribute-mapping.js';
import { compileTargetProfile, desiredAccount } from './desired-account.js';
import { evaluateCondition, type ConditionContext } from './evaluate-condition.js';
import type { DepartmentNode, PersonView, TenantNode } from './person-view.js';
import { parseCondition } from './rule-condition.js';
import { compileScopeFilter } from './scope-filter.js';
import { stateHash } from './state-hash.js';
import { fieldDiff } from './field-diff.js';

const departments = new Map<string, DepartmentNode>([
  [
    'd-root',
    { id: 'd-root', parentId: null, externalId: 'ROOT', name: 'Acme', code: 'ACME', costCenter: null },
  ],
  [
    'd-eng',
    {
      id: 'd-eng',
      parentId: 'd-root',
      externalId: 'ENG',
      name: 'Engineering',
      code: 'ENG',
      costCenter: 'C100',
    },
  ],
  [
    'd-plat',
    {
      id: 'd-plat',
      parentId: 'd-eng',
      externalId: 'PLAT',
      name: 'Platform',
      code: 'PLAT',
      costCenter: 'C110',
    },
  ],
  [
    'd-fin',
    { id: 'd-fin', parentId: 'd-root', externalId: 'FIN', name: 'Finance', code: 'FIN', costCenter: 'C200' },
  ],
]);
const tenants = new Map<string, TenantNode>([
  ['t-group', { id: 't-group', parentId: null, slug: 'group', name: 'Group' }],
  ['t-sub', { id: 't-sub', parentId: 't-group', slug: 'sub', name: 'Sub' }],
]);
const ctx: ConditionContext = { departments, tenants };

function person(overrides: Partial<PersonView> = {}): PersonView {
  return {
    id: 'p1',
    tenantId: 't-sub',
    tenant: { id: 't-sub', slug: 'sub', name: 'Sub' },
    externalId: '1001',
    employeeNumber: 'E1001',
    givenName: 'Ada',
    familyName: 'Lovelace',
    displayName: 'Ada Lovelace',
    email: 'ada@example.com',
    phone: null,
    departmentId: 'd-plat',
    department: {
      id: 'd-plat',
      externalId: 'PLAT',
      name: 'Platform',
      code: 'PLAT',
      costCenter: 'C110',
      path: ['Acme', 'Engineering', 'Platform'],
    },
    manager: null,
    jobTitle: 'Staff Engineer',
    rank: 'M3',
    grade: '7',
    costCenter: 'C110',
    division: null,
    location: 'Berlin',
    status: 'active',
    hireDate: '2020-01-01',
    terminationDate: null,
    attributes: { badge: 'B-1', languages: ['en', 'de'] },
    groups: ['Oncall'],
    groupIds: ['g1'],
    roles: [],
    ...overrides,
  };
}

describe('role-rule conditions', () => {
  it('matches a department and everything under it, or that department alone', () => {
    expect(evaluateCondition(parseCondition({ department: { code: 'ENG' } }), person(), ctx)).toBe(true);
    expect(
      evaluateCondition(
        parseCondition({ department: { code: 'ENG', includeSubtree: false } }),
        person(),
        ctx,
      ),
    ).toBe(false);
    expect(evaluateCondition(parseCondition({ department: { externalId: 'FIN' } }), person(), ctx)).toBe(
      false,
    );
  });

  it('combines title, grade, cost centre, custom attributes, subsidiary and group membership', () => {
    const condition = parseCondition({
      all: [
        { attribute: 'jobTitle', op: 'contains', value: 'engineer' },
        { attribute: 'grade', op: 'gte', value: 5 },
        { attribute: 'costCenter', op: 'in', value: ['C110', 'C120'] },
        { attribute: 'attributes.languages', op: 'eq', value: 'de' },
        { subsidiary: { slug: 'group' } },
        { memberOf: { displayName: 'oncall' } },
        { not: { attribute: 'status', op: 'eq', value: 'leaver' } },
      ],
    });
    expect(evaluateCondition(condition, person(), ctx)).toBe(true);
    expect(evaluateCondition(condition, person({ grade: '4' }), ctx)).toBe(false);
    expect(evaluateCondition(condition, person({ groups: [] }), ctx)).toBe(false);
    expect(
      evaluateCondition(
        parseCondition({ subsidiary: { slug: 'group', includeSubtree: false } }),
        person(),
        ctx,
      ),
    ).toBe(false);
  });

  it('rejects unknown attributes and malformed nodes with a message', () => {
    expect(() => parseCondition({ attribute: 'salary', op: 'eq', value: 1 })).toThrow(/attributes\.<name>/);
    expect(() => parseCondition({ all: [] })).toThrow();
    expect(() => parseCondition({ department: {} })).toThrow(/needs id/);
    expect(() => parseCondition({ eval: 'process.exit()' })).toThrow();
  });
});

describe('attribute mapping', () => {
  it('maps source fields, constants and sandboxed expressions', async () => {
    const mappings = compileMappings({
      userName: 'email',
      title: { source: 'jobTitle' },
      company: { constant: 'Acme' },
      dept: 'department.name',
      login: { expression: "$lowercase(givenName) & '.' & $lowercase(familyName)" },
      path: { expression: "$join(department.path, '/')" },
    });
    const { values, errors } = await mappings.apply(person());
    expect(errors).toEqual({});
    expect(values).toEqual({
      userName: 'ada@example.com',
      title: 'Staff Engineer',
      company: 'Acme',
      dept: 'Platform',
      login: 'ada.lovelace',
      path: 'Acme/Engineering/Platform',
    });
  });

  it('cannot reach the process and stops runaway expressions', async () => {
    const mappings = compileMappings({
      escape: { expression: '$eval("1")' },
      env: { expression: 'process.env' },
      spin: { expression: '($f := function($n){ $f($n + 1) }; $f(0))' },
    });
    const { values, errors } = await mappings.apply(person());
    expect(values.env).toBeNull();
    expect(errors.spin).toMatch(/nests too deeply|longer than|stack/i);
    expect(errors.escape ?? String(values.escape)).not.toMatch(/^function/);
  });

  it('rejects a bad expression when compiled, naming the attribute', () => {
    expect(() => compileMappings({ broken: { expression: '(((' } })).toThrow(/mapping for broken/);
  });
});

describe('scope filter', () => {
  it('keeps people the filter admits; a failing filter leaves the person out', async () => {
    const scope = compileScopeFilter('department.code in ["PLAT", "FIN"] and status = "active"');
    expect(await scope(person())).toBe(true);
    expect(await scope(person({ status: 'inactive' }))).toBe(false);
    expect(await compileScopeFilter(null)(person())).toBe(true);
    expect(await compileScopeFilter('$number("x") > 1')(person())).toBe(false);
  });
});

describe('desired account', () => {
  const connection = {
    id: 'c1',
    accountScope: 'entitled' as const,
    mappings: { title: 'jobTitle', costCentre: 'costCenter' },
    scopeFilter: 'location = "Berlin"',
    ownedAttributes: [],
  };
  const profile = compileTargetProfile(connection, {
    kinds: new Set(['account', 'group', 'role']),
    writesGroups: true,
    writesDepartments: true,
  });
  const grants = {
    account: true,
    groups: ['eng', 'all'],
    roles: ['developer'],
    departments: [],
    permissionSets: [],
  };

  it('builds the account a joiner gets, with groups, department placement and a stable hash', async () => {
    const desired = await desiredAccount(profile, person(), grants, new Map([['d-plat', '42']]));
    expect(desired.wanted).toBe(true);
    expect(desired.input).toMatchObject({
      correlationId: 'p1',
      userName: 'ada@example.com',
      active: true,
      attributes: { title: 'Staff Engineer', costCentre: 'C110', roles: ['developer'] },
      departmentExternalIds: ['42'],
    });
    expect(desired.groups).toEqual(['all', 'eng']);
    const again = await desiredAccount(profile, person(), grants, new Map([['d-plat', '42']]));
    expect(again.hash).toBe(desired.hash);
    const moved = await desiredAccount(
      profile,
      person({ jobTitle: 'Principal' }),
      grants,
      new Map([['d-plat', '42']]),
    );
    expect(moved.hash).not.toBe(desired.hash);
    expect(fieldDiff(desired.pushed, moved.pushed)).toEqual({
      'attributes.title': { from: 'Staff Engineer', to: 'Principal' },
    });
  });

  it('says why a person should have no account', async () => {
    expect((await desiredAccount(profile, person({ status: 'leaver' }), grants, new Map())).reason).toBe(
      'leaver',
    );
    expect((await desiredAccount(profile, person({ location: 'Paris' }), grants, new Map())).reason).toBe(
      'out_of_scope',
    );
    expect((await desiredAccount(profile, person(), undefined, new Map())).reason).toBe('not_entitled');
    const everyone = compileTargetProfile(
      { ...connection, accountScope: 'all' },
      { kinds: new Set(), writesGroups: false, writesDepartments: false },
    );
    expect((await desiredAccount(everyone, person(), undefined, new Map())).wanted).toBe(true);
  });

  it('writes only owned attributes when the connection names them', async () => {
    const owned = compileTargetProfile(
      { ...connection, ownedAttributes: ['title'] },
      { kinds: new Set(), writesGroups: false, writesDepartments: false },
    );
    const desired = await desiredAccount(owned, person(), grants, new Map());
    expect(desired.input.attributes).toEqual({ title: 'Staff Engineer' });
  });
});

describe('state hash', () => {
  it('ignores key order', () => {
    expect(stateHash({ a: 1, b: { c: 2, d: 3 } })).toBe(stateHash({ b: { d: 3, c: 2 }, a: 1 }));
  });
});
