import { z } from 'zod';
import { envelopeSchema } from './envelope.js';

/**
 * A department as `department/get` and `department/list` return it (通讯录管理-部门管理-获取单个部门详情).
 * `name` is withheld from some secrets, so it is optional; the root department's `parentid` is 0.
 */
export const departmentSchema = z.object({
  id: z.number().int(),
  name: z.string().optional(),
  name_en: z.string().optional(),
  department_leader: z.array(z.string()).optional(),
  parentid: z.number().int(),
  order: z.number().int().optional(),
});
export type WeComDepartment = z.infer<typeof departmentSchema>;

export const getDepartmentResponseSchema = envelopeSchema.extend({ department: departmentSchema });

/** department/list (获取部门列表): the department and its whole subtree. */
export const listDepartmentsResponseSchema = envelopeSchema.extend({
  department: z.array(departmentSchema).default([]),
});

/** department/simplelist (获取子部门ID列表): ids, parents and order only, the whole subtree. */
export const simpleListDepartmentsResponseSchema = envelopeSchema.extend({
  department_id: z
    .array(z.object({ id: z.number().int(), parentid: z.number().int(), order: z.number().int().optional() }))
    .default([]),
});

/** department/create answers with the new id (创建部门). */
export const createDepartmentResponseSchema = envelopeSchema.extend({ id: z.number().int() });

/** The bodies of department/create and department/update (创建部门 / 更新部门). */
export interface DepartmentPayload {
  id?: number;
  name?: string;
  name_en?: string;
  parentid?: number;
  order?: number;
}
