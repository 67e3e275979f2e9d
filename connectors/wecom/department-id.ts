import { createHash } from 'node:crypto';

/**
 * WeCom lets the caller choose a department's id on create ("部门id，32位整型，指定时必须大于1",
 * 通讯录管理-部门管理-创建部门). Junction derives it from the department's correlation id, so that a create whose
 * answer was lost lands on the same department when it is retried. Derived ids live in [2^30, 2^31 - 1), far
 * above the small sequential ids WeCom gives departments created by hand.
 *
 * About 2^30 ids for thousands of departments: two of them share a first candidate with probability ~n²/2^31
 * (1% at 5,000 departments). So a department has a fixed sequence of candidates, tried in order, and takes the
 * first that is free or already its own (see WeComConnector.upsertDepartment); the id it got is what the engine
 * records and passes back on every later upsert, never derived again.
 */
const BASE = 2 ** 30;
const SPAN = 2 ** 31 - 1 - BASE;

/** Candidates tried before giving up: eight ids all held by other departments means something else is wrong. */
export const DEPARTMENT_ID_CANDIDATES = 8;

/** The `attempt`-th candidate id for a department (0 is the first choice, the id earlier versions always used). */
export function departmentIdCandidate(correlationId: string, attempt: number): number {
  const key = attempt === 0 ? correlationId : `${correlationId}\u0000${attempt}`;
  const digest = createHash('sha256').update(key, 'utf8').digest();
  return BASE + (digest.readUInt32BE(0) % SPAN);
}

/** The first-choice id for a department. */
export function departmentIdFor(correlationId: string): number {
  return departmentIdCandidate(correlationId, 0);
}

export function isDerivedDepartmentId(id: number): boolean {
  return Number.isInteger(id) && id >= BASE && id < BASE + SPAN;
}
