import { generateOrg } from './generate-org.js';

describe('generateOrg', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateOrg({ people: 500, seed: 7 });
    const b = generateOrg({ people: 500, seed: 7 });
    const c = generateOrg({ people: 500, seed: 8 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('builds a tree a few levels deep where every department has a head', () => {
    const org = generateOrg({ people: 2000, seed: 3 });
    const ids = new Set(org.departments.map((d) => d.id));
    expect(org.departments.filter((d) => d.parentId === null)).toHaveLength(1);
    for (const d of org.departments) if (d.parentId) expect(ids.has(d.parentId)).toBe(true);
    expect(Math.max(...org.departments.map((d) => d.depth))).toBeGreaterThanOrEqual(3);
    expect(org.departments.every((d) => d.managerIndex !== null)).toBe(true);
    expect(new Set(org.departments.map((d) => d.name)).size).toBe(org.departments.length);
  });

  it('gives people unique numbers and e-mails, managers that exist, CJK names and a few leavers', () => {
    const org = generateOrg({ people: 5000, seed: 11, domain: 'acme.test' });
    const people = org.people;
    expect(new Set(people.map((p) => p.employeeNumber)).size).toBe(5000);
    expect(new Set(people.map((p) => p.email)).size).toBe(5000);
    expect(people.every((p) => /^[a-z.]+\d*@acme\.test$/.test(p.email))).toBe(true);
    expect(people[0]!.managerIndex).toBeNull();
    expect(people.slice(1).every((p) => p.managerIndex !== null && p.managerIndex !== p.index)).toBe(true);
    const cjk = people.filter((p) => p.script === 'cjk');
    expect(cjk.length).toBeGreaterThan(200);
    expect(cjk[0]!.displayName).toMatch(/^[\u4e00-\u9fff]+$/);
    const leavers = people.filter((p) => p.status === 'terminated');
    expect(leavers.length).toBeGreaterThan(50);
    expect(leavers.every((p) => p.terminationDate !== null && p.terminationDate > p.hireDate)).toBe(true);
    expect(people.every((p) => /^\d{4}-\d{2}-\d{2}$/.test(p.hireDate))).toBe(true);
  });

  it('makes 100,000 people quickly', () => {
    const started = performance.now();
    const org = generateOrg({ people: 100_000, seed: 1 });
    expect(org.people).toHaveLength(100_000);
    expect(org.departments.length).toBe(2500);
    // Not a benchmark: a guard against an accidental quadratic step.
    expect(performance.now() - started).toBeLessThan(15_000);
  });
});
