import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

/**
 * CPU seconds used by processes, read from /proc (proc(5)). On a machine other work is loading, wall time says
 * little about our code; the CPU each part of the system spends per person does not depend on the neighbours.
 */

/** /proc reports CPU times in USER_HZ ticks: 100 per second on every Linux architecture (sysconf(_SC_CLK_TCK)). */
const TICKS_PER_SECOND = 100;

interface Stat {
  ppid: number;
  /** utime + stime + cutime + cstime: the process and the children it reaped (the postmaster reaps backends). */
  ticks: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: fields are counted after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const num = (i: number): number => Number(fields[i] ?? 0);
    return { ppid: num(1), ticks: num(11) + num(12) + num(13) + num(14) };
  } catch {
    return undefined; // gone between listing and reading
  }
}

/** CPU seconds of `rootPid`, its live descendants, and the descendants already reaped. */
export function treeCpuSeconds(rootPid: number): number {
  if (!rootPid) return Number.NaN;
  const children = new Map<number, number[]>();
  const stats = new Map<number, Stat>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    const stat = readStat(pid);
    if (!stat) continue;
    stats.set(pid, stat);
    const list = children.get(stat.ppid);
    if (list) list.push(pid);
    else children.set(stat.ppid, [pid]);
  }
  if (!stats.has(rootPid)) return Number.NaN;
  let ticks = 0;
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    ticks += stats.get(pid)?.ticks ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return ticks / TICKS_PER_SECOND;
}

/** The postmaster's pid from `<clusterDir>/postmaster.pid` (its first line), or null. */
export function postmasterPid(clusterDir: string): number | null {
  try {
    const pid = Number(readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** The first process whose command line contains every one of `parts` (the Temporal dev server, by its port). */
export function findProcess(parts: string[]): number | null {
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      continue;
    }
    if (parts.every((part) => cmdline.includes(part))) return pid;
  }
  return null;
}

/** The machine's load averages (1, 5, 15 min): how shared the two cores were during a run. */
export function machineLoad(): { load1: number; load5: number; load15: number } {
  const [load1 = 0, load5 = 0, load15 = 0] = loadavg().map((v) => Math.round(v * 100) / 100);
  return { load1, load5, load15 };
}
