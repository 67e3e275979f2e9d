import { Errcode } from '../api/errcodes.js';
import { ok, refuse, type Outcome, type SimDepartment } from './sim-types.js';

/** 创建部门: "部门的最大层级为15层；部门总数不能超过3万个；每个部门下的节点不能超过3万个". */
export const MAX_DEPTH = 15;
export const MAX_DEPARTMENTS = 30_000;
export const MAX_NODES_PER_DEPARTMENT = 30_000;
export const ROOT_ID = 1;

/** 创建部门 `name`: 1–32 characters, none of \:*?"<>｜ (the ASCII bar is refused too). */
const FORBIDDEN_NAME_CHARS = /[\\:*?"<>|｜]/;
const MAX_ID = 2 ** 31 - 1;

export interface DepartmentCreate {
  name: string;
  name_en?: string;
  parentid: number;
  order?: number;
  id?: number;
}

export interface DepartmentUpdate {
  id: number;
  name?: string;
  name_en?: string;
  parentid?: number;
  order?: number;
}

/**
 * The department tree of one simulated corp, with the checks WeCom documents for create / update / delete.
 * `memberCount` is supplied by the member store so that "每个部门下的节点" counts members too.
 */
export class DepartmentTree {
  private readonly byId = new Map<number, SimDepartment>();
  /** parent id → (child name → child id): names are unique among siblings, so the name is the key. */
  private readonly children = new Map<number, Map<string, number>>();
  private nextAutoId = 2;

  constructor(
    rootName: string,
    private readonly memberCount: (departmentId: number) => number,
  ) {
    this.byId.set(ROOT_ID, { id: ROOT_ID, name: rootName, parentid: 0, order: 100_000_000 });
    this.children.set(ROOT_ID, new Map());
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: number): SimDepartment | undefined {
    return this.byId.get(id);
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  childIds(id: number): number[] {
    return [...(this.children.get(id)?.values() ?? [])];
  }

  /** The department and everything below it, parents before children. */
  subtree(id: number): SimDepartment[] {
    const root = this.byId.get(id);
    if (!root) return [];
    const out: SimDepartment[] = [];
    const queue = [root];
    for (let i = 0; i < queue.length; i += 1) {
      const current = queue[i];
      if (!current) continue;
      out.push(current);
      for (const childId of this.children.get(current.id)?.values() ?? []) {
        const child = this.byId.get(childId);
        if (child) queue.push(child);
      }
    }
    return out;
  }

  create(input: DepartmentCreate): Outcome<SimDepartment> {
    const nameCheck = checkName(input.name);
    if (nameCheck) return nameCheck;
    if (input.name_en !== undefined) {
      const enCheck = checkName(input.name_en);
      if (enCheck) return enCheck;
    }
    const parent = this.byId.get(input.parentid);
    if (!parent) return refuse(Errcode.parentDepartmentNotFound);
    if (input.id !== undefined) {
      if (!Number.isInteger(input.id) || input.id <= 1 || input.id > MAX_ID) {
        return refuse(Errcode.invalidParameter, 'invalid Request Parameter, id must be an integer > 1');
      }
      // 60008 "部门ID或者部门名称已存在": one errcode and errmsg for a taken id and a taken name alike.
      if (this.byId.has(input.id)) return refuse(Errcode.departmentExists);
    }
    if (this.siblingNamed(parent.id, input.name) !== undefined) return refuse(Errcode.departmentExists);
    if (this.depth(parent.id) + 1 > MAX_DEPTH) return refuse(Errcode.departmentDepthLimit);
    if (this.byId.size >= MAX_DEPARTMENTS || this.nodeCount(parent.id) >= MAX_NODES_PER_DEPARTMENT) {
      return refuse(Errcode.departmentNodeLimit);
    }
    const id = input.id ?? this.allocateId();
    const department: SimDepartment = {
      id,
      name: input.name,
      parentid: parent.id,
      order: input.order ?? 0,
      ...(input.name_en === undefined ? {} : { name_en: input.name_en }),
    };
    this.byId.set(id, department);
    this.children.set(id, new Map());
    this.childrenOf(parent.id).set(department.name, id);
    if (id >= this.nextAutoId && id < 2 ** 30) this.nextAutoId = id + 1;
    return ok(department);
  }

  update(input: DepartmentUpdate): Outcome<SimDepartment> {
    const department = this.byId.get(input.id);
    if (!department) return refuse(Errcode.departmentNotFound);
    if (input.name !== undefined) {
      const nameCheck = checkName(input.name);
      if (nameCheck) return nameCheck;
    }
    if (input.name_en !== undefined) {
      const enCheck = checkName(input.name_en);
      if (enCheck) return enCheck;
    }
    const newParentId = input.parentid ?? department.parentid;
    const moving = newParentId !== department.parentid;
    if (moving) {
      if (department.id === ROOT_ID) return refuse(Errcode.departmentCycle, 'root department can not move');
      if (!this.byId.has(newParentId)) return refuse(Errcode.parentDepartmentNotFound);
      if (this.isWithin(newParentId, department.id)) return refuse(Errcode.departmentCycle);
      if (this.depth(newParentId) + this.height(department.id) > MAX_DEPTH) {
        return refuse(Errcode.departmentDepthLimit);
      }
      if (this.nodeCount(newParentId) >= MAX_NODES_PER_DEPARTMENT) return refuse(Errcode.departmentNodeLimit);
    }
    const newName = input.name ?? department.name;
    const clash = this.siblingNamed(newParentId, newName);
    if (clash !== undefined && clash !== department.id) return refuse(Errcode.departmentExists);
    if (department.id !== ROOT_ID) {
      this.children.get(department.parentid)?.delete(department.name);
      this.childrenOf(newParentId).set(newName, department.id);
    }
    department.parentid = newParentId;
    department.name = newName;
    if (input.name_en !== undefined) department.name_en = input.name_en;
    if (input.order !== undefined) department.order = input.order;
    return ok(department);
  }

  delete(id: number): Outcome<void> {
    if (id === ROOT_ID) return refuse(Errcode.cannotDeleteRoot);
    const department = this.byId.get(id);
    if (!department) return refuse(Errcode.departmentNotFound);
    if ((this.children.get(id)?.size ?? 0) > 0) return refuse(Errcode.departmentHasChildren);
    if (this.memberCount(id) > 0) return refuse(Errcode.departmentHasMembers);
    this.children.get(department.parentid)?.delete(department.name);
    this.children.delete(id);
    this.byId.delete(id);
    return ok(undefined);
  }

  /** Depth counted from the root (root = 1). */
  depth(id: number): number {
    let depth = 0;
    for (let current = this.byId.get(id); current; current = this.byId.get(current.parentid)) depth += 1;
    return depth;
  }

  private height(id: number): number {
    let height = 1;
    for (const childId of this.children.get(id)?.values() ?? []) {
      height = Math.max(height, 1 + this.height(childId));
    }
    return height;
  }

  /** Is `id` the department `ancestorId` or below it? */
  private isWithin(id: number, ancestorId: number): boolean {
    for (let current = this.byId.get(id); current; current = this.byId.get(current.parentid)) {
      if (current.id === ancestorId) return true;
    }
    return false;
  }

  private nodeCount(id: number): number {
    return (this.children.get(id)?.size ?? 0) + this.memberCount(id);
  }

  private childrenOf(id: number): Map<string, number> {
    let children = this.children.get(id);
    if (!children) this.children.set(id, (children = new Map()));
    return children;
  }

  private siblingNamed(parentId: number, name: string): number | undefined {
    return this.children.get(parentId)?.get(name);
  }

  private allocateId(): number {
    while (this.byId.has(this.nextAutoId)) this.nextAutoId += 1;
    const id = this.nextAutoId;
    this.nextAutoId += 1;
    return id;
  }
}

function checkName(name: string): Outcome<never> | undefined {
  const length = [...name].length;
  if (length < 1 || length > 32) return refuse(Errcode.departmentNameLength);
  if (FORBIDDEN_NAME_CHARS.test(name)) return refuse(Errcode.departmentNameChars);
  return undefined;
}
