import type { DataSource } from 'typeorm';
import { DEMO_GROUP, DEMO_GROUP_SEEDING_SLUG } from './demo-plan.js';

/**
 * What the database holds, as far as the demo is concerned:
 * - `empty`: no tenants at all, the only case in which the demo is seeded;
 * - `seeded`: the demo group exists (with whatever the admin has since added);
 * - `interrupted`: a seed was killed before it finished (the group still has its provisional slug);
 * - `other`: tenants that are not the demo's: a real installation, never touched.
 */
export type DemoState =
  | { kind: 'empty' }
  | { kind: 'seeded'; groupId: string }
  | { kind: 'interrupted'; groupId: string }
  | { kind: 'other' };

export async function inspectDemo(ds: DataSource): Promise<DemoState> {
  const roots = (await ds.query(`SELECT id, slug FROM tenants WHERE parent_id IS NULL AND slug = ANY($1)`, [
    [DEMO_GROUP.slug, DEMO_GROUP_SEEDING_SLUG],
  ])) as { id: string; slug: string }[];
  const seeded = roots.find((r) => r.slug === DEMO_GROUP.slug);
  if (seeded) return { kind: 'seeded', groupId: seeded.id };
  const interrupted = roots.find((r) => r.slug === DEMO_GROUP_SEEDING_SLUG);
  if (interrupted) return { kind: 'interrupted', groupId: interrupted.id };
  const [{ n }] = (await ds.query(`SELECT count(*)::int AS n FROM tenants`)) as [{ n: number }];
  return n === 0 ? { kind: 'empty' } : { kind: 'other' };
}

/** Any fixed number distinct from the migration lock's; the same in every Junction process. */
const DEMO_LOCK_KEY = 7_240_612;

/**
 * Runs `work` holding a session advisory lock, so two `junction start`s against one database (a second terminal,
 * a quick restart) never both decide the database is empty and seed it twice.
 */
export async function withDemoLock<T>(ds: DataSource, work: () => Promise<T>): Promise<T> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [DEMO_LOCK_KEY]);
    return await work();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [DEMO_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
