import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ticksPerSecond = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time (utime + stime) a process has used so far, in microseconds, from `/proc/<pid>/stat`
 * (fields 14 and 15, counted after the parenthesised name, which may hold spaces).
 */
export function cpuMicrosOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1e6;
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
