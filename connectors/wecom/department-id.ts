import { createHash } from 'node:crypto';

/**
 * WeCom lets the caller choose a department's id on create ("部门id，32位整型，指定时必须大于1",
 * 通讯录管理-部门管理-创建部门). Junction derives it from the department's correlation id, so the WeCom id of any
 * department Junction manages can be found again from our key alone: a retried create, a rename or a move all
 * land on the same department even when the engine lost the id it was given. Derived ids live in
 * [2^30, 2^31 - 1), far above the small sequential ids WeCom gives departments created by hand.
 */
const BASE = 2 ** 30;
const SPAN = 2 ** 31 - 1 - BASE;

export function departmentIdFor(correlationId: string): number {
  const digest = createHash('sha256').update(correlationId, 'utf8').digest();
  return BASE + (digest.readUInt32BE(0) % SPAN);
}

export function isDerivedDepartmentId(id: number): boolean {
  return Number.isInteger(id) && id >= BASE && id < BASE + SPAN;
}
