/**
 * CPU time per stack process, from /proc: each one is started as its own group leader, so a
 * group's sum includes what it forked; direct children that left the group count too
 * (PostgreSQL's backends each call setsid()), and so do ended children their parent reaped.
 */
import fs from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) used so far by every process in each of these process groups. */
export function cpuSecondsByGroup(groups: Map<number, string>): Map<string, number> {
  const out = new Map<string, number>([...groups.values()].map((n) => [n, 0]));
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const name = groups.get(Number(f[2])) ?? groups.get(Number(f[1])); // field 5: process group; field 4: parent
    if (name === undefined) continue;
    // fields 14, 15: its own time; 16, 17: children it has waited for (PostgreSQL's postmaster reaps
    // its backends, so a backend that ended still counts, and no time is counted twice)
    out.set(name, (out.get(name) ?? 0) + (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICKS_PER_SECOND);
  }
  return out;
}

/** Cores used per process group between two samples taken `seconds` apart. */
export function coresUsed(before: Map<string, number>, after: Map<string, number>, seconds: number): Record<string, number> {
  return Object.fromEntries([...after.entries()].map(([k, v]) => [k, (v - (before.get(k) ?? 0)) / seconds]));
}

/** CPU seconds the whole machine has been busy since boot (all processes, not only the stack's), from /proc/stat. */
export function machineBusySeconds(): number {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f; // idle and iowait are not busy
  return (user + nice + system + irq + softirq + (steal ?? 0)) / TICKS_PER_SECOND;
}
