/** The machine a benchmark ran on, and how busy it was: what the results files record beside every figure. */
import fs from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  cores: number;
  memoryGiB: number;
  cpu: string;
  kernel: string;
}

export function machineInfo(): MachineInfo {
  return { cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), cpu: os.cpus()[0]?.model ?? 'unknown', kernel: os.release() };
}

/** CPU seconds the whole machine has spent busy (every core: user, nice, system, irq, softirq, steal), from /proc/stat's first line. */
export function busyCpuSeconds(stat = fs.readFileSync('/proc/stat', 'utf8')): number {
  const f = stat.split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f;
  return (user + nice + system + irq + softirq + (steal ?? 0)) / 100; // USER_HZ
}
