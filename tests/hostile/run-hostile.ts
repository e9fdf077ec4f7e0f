// Runs a hostile guest of tests/hostile under the built salty as a host
// process of its own, sampling that process's VmHWM (/proc/PID/status) until
// it ends: what tests/hostile's tests and `npm run bench` (BENCH_ONLY=hostile) measure.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SALTY = join(process.cwd(), 'dist/salty.mjs');
const DIR = join(process.cwd(), 'tests/hostile');

export interface HostileRun {
  readonly status: number | null;
  readonly stdout: string;
  /** stderr before the --stats report. */
  readonly messages: string[];
  readonly stats: string;
  readonly peakRssBytes: number;
  readonly seconds: number;
  /** The host process's CPU time (user + system), as last sampled from /proc/PID/stat (up to 20 ms short). */
  readonly cpuSeconds: number;
}

/** VmHWM of a live process, in bytes (0 once it is gone). */
function vmHwm(pid: number): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** utime + stime of a live process, in seconds (0 once it is gone; the kernel's clock ticks are 100 a second). */
function cpuTime(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The absolute path a hostile guest runs as (its argv[0] and AT_EXECFN). */
export const hostilePath = (elf: string): string => join(DIR, elf);

/** Runs one hostile guest under salty, sampling the host process's peak RSS until it ends; env (salty's and so the guest's) defaults to ours. */
export function runHostile(elf: string, args: string[], guestMib: number, timeoutMs = 60_000, env: NodeJS.ProcessEnv = process.env): Promise<HostileRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [SALTY, 'run', '--stats', '--audit', '-m', `${guestMib}M`, hostilePath(elf), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    let cpu = 0;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const sampler = setInterval(() => {
      peak = Math.max(peak, vmHwm(child.pid!));
      cpu = Math.max(cpu, cpuTime(child.pid!));
    }, 20);
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (status) => {
      clearInterval(sampler);
      clearTimeout(killer);
      const at = stderr.indexOf('--- salty stats ---');
      const head = at < 0 ? stderr : stderr.slice(0, at);
      resolve({ status, stdout, messages: head.split('\n').filter((l) => l !== ''), stats: at < 0 ? '' : stderr.slice(at), peakRssBytes: peak, seconds: (Date.now() - started) / 1000, cpuSeconds: cpu });
    });
  });
}

