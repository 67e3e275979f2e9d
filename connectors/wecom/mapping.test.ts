import type { AccountInput } from '../kit/contract.js';
import { ConnectorError } from '../kit/errors.js';
import { userSchema } from './api/user-schemas.js';
import {
  DEPARTMENT_ID_CANDIDATES,
  departmentIdCandidate,
  departmentIdFor,
  isDerivedDepartmentId,
} from './department-id.js';
import {
  accountOf,
  departmentNameOf,
  departmentPayload,
  sourceDepartmentOf,
  userPayload,
  type MappingOptions,
} from './mapping.js';
import { isValidUserid, useridFor } from './userid.js';

const options: MappingOptions = {
  rootDepartmentId: 1,
  useridFrom: 'correlationId',
  emailField: 'email',
  invite: true,
};

const input = (overrides: Partial<AccountInput> = {}): AccountInput => ({
  correlationId: 'E1001',
  userName: 'zhang.san',
  email: 'zhang.san@example.com',
  displayName: '张三',
  active: true,
  attributes: {},
  ...overrides,
});

describe('userid', () => {
  it('keeps a key that already is a valid userid', () => {
    expect(useridFor('E1001')).toBe('E1001');
    expect(useridFor('zhang.san@corp')).toBe('zhang.san@corp');
    expect(useridFor('6f1c1b7e-6a8e-4a8e-9a51-1f1f1f1f1f1f')).toBe('6f1c1b7e-6a8e-4a8e-9a51-1f1f1f1f1f1f');
  });

  it('folds any other key to a valid, stable userid that differs from keys folding alike', () => {
    for (const key of ['张三', ' leading space', '_underscore', 'a'.repeat(80), 'a b', 'a/b', '']) {
      const userid = useridFor(key);
      expect(isValidUserid(userid)).toBe(true);
      expect(useridFor(key)).toBe(userid);
    }
    expect(useridFor('a b')).not.toBe(useridFor('a/b'));
  });
});

describe('department ids', () => {
  it('derives a stable id above the ids WeCom hands out itself', () => {
    const id = departmentIdFor('dept-42');
    expect(id).toBe(departmentIdFor('dept-42'));
    expect(isDerivedDepartmentId(id)).toBe(true);
    expect(id).toBeGreaterThanOrEqual(2 ** 30);
    expect(id).toBeLessThan(2 ** 31 - 1);
    expect(departmentIdFor('dept-43')).not.toBe(id);
  });

  it('gives each department a fixed sequence of distinct candidates, the first being the id earlier versions used', () => {
    // The id 'dept-42' always had (SHA-256, first 4 bytes, into [2^30, 2^31 - 1)): existing departments keep theirs.
    expect(departmentIdCandidate('dept-42', 0)).toBe(1680403508);
    expect(departmentIdFor('dept-42')).toBe(1680403508);
    const candidates = Array.from({ length: DEPARTMENT_ID_CANDIDATES }, (_, i) =>
      departmentIdCandidate('dept-42', i),
    );
    expect(new Set(candidates).size).toBe(DEPARTMENT_ID_CANDIDATES);
    expect(candidates.every(isDerivedDepartmentId)).toBe(true);
    expect(candidates).toEqual(
      Array.from({ length: DEPARTMENT_ID_CANDIDATES }, (_, i) => departmentIdCandidate('dept-42', i)),
    );
    // Two keys sharing a first choice still differ at the second.
    expect(departmentIdFor('dept-157')).toBe(departmentIdFor('dept-24189'));
    expect(departmentIdCandidate('dept-157', 1)).not.toBe(departmentIdCandidate('dept-24189', 1));
  });
});

