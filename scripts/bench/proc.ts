import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { stopChild } from '../../services/meili/embedded';

/** Resident memory of a Linux process from /proc, in bytes; null once it is gone. */
export interface MemoryReading {
  rss: number;
  /** Peak resident set size ("high water mark") over the process's life so far. */
  hwm: number;
}

export function readMemory(pid: number): MemoryReading | null {
  try {
    return parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}

/** Pulls VmRSS and VmHWM (kB) out of /proc/PID/status text. */
export function parseProcStatus(status: string): MemoryReading | null {
  const kb = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) * 1024 : null;
  };
  const rss = kb('VmRSS');
  const hwm = kb('VmHWM');
  return rss === null || hwm === null ? null : { rss, hwm };
}

/**
 * Samples a process's memory every `intervalMs` until stopped. The kernel's own peak (VmHWM) is kept from the last
 * reading, so short spikes between samples still count; `maxRss` is the highest sampled RSS.
 */
export class MemorySampler {
  private timer: NodeJS.Timeout | null = null;
  peak = 0;
  maxRss = 0;
  samples = 0;
  /** CPU time (user + system) at the last sample, ms. */
  cpuMs = 0;

  constructor(private readonly pid: number, private readonly intervalMs = 100) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  sample(): void {
    const m = readMemory(this.pid);
    if (!m) return;
    this.samples += 1;
    this.cpuMs = readCpuMs(this.pid) ?? this.cpuMs;
    this.peak = Math.max(this.peak, m.hwm);
    this.maxRss = Math.max(this.maxRss, m.rss);
  }

  stop(): { peak: number; maxRss: number } {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return { peak: this.peak, maxRss: this.maxRss };
  }
}

/** User + system CPU time of a process so far, in ms (clock ticks are 100 Hz on Linux). */
export function readCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  peakRss: number;
  /** CPU time of the process, sampled (the last 50 ms may be missing). */
  cpuMs: number;
}

/** Runs a command to completion while sampling its peak RSS (the command must be the process itself, not a wrapper). */
export async function runMeasured(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<ChildRun> {
  const started = performance.now();
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const sampler = new MemorySampler(child.pid ?? -1, 50).start();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // The last sample must be taken before the process is reaped: 'exit' fires after, so sample on stdout close too.
  child.stdout.once('close', () => sampler.sample());
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  const wallMs = performance.now() - started;
  const { peak, maxRss } = sampler.stop();
  return { code, stdout, stderr, wallMs, peakRss: Math.max(peak, maxRss), cpuMs: sampler.cpuMs };
}

/**
 * Starts a long-running child (the API) with its output going to a file, as a deployed service's would, and resolves
 * once `ready` matches that output. A pipe would make the benchmark process pay for reading every request log line.
 */
export async function startService(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<{ pid: number; stop: () => Promise<void> }> {
  const fd = openSync(logFile, 'w');
  const child = spawn(command, args, { env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const output = readFileSync(logFile, 'utf8');
    if (ready.test(output)) break;
    if (exited !== undefined) throw new Error(`service exited with ${exited} during startup:\n${output.slice(-4000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`service did not start in time:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid ?? -1,
    stop: () => stopChild(child),
  };
}
