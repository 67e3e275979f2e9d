import { ConnectorError } from '../kit/errors.js';
import { classifyWeComResponse } from './client.js';

describe('WeCom answers', () => {
  it('treats "Warning: wrong json format" as a failure even with errcode 0', () => {
    const verdict = classifyWeComResponse(
      { status: 200, headers: {}, data: { errcode: 0, errmsg: 'updated. Warning: wrong json format. ' } },
      false,
    );
    expect(verdict).toBeInstanceOf(ConnectorError);
    expect(verdict).toMatchObject({ connectorCode: 'vendor_error', retryable: false });
    expect(
      classifyWeComResponse({ status: 200, headers: {}, data: { errcode: 0, errmsg: 'ok' } }, false),
    ).toBeUndefined();
    expect(
      classifyWeComResponse({ status: 200, headers: {}, data: { errcode: 42001, errmsg: 'x' } }, false),
    ).toBe('retry_auth');
    expect(
      classifyWeComResponse({ status: 200, headers: {}, data: { errcode: 42001, errmsg: 'x' } }, true),
    ).toBeInstanceOf(ConnectorError);
    expect(classifyWeComResponse({ status: 502, headers: {}, data: 'bad gateway' }, false)).toBeUndefined();
  });
});
