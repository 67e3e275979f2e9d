import { classifyKingdeeResponse, statusError } from './error-mapping.js';
import type { ResponseStatus } from './wire.js';

const status = (MsgCode: number, Message: string, FieldName: string | null = null): ResponseStatus => ({
  IsSuccess: false,
  MsgCode,
  Errors: [{ FieldName, Message, DIndex: 0 }],
});

describe('Kingdee error mapping', () => {
  it('maps MsgCodes onto ConnectorError codes, keeping the vendor code and message', () => {
    const cases: [number, string, string, boolean][] = [
      [2, '没有权限', 'permission_denied', false],
      [7, '许可错误', 'permission_denied', false],
      [9, '字段不存在', 'not_found', false],
      [10, '未找到', 'not_found', false],
      [11, '违反字段唯一性要求：编码唯一。[E1]在当前系统中已经被使用。', 'conflict', false],
      [11, '字段“名称”是必录项！', 'vendor_error', false],
      [12, '已审核，不允许修改', 'conflict', false],
      [13, '网控冲突', 'unavailable', true],
      [14, '调用限制', 'rate_limited', true],
      [15, '禁止管理员登录', 'auth_failed', false],
      [4, '异常', 'vendor_error', false],
    ];
    for (const [code, message, expected, retryable] of cases) {
      const error = statusError(status(code, message, 'FNumber'), 'save of 员工 E1');
      expect({ code, kind: error.connectorCode, retryable: error.retryable }).toEqual({
        code,
        kind: expected,
        retryable,
      });
      expect(error.vendorCode).toBe(`MsgCode ${code}`);
      expect(error.vendorMessage).toBe(`FNumber: ${message}`);
    }
  });

  it('re-logs in on a lost session, in either body shape, and retries throttling', () => {
    const lost = { Result: { ResponseStatus: status(1, '会话信息已丢失，请重新登录') } };
    expect(classifyKingdeeResponse({ status: 200, data: lost, headers: {} })).toBe('retry_auth');
    expect(classifyKingdeeResponse({ status: 200, data: [[lost]], headers: {} })).toBe('retry_auth');
    const limited = classifyKingdeeResponse({
      status: 200,
      data: [[{ Result: { ResponseStatus: status(14, '调用限制') } }]],
      headers: {},
    });
    expect(limited).toMatchObject({ connectorCode: 'rate_limited', retryable: true });
    expect(classifyKingdeeResponse({ status: 200, data: [['E1', 1]], headers: {} })).toBeUndefined();
    expect(
      classifyKingdeeResponse({
        status: 200,
        data: { Result: { ResponseStatus: status(11, 'x') } },
        headers: {},
      }),
    ).toBeUndefined();
  });

  it('reads the public-cloud gateway (HTTP 519) and a baseUrl that is not the WebAPI', () => {
    const gateway = (errcode: number) =>
      classifyKingdeeResponse({
        status: 519,
        data: { errcode, description: 'x', description_cn: 'y' },
        headers: {},
      });
    expect(gateway(4002)).toMatchObject({
      connectorCode: 'auth_failed',
      vendorCode: '4002',
      retryable: false,
    });
    expect(gateway(5001)).toMatchObject({ connectorCode: 'invalid_config' });
    expect(classifyKingdeeResponse({ status: 200, data: '<html>login</html>', headers: {} })).toMatchObject({
      connectorCode: 'invalid_config',
    });
    expect(
      classifyKingdeeResponse({
        status: 200,
        data: 'response_error:{"Message":"对象引用未设置到对象的实例"}',
        headers: {},
      }),
    ).toMatchObject({ connectorCode: 'vendor_error', vendorCode: 'response_error' });
    expect(classifyKingdeeResponse({ status: 404, data: 'not found', headers: {} })).toMatchObject({
      connectorCode: 'invalid_config',
    });
    expect(classifyKingdeeResponse({ status: 503, data: '<html/>', headers: {} })).toBeUndefined();
  });
});
