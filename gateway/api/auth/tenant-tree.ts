import type { EntityManager } from 'typeorm';

/**
 * The tenant hierarchy as parent links, read once per request: tenants are few (a group and its subsidiaries),
 * so computing subtrees in memory is cheaper and simpler than a recursive query per check.
 */
export class TenantTree {
  private readonly children = new Map<string, string[]>();
  private readonly parents = new Map<string, string | null>();

  constructor(rows: readonly { id: string; parentId: string | null }[]) {
    for (const row of rows) {
      this.parents.set(row.id, row.parentId);
      if (row.parentId) {
        const siblings = this.children.get(row.parentId) ?? [];
        siblings.push(row.id);
        this.children.set(row.parentId, siblings);
      }
    }
  }

  static async load(manager: EntityManager): Promise<TenantTree> {
    const rows = (await manager.query('SELECT id, parent_id AS "parentId" FROM tenants')) as {
      id: string;
      parentId: string | null;
    }[];
    return new TenantTree(rows);
  }

  has(id: string): boolean {
    return this.parents.has(id);
  }

  /** The tenant and everything under it. */
  subtree(rootId: string): string[] {
    if (!this.has(rootId)) return [];
    const out: string[] = [];
    const stack = [rootId];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      out.push(id);
      stack.push(...(this.children.get(id) ?? []));
    }
    return out;
  }

  /** The tenant and its ancestors, nearest first. */
  ancestry(id: string): string[] {
    const out: string[] = [];
    let current: string | null | undefined = id;
    while (current && !out.includes(current)) {
      out.push(current);
      current = this.parents.get(current);
    }
    return out;
  }

  isWithin(id: string, rootId: string): boolean {
    return this.ancestry(id).includes(rootId);
  }
}
