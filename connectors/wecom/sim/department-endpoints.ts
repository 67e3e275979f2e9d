import { z } from 'zod';
import { Errcode } from '../api/errcodes.js';
import { ROOT_ID } from './department-tree.js';
import { bodyOf } from './lenient-body.js';
import { answer, type Answer, type Endpoint, type EndpointRequest } from './endpoint.js';
import { renderDepartment, renderSubtree } from './render.js';
import type { Refusal } from './sim-types.js';

const createBodySchema = z.object({
  name: z.string().optional(),
  name_en: z.string().optional(),
  parentid: z.number().int().optional(),
  order: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  id: z.number().int().optional(),
});

const updateBodySchema = createBodySchema.extend({ id: z.number().int().optional() });

/** `id` query parameter; `fallback` when absent (the list APIs default to the whole tree). */
function idParam(request: EndpointRequest, fallback?: number): number | Refusal {
  const raw = request.query.id;
  if (raw === undefined || raw === '') {
    return fallback ?? { errcode: Errcode.invalidParameter, errmsg: 'invalid Request Parameter, id missing' };
  }
  return /^\d+$/.test(raw) ? Number(raw) : { errcode: Errcode.invalidParameter, errmsg: 'invalid id' };
}

export function departmentEndpoints(options: { multilingual: boolean }): Endpoint[] {
  // name_en "需要在管理后台开启多语言支持才能生效": without it the field is ignored.
  const nameEn = (value: string | undefined): { name_en?: string } =>
    options.multilingual && value !== undefined ? { name_en: value } : {};
  return [
    {
      // 通讯录管理-部门管理-创建部门: POST /cgi-bin/department/create {name, name_en, parentid, order, id}
      method: 'POST',
      path: '/department/create',
      write: true,
      handle: (corp, request): Answer => {
        const body = bodyOf(request, createBodySchema);
        if (body.name === undefined) return { errcode: Errcode.departmentNameLength };
        if (body.parentid === undefined) return { errcode: Errcode.parentDepartmentNotFound };
        const created = corp.tree.create({
          name: body.name,
          parentid: body.parentid,
          ...nameEn(body.name_en),
          ...(body.order === undefined ? {} : { order: body.order }),
          ...(body.id === undefined ? {} : { id: body.id }),
        });
        return created.ok ? answer({ id: created.value.id }, 'created') : created.refusal;
      },
    },
    {
      // 通讯录管理-部门管理-更新部门: POST /cgi-bin/department/update {id, name, name_en, parentid, order}
      method: 'POST',
      path: '/department/update',
      write: true,
      handle: (corp, request): Answer => {
        const body = bodyOf(request, updateBodySchema);
        if (body.id === undefined)
          return { errcode: Errcode.invalidParameter, errmsg: 'invalid Request Parameter, id missing' };
        const updated = corp.tree.update({
          id: body.id,
          ...(body.name === undefined ? {} : { name: body.name }),
          ...nameEn(body.name_en),
          ...(body.parentid === undefined ? {} : { parentid: body.parentid }),
          ...(body.order === undefined ? {} : { order: body.order }),
        });
        return updated.ok ? answer({}, 'updated') : updated.refusal;
      },
    },
    {
      // 通讯录管理-部门管理-删除部门: GET /cgi-bin/department/delete?id= ("不能删除根部门；不能删除含有子部门、成员的部门")
      method: 'GET',
      path: '/department/delete',
      write: true,
      handle: (corp, request): Answer => {
        const id = idParam(request);
        if (typeof id !== 'number') return id;
        const deleted = corp.tree.delete(id);
        return deleted.ok ? answer({}, 'deleted') : deleted.refusal;
      },
    },
    {
      // 通讯录管理-部门管理-获取部门列表: GET /cgi-bin/department/list?id= (the department and its subtree; all when absent)
      method: 'GET',
      path: '/department/list',
      legacyList: true,
      handle: (corp, request): Answer => {
        const id = idParam(request, ROOT_ID);
        if (typeof id !== 'number') return id;
        if (!corp.tree.has(id)) return { errcode: Errcode.departmentNotFound };
        return answer({ department: renderSubtree(corp.tree, id, corp.members) });
      },
    },
    {
      // 通讯录管理-部门管理-获取子部门ID列表: GET /cgi-bin/department/simplelist?id= (ids of the subtree)
      method: 'GET',
      path: '/department/simplelist',
      handle: (corp, request): Answer => {
        const id = idParam(request, ROOT_ID);
        if (typeof id !== 'number') return id;
        if (!corp.tree.has(id)) return { errcode: Errcode.departmentNotFound };
        return answer({
          department_id: corp.tree.subtree(id).map((department) => ({
            id: department.id,
            parentid: department.parentid,
            order: department.order,
          })),
        });
      },
    },
    {
      // 通讯录管理-部门管理-获取单个部门详情: GET /cgi-bin/department/get?id=
      method: 'GET',
      path: '/department/get',
      handle: (corp, request): Answer => {
        const id = idParam(request);
        if (typeof id !== 'number') return id;
        const department = corp.tree.get(id);
        return department
          ? answer({ department: renderDepartment(department, corp.members) })
          : { errcode: Errcode.departmentNotFound };
      },
    },
  ];
}