describe('member mapping', () => {
  it('builds a create body from the account input', () => {
    const payload = userPayload(
      input({
        departmentExternalIds: ['1073741999', '5'],
        attributes: {
          position: '工程师',
          mobile: '+86 13800000000',
          gender: 1,
          is_leader_in_dept: [true, false],
          'extattr.工号': 'E1001',
        },
      }),
      options,
      'create',
    );
    expect(payload).toEqual({
      userid: 'E1001',
      name: '张三',
      enable: 1,
      email: 'zhang.san@example.com',
      department: [1073741999, 5],
      position: '工程师',
      mobile: '+86 13800000000',
      gender: '1',
      is_leader_in_dept: [1, 0],
      extattr: { attrs: [{ type: 0, name: '工号', text: { value: 'E1001' } }] },
    });
  });

  it('puts a member without departments under the root on create, and leaves departments alone on update', () => {
    expect(userPayload(input(), options, 'create').department).toEqual([1]);
    expect(userPayload(input(), options, 'update').department).toBeUndefined();
  });

  it('clears attributes that became null on update and disables an inactive account', () => {
    const payload = userPayload(
      input({ active: false, email: null, attributes: { mobile: '13800000000', position: null } }),
      options,
      'update',
    );
    expect(payload).toMatchObject({ enable: 0, email: '', position: '', mobile: '13800000000' });
  });

  it('uses the user name as userid and biz_mail as email field when configured', () => {
    const payload = userPayload(
      input({ attributes: { mobile: '13800000000' } }),
      { ...options, useridFrom: 'userName', emailField: 'biz_mail', invite: false },
      'create',
    );
    expect(payload).toMatchObject({
      userid: 'zhang.san',
      biz_mail: 'zhang.san@example.com',
      to_invite: false,
    });
    expect(payload.email).toBeUndefined();
  });

  it('refuses an attribute WeCom has no field for, as a configuration error', () => {
    expect(() => userPayload(input({ attributes: { costCentre: 'x' } }), options, 'create')).toThrow(
      expect.objectContaining({ connectorCode: 'invalid_config' }),
    );
  });

  it('refuses values WeCom would refuse before any call, naming each problem', () => {
    const attempt = (): unknown =>
      userPayload(
        input({
          displayName: 'x'.repeat(65),
          email: null,
          attributes: { gender: 'm', telephone: 'call me' },
        }),
        options,
        'create',
      );
    expect(attempt).toThrow(ConnectorError);
    try {
      attempt();
    } catch (error) {
      const failure = error as ConnectorError;
      expect(failure.connectorCode).toBe('vendor_error');
      expect(failure.retryable).toBe(false);
      expect(failure.publicMessage).toMatch(/name must be 1–64/);
      expect(failure.publicMessage).toMatch(/mobile or an email/);
      expect(failure.publicMessage).toMatch(/gender/);
      expect(failure.publicMessage).toMatch(/telephone/);
    }
  });

  it('reads a member back in the vocabulary it was written in', () => {
    const user = userSchema.parse({
      userid: 'E1001',
      name: '张三',
      department: [1073741999, 5],
      order: [0, 0],
      position: '工程师',
      mobile: '+86 13800000000',
      gender: '1',
      email: 'zhang.san@example.com',
      biz_mail: '',
      is_leader_in_dept: [1, 0],
      direct_leader: [],
      telephone: '',
      alias: '',
      address: '',
      main_department: 1073741999,
      extattr: { attrs: [{ type: 0, name: '工号', value: 'E1001', text: { value: 'E1001' } }] },
      status: 4,
    });
    expect(accountOf(user, options)).toEqual({
      externalId: 'E1001',
      userName: 'E1001',
      email: 'zhang.san@example.com',
      active: true,
      departmentExternalIds: ['1073741999', '5'],
      attributes: {
        name: '张三',
        position: '工程师',
        mobile: '+86 13800000000',
        gender: '1',
        main_department: 1073741999,
        order: [0, 0],
        is_leader_in_dept: [1, 0],
        'extattr.工号': 'E1001',
        status: 4,
      },
    });
    expect(accountOf({ ...user, status: 2 }, options).active).toBe(false);
    expect(accountOf({ ...user, status: 5 }, options).active).toBe(false);
  });
});

describe('department mapping', () => {
  it('replaces the characters WeCom forbids in names and refuses an empty name', () => {
    expect(departmentNameOf('Sales: North | EMEA')).toBe('Sales： North ／ EMEA');
    expect(() => departmentNameOf('   ')).toThrow(expect.objectContaining({ connectorCode: 'vendor_error' }));
  });

  it('shortens names over 32 characters alike every time, and keeps siblings that differ after the cut apart', () => {
    const exact = 'x'.repeat(32);
    expect(departmentNameOf(exact)).toBe(exact);
    const two = departmentNameOf('Customer Success Infrastructure 2');
    const three = departmentNameOf('Customer Success Infrastructure 3');
    expect(two).toMatch(/^Customer Success Infrastruc…[0-9a-f]{4}$/);
    expect([...two]).toHaveLength(32);
    expect(departmentNameOf('Customer Success Infrastructure 2')).toBe(two);
    expect(three).not.toBe(two);
    // Counted in characters, as WeCom counts them: CJK names are cut by character, not byte.
    const cjk = departmentNameOf('上海'.repeat(20));
    expect([...cjk]).toHaveLength(32);
    expect(cjk.startsWith('上海'.repeat(13))).toBe(true);
  });

  it('hangs a department without parent under the configured root, and reads it back without parent', () => {
    const payload = departmentPayload(
      { correlationId: 'd1', name: 'R&D', parentExternalId: null, order: 3 },
      1_500_000_000,
      {
        ...options,
        rootDepartmentId: 7,
      },
    );
    expect(payload).toEqual({ id: 1_500_000_000, name: 'R&D', parentid: 7, order: 3 });
    expect(
      sourceDepartmentOf(
        { id: 1_500_000_000, name: 'R&D', parentid: 7, order: 3, department_leader: ['E1'] },
        {
          ...options,
          rootDepartmentId: 7,
        },
      ),
    ).toEqual({
      externalId: '1500000000',
      name: 'R&D',
      parentExternalId: null,
      code: null,
      costCenter: null,
      managerExternalId: 'E1',
    });
  });

  it('refuses a parent id that is not a WeCom department id', () => {
    expect(() =>
      departmentPayload({ correlationId: 'd', name: 'x', parentExternalId: 'abc' }, 2, options),
    ).toThrow(expect.objectContaining({ connectorCode: 'invalid_config' }));
  });
});
