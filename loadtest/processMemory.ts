/**
 * Memory per stack process, from /proc, grouped like processCpu.ts (a process group and the direct
 * children that left it). RSS counts every page a process has resident, so a group of processes
 * that share pages (PostgreSQL's backends and shared buffers) is over-counted when summed; PSS
 * divides each shared page among the processes that map it, so PSS sums are the fair figure.
 */
import fs from 'node:fs';

export interface Memory {
  /** Resident set, summed over the group's processes, bytes. */
  rss: number;
  /** Proportional set size, summed over the group's processes, bytes (0 where smaps_rollup is unreadable). */
  pss: number;
  processes: number;
}

/** The value in kB of a "Name:   123 kB" line of /proc/<pid>/status or smaps_rollup, in bytes. */
export function kbField(text: string, name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) * 1024 : 0;
}

/** Memory of every process group (pid → name), by name. */
export function memoryByGroup(groups: Map<number, string>): Map<string, Memory> {
  const out = new Map<string, Memory>([...groups.values()].map((n) => [n, { rss: 0, pss: 0, processes: 0 }]));
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    let status: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
    } catch {
      continue;
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const name = groups.get(Number(f[2])) ?? groups.get(Number(f[1]));
    if (name === undefined) continue;
    let pss = 0;
    try {
      pss = kbField(fs.readFileSync(`/proc/${entry}/smaps_rollup`, 'utf8'), 'Pss');
    } catch {
      /* not ours to read: leave 0 */
    }
    const m = out.get(name)!;
    m.rss += kbField(status, 'VmRSS');
    m.pss += pss;
    m.processes++;
  }
  return out;
}
