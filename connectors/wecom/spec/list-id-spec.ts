import type { ApiSpec } from './field-lists.js';

/**
 * 通讯录管理-成员管理-获取成员ID列表 (developer.work.weixin.qq.com/document/path/96067), which the field lists in
 * shared/specs/wecom predate (the API was published in August 2022): written down here in the same form, field
 * by field from the documentation page.
 */
export const LIST_ID_SPEC: ApiSpec = {
  operationId: 'WwOpenListUserId',
  method: 'POST',
  path: '/user/list_id',
  query: [{ name: 'access_token', type: 'string', required: true }],
  body: [
    { name: 'cursor', type: 'string', required: false },
    { name: 'limit', type: 'number', required: false },
  ],
  response: [
    { name: 'errcode', type: 'number', required: false },
    { name: 'errmsg', type: 'string', required: false },
    { name: 'next_cursor', type: 'string', required: false },
    {
      name: 'dept_user',
      type: 'array',
      required: false,
      items: [
        {
          name: '',
          type: 'object',
          required: false,
          items: [
            { name: 'userid', type: 'string', required: false },
            { name: 'department', type: 'number', required: false },
          ],
        },
      ],
    },
  ],
};
