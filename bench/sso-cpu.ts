import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time spent by process trees, read from /proc (proc(5)): a benchmark's yardstick that does not depend on how
 * busy the rest of the machine is. Linux reports these fields in clock ticks of USER_HZ, which is 100 on every
 * architecture the kernel exports to user space (sysconf(_SC_CLK_TCK)), so a tick is 10 ms.
 */
const TICK_MS = 10;

interface StatFields {
  ppid: number;
  /** utime + stime + cutime + cstime: this process and its reaped children. */
  ticks: number;
}

function readStat(pid: number): StatFields | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone between listing and reading
  }
  // The command name (field 2) is in parentheses and may hold spaces: split after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const num = (i: number): number => Number(fields[i] ?? 0);
  // fields[0] is field 3 (state); ppid is field 4; utime..cstime are fields 14..17.
  return { ppid: num(1), ticks: num(11) + num(12) + num(13) + num(14) };
}

/**
 * CPU milliseconds used so far by `rootPid` and every live descendant, plus the descendants that already exited
 * and were reaped (they are in their parent's cutime / cstime). PostgreSQL's postmaster reaps its backends and a
 * cluster primary its workers, so a whole server is one root.
 */
export function treeCpuMs(rootPid: number): number {
  const parentOf = new Map<number, StatFields>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const stat = readStat(pid);
    if (stat) parentOf.set(pid, stat);
  }
  let ticks = 0;
  const stack = [rootPid];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const stat = parentOf.get(pid);
    if (!stat) continue;
    ticks += stat.ticks;
    for (const [child, s] of parentOf) if (s.ppid === pid) stack.push(child);
  }
  return ticks * TICK_MS;
}

/** Busy CPU milliseconds of the whole machine so far (all cores; /proc/stat's first line less idle and iowait). */
export function machineBusyMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [, ...values] = line.trim().split(/\s+/);
  const n = values.map(Number);
  const total = n.reduce((a, b) => a + b, 0);
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  return (total - idle) * TICK_MS;
}

/** The postmaster's pid: the first line of `<clusterDir>/postmaster.pid`. */
export function postmasterPidOf(clusterDir: string): number {
  const pid = Number(readFileSync(`${clusterDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`bench: no postmaster pid in ${clusterDir}`);
  return pid;
}
