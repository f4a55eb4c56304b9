import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ticksPerSecond = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time a process has used so far, in microseconds: in its own code and in the kernel. */
export interface CpuSplit {
  /** utime: the process's own code (JavaScript, V8, libuv, native addons). */
  userMicros: number;
  /** stime: the kernel working for it (syscalls: the sockets' reads and writes). */
  systemMicros: number;
}

/**
 * utime and stime of a process from `/proc/<pid>/stat` (fields 14 and 15, counted after the
 * parenthesised name, which may hold spaces).
 */
export function cpuSplitOf(pid: number): CpuSplit {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const micros = (ticks: string) => (Number(ticks) / ticksPerSecond) * 1e6;
  return { userMicros: micros(fields[11]), systemMicros: micros(fields[12]) };
}

/** CPU time (utime + stime) a process has used so far, in microseconds. */
export function cpuMicrosOf(pid: number): number {
  const { userMicros, systemMicros } = cpuSplitOf(pid);
  return userMicros + systemMicros;
}

/** Peak resident set size of a process so far (`VmHWM` of `/proc/<pid>/status`), in bytes. */
export function peakRssBytesOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  if (kib === undefined) {
    throw new Error(`no VmHWM in /proc/${pid}/status`);
  }
  return Number(kib) * 1024;
}
