import { z } from 'zod';
import { Errcode } from '../api/errcodes.js';
import { answer, type Answer, type Endpoint, type EndpointRequest } from './endpoint.js';
import { renderUser } from './render.js';
import { bodyOf } from './lenient-body.js';
import { checkUserBody, userBodySchema, type UserBody } from './user-rules.js';

const listIdBodySchema = z.object({
  cursor: z.string().optional(),
  limit: z.number().int().optional(),
});

const useridListBodySchema = z.object({ useridlist: z.array(z.string()).optional() });
const mobileBodySchema = z.object({ mobile: z.string().optional() });
const emailBodySchema = z.object({ email: z.string().optional(), email_type: z.number().int().optional() });

function departmentIdParam(request: EndpointRequest): number | undefined {
  const raw = request.query.department_id;
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : undefined;
}

export const userEndpoints: Endpoint[] = [
  {
    // 通讯录管理-成员管理-创建成员: POST /cgi-bin/user/create
    method: 'POST',
    path: '/user/create',
    write: true,
    handle: (corp, request): Answer => {
      const body = bodyOf(request, userBodySchema);
      const refusal = checkUserBody(body, 'create');
      if (refusal) return refusal;
      const created = corp.members.create(
        body as UserBody & { userid: string; name: string; department: number[] },
      );
      return created.ok ? answer({}, 'created') : created.refusal;
    },
  },
  {
    // 通讯录管理-成员管理-更新成员: POST /cgi-bin/user/update
    method: 'POST',
    path: '/user/update',
    write: true,
    handle: (corp, request): Answer => {
      const body = bodyOf(request, userBodySchema);
      if (!body.userid) return { errcode: Errcode.missingUserid };
      if (!corp.members.get(body.userid)) return { errcode: Errcode.useridNotFound };
      const refusal = checkUserBody(body, 'update');
      if (refusal) return refusal;
      const updated = corp.members.update(body as UserBody & { userid: string });
      return updated.ok ? answer({}, 'updated') : updated.refusal;
    },
  },
  {
    // 通讯录管理-成员管理-读取成员: GET /cgi-bin/user/get?userid=
    method: 'GET',
    path: '/user/get',
    handle: (corp, request): Answer => {
      const userid = request.query.userid;
      if (!userid) return { errcode: Errcode.missingUserid };
      const user = corp.members.get(userid);
      return user ? answer(renderUser(user, corp.members)) : { errcode: Errcode.useridNotFound };
    },
  },
  {
    // 通讯录管理-成员管理-删除成员: GET /cgi-bin/user/delete?userid=
    method: 'GET',
    path: '/user/delete',
    write: true,
    handle: (corp, request): Answer => {
      const userid = request.query.userid;
      if (!userid) return { errcode: Errcode.missingUserid };
      const deleted = corp.members.delete(userid);
      return deleted.ok ? answer({}, 'deleted') : deleted.refusal;
    },
  },
  {
    // 通讯录管理-成员管理-批量删除成员: POST /cgi-bin/user/batchdelete {useridlist ≤ 200}
    method: 'POST',
    path: '/user/batchdelete',
    write: true,
    handle: (corp, request): Answer => {
      const { useridlist } = bodyOf(request, useridListBodySchema);
      const deleted = corp.members.batchDelete(useridlist ?? []);
      return deleted.ok ? answer({}, 'deleted') : deleted.refusal;
    },
  },
  {
    // 通讯录管理-成员管理-获取成员ID列表: POST /cgi-bin/user/list_id {cursor, limit 1–10000}; "仅支持通过“通讯录同步secret”调用"
    method: 'POST',
    path: '/user/list_id',
    contactsOnly: true,
    handle: (corp, request): Answer => {
      const body = bodyOf(request, listIdBodySchema);
      const limit = body.limit ?? 10_000;
      if (limit < 1 || limit > 10_000) return { errcode: Errcode.invalidParameter, errmsg: 'invalid limit' };
      const page = corp.members.listIdPage(body.cursor, limit);
      if (!page.ok) return page.refusal;
      // "next_cursor … 如果该字段返回空则表示已没有更多数据": the last page carries none.
      return answer({
        ...(page.value.nextCursor ? { next_cursor: page.value.nextCursor } : {}),
        dept_user: page.value.rows,
      });
    },
  },
  {
    // 通讯录管理-成员管理-获取部门成员: GET /cgi-bin/user/simplelist?department_id= (direct members only)
    method: 'GET',
    path: '/user/simplelist',
    legacyList: true,
    handle: (corp, request): Answer => {
      const id = departmentIdParam(request);
      if (id === undefined) return { errcode: Errcode.invalidParameter, errmsg: 'invalid department_id' };
      if (!corp.tree.has(id)) return { errcode: Errcode.departmentNotFound };
      return answer({
        userlist: corp.members
          .membersOf(id)
          .map((user) => ({ userid: user.userid, name: user.name, department: user.department })),
      });
    },
  },
  {
    // 通讯录管理-成员管理-获取部门成员详情: GET /cgi-bin/user/list?department_id= (direct members only)
    method: 'GET',
    path: '/user/list',
    legacyList: true,
    handle: (corp, request): Answer => {
      const id = departmentIdParam(request);
      if (id === undefined) return { errcode: Errcode.invalidParameter, errmsg: 'invalid department_id' };
      if (!corp.tree.has(id)) return { errcode: Errcode.departmentNotFound };
      return answer({ userlist: corp.members.membersOf(id).map((user) => renderUser(user, corp.members)) });
    },
  },
  {
    // 通讯录管理-成员管理-手机号获取userid: POST /cgi-bin/user/getuserid {mobile}
    method: 'POST',
    path: '/user/getuserid',
    handle: (corp, request): Answer => {
      const { mobile } = bodyOf(request, mobileBodySchema);
      if (!mobile)
        return { errcode: Errcode.invalidParameter, errmsg: 'invalid Request Parameter, mobile missing' };
      const user = corp.members.findByMobile(mobile);
      return user ? answer({ userid: user.userid }) : { errcode: Errcode.userNotExist };
    },
  },
  {
    // 通讯录管理-成员管理-邮箱获取userid: POST /cgi-bin/user/get_userid_by_email {email, email_type 1 企业邮箱 (default) | 2 个人邮箱}
    method: 'POST',
    path: '/user/get_userid_by_email',
    handle: (corp, request): Answer => {
      const body = bodyOf(request, emailBodySchema);
      if (!body.email)
        return { errcode: Errcode.invalidParameter, errmsg: 'invalid Request Parameter, email missing' };
      const user = corp.members.findByEmail(body.email, (body.email_type ?? 1) === 1);
      return user ? answer({ userid: user.userid }) : { errcode: Errcode.userNotExist };
    },
  },
];
