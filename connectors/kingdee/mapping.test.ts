import { ConnectorError } from '../kit/errors.js';
import {
  customFields,
  departmentFromInput,
  employeeChanges,
  employeeFromAccountInput,
  employeeModel,
  employeeRows,
  type EmployeeDesired,
} from './mapping.js';
import { and, equals, greaterThan } from './filter-string.js';

const desired: EmployeeDesired = {
  number: 'E1',
  name: '张三',
  email: 'z@example.com',
  mobile: undefined,
  departmentNumber: 'D2',
  active: true,
  extra: { F_Level: 'P5', F_CC: { FNumber: 'CC1' } },
};

describe('Kingdee mapping', () => {
  it('keeps one employee per FID, preferring the first post (ExecuteBillQuery answers a row per post)', () => {
    const rows = employeeRows([
      [7, 'E7', 'A', '', '', 'D9', 71, false, 'C', 'A'],
      [7, 'E7', 'A', '', '', 'D1', 72, true, 'C', 'A'],
      [8, 'E8', 'B', null, null, null, null, null, 'A', 'B'],
    ]);
    expect(rows.map((r) => [r.id, r.departmentNumber, r.postEntryId])).toEqual([
      [7, 'D1', 72],
      [8, null, null],
    ]);
  });

  it('lists only the fields that differ, comparing department numbers case-insensitively', () => {
    const row = {
      id: 1,
      number: 'E1',
      name: '张三',
      email: 'z@example.com',
      mobile: '138',
      departmentNumber: 'd2',
      postEntryId: 5,
      documentStatus: 'C',
      forbidStatus: 'A',
      extra: { F_Level: 'P5', 'F_CC.FNumber': 'CC1' },
    };
    expect(employeeChanges(row, desired)).toEqual([]);
    expect(
      employeeChanges(row, {
        ...desired,
        name: '李四',
        departmentNumber: null,
        extra: { F_CC: { FNumber: 'CC2' } },
      }),
    ).toEqual(['FName', 'FPostEntity', 'F_CC']);
  });

  it('builds a create Model with the organisation and the post, and an update Model with only the changes', () => {
    expect(employeeModel(desired, { orgNumber: '100' })).toEqual({
      FCreateOrgId: { FNumber: '100' },
      FUseOrgId: { FNumber: '100' },
      FStaffNumber: 'E1',
      FName: '张三',
      FEmail: 'z@example.com',
      FPostEntity: [{ FWorkOrgId: { FNumber: '100' }, FPostDept: { FNumber: 'D2' }, FIsFirstPost: true }],
      F_Level: 'P5',
      F_CC: { FNumber: 'CC1' },
    });
    expect(employeeModel(desired, { id: 9, postEntryId: 5, fields: ['FPostEntity'] })).toEqual({
      FID: 9,
      FPostEntity: [{ FENTRYID: 5, FPostDept: { FNumber: 'D2' }, FIsFirstPost: true }],
    });
  });

  it('takes the employee number from attributes.FStaffNumber, else the user name', () => {
    const input = {
      correlationId: 'c',
      userName: 'jane@example.com',
      email: null,
      displayName: 'Jane',
      active: true,
      attributes: {},
    };
    expect(employeeFromAccountInput(input).number).toBe('jane@example.com');
    expect(
      employeeFromAccountInput({ ...input, attributes: { FStaffNumber: 'E42', FMobile: null } }),
    ).toMatchObject({
      number: 'E42',
      mobile: '',
      departmentNumber: undefined,
    });
  });

  it('passes Kingdee field keys through, ignores other attributes and refuses values Kingdee cannot take', () => {
    expect(
      customFields({ F_A: 1, FPost: { FNumber: 'P1' }, roles: ['x'], FName: 'managed', F_B: null }),
    ).toEqual({
      F_A: 1,
      FPost: { FNumber: 'P1' },
      F_B: null,
    });
    expect(() => customFields({ F_A: { nested: true } })).toThrow(ConnectorError);
  });

  it('numbers a department by its code, else its correlation id, within 80 characters', () => {
    expect(
      departmentFromInput({ correlationId: 'id-1', name: ' 财务 ', parentExternalId: null, code: ' FIN ' }),
    ).toEqual({
      number: 'FIN',
      name: '财务',
      parentNumber: null,
    });
    expect(
      departmentFromInput({ correlationId: 'id-1', name: 'x', parentExternalId: 'P', code: null }).number,
    ).toBe('id-1');
    expect(() =>
      departmentFromInput({ correlationId: 'x'.repeat(81), name: 'x', parentExternalId: null }),
    ).toThrow(/80/);
  });

  it('quotes filter values so a record cannot change the condition', () => {
    expect(and(equals('FStaffNumber', "O'Brien' or 1=1 --"), undefined, greaterThan('FID', 3))).toBe(
      "(FStaffNumber = 'O''Brien'' or 1=1 --') and (FID > 3)",
    );
    expect(() => greaterThan('FID', 1.5)).toThrow(RangeError);
  });
});
