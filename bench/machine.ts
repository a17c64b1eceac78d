/** What a benchmark figure depends on besides the code: the machine and how busy it is. */
import fs from 'node:fs';
import os from 'node:os';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly node: string;
  readonly platform: string;
}

export function machineInfo(): MachineInfo {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** Load average over 1, 5 and 15 minutes (runnable processes; above the core count, work waits for a CPU). */
export function loadAverage(): readonly [number, number, number] {
  const [a = 0, b = 0, c = 0] = os.loadavg();
  return [round2(a), round2(b), round2(c)];
}

/**
 * Peak resident set size of this process in MB: VmHWM from /proc/self/status
 * on Linux, else `process.resourceUsage().maxRSS`.
 */
export function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (match?.[1] !== undefined) return Math.round(Number(match[1]) / 1024);
  } catch {
    // not Linux
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/**
 * A fixed CPU-bound workload (integer hashing in a tight loop), in ms. Run at
 * the start and the end of a benchmark, it shows how much CPU the shared
 * machine gave us: figures taken while it was slow are inflated by about the
 * same factor.
 */
export function calibrationMs(): number {
  const started = performance.now();
  let h = 0x811c9dc5;
  for (let i = 0; i < 300_000_000; i++) h = Math.imul(h ^ i, 0x01000193);
  const ms = performance.now() - started;
  if (h === 42) console.log(''); // keeps the loop from being optimised away
  return Math.round(ms);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
