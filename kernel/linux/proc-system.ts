// The system-wide /proc files in Linux 6.1's formats: meminfo (from the
// PMM's frame owners), cpuinfo (per arch), uptime, loadavg, stat, version,
// filesystems, cmdline, swaps, and the mount table (mounts, mountinfo).

import { syscallTicks } from './syscall-time';
import type { Cpu } from '../../board/aarch64/cpu';
import { aarch64CpuInfo } from '../arch/aarch64/cpuinfo';
import { x86CpuInfo } from '../arch/x86_64/cpuinfo';
import type { LinuxSystem } from './linux-system';
import { timeOffsetMs } from './namespaces';
import { UPTIME_AT_START } from './clocks';
import { KERNEL_RELEASE, KERNEL_VERSION } from './kernel-identity';

const FRAME_KB = 4;

/** A meminfo line: the label padded to 16 columns, the value to 8, then " kB". */
const line = (label: string, kb: number): string => `${(label + ':').padEnd(16)}${String(kb).padStart(8)} kB\n`;

export function meminfoText(sys: LinuxSystem): string {
  const pmm = sys.kernel.mm.pmm;
  const owners = pmm.stats();
  const total = pmm.frameCount * FRAME_KB;
  const free = owners.free * FRAME_KB;
  const anon = owners['mo-data'] * FRAME_KB;
  const tables = owners['page-table'] * FRAME_KB;
  const slab = (owners['kernel-object'] + owners['mo-meta']) * FRAME_KB;
  let committed = 0;
  for (const p of sys.processes.values()) if (!p.isZombie && p.mem.users > 0) committed += p.mem.vs.regions.reduce((n, r) => n + (r.end - r.start), 0);
  const x86 = sys.kernel.arch === 'x86_64';
  let s = line('MemTotal', total) + line('MemFree', free) + line('MemAvailable', free) + line('Buffers', 0) + line('Cached', 0) + line('SwapCached', 0);
  s += line('Active', anon) + line('Inactive', 0) + line('Active(anon)', anon) + line('Inactive(anon)', 0) + line('Active(file)', 0) + line('Inactive(file)', 0);
  s += line('Unevictable', 0) + line('Mlocked', 0) + line('SwapTotal', 0) + line('SwapFree', 0) + line('Dirty', 0) + line('Writeback', 0);
  s += line('AnonPages', anon) + line('Mapped', 0) + line('Shmem', 0) + line('KReclaimable', 0) + line('Slab', slab) + line('SReclaimable', 0) + line('SUnreclaim', slab);
  s += line('KernelStack', 0) + line('PageTables', tables) + line('NFS_Unstable', 0) + line('Bounce', 0) + line('WritebackTmp', 0);
  s += line('CommitLimit', Math.floor(total / 2)) + line('Committed_AS', Math.floor(committed / 1024));
  s += line('VmallocTotal', x86 ? 34359738367 : 133141626880) + line('VmallocUsed', 0) + line('VmallocChunk', 0) + line('Percpu', 0);
  s += line('AnonHugePages', 0) + line('ShmemHugePages', 0) + line('ShmemPmdMapped', 0) + line('FileHugePages', 0) + line('FilePmdMapped', 0);
  s += `HugePages_Total:   ${'0'.padStart(5)}\nHugePages_Free:    ${'0'.padStart(5)}\nHugePages_Rsvd:    ${'0'.padStart(5)}\nHugePages_Surp:    ${'0'.padStart(5)}\n`;
  s += line('Hugepagesize', 2048) + line('Hugetlb', 0);
  if (x86) s += line('DirectMap4k', 0) + line('DirectMap2M', 0) + line('DirectMap1G', 0);
  return s;
}

export function cpuinfoText(sys: LinuxSystem): string {
  const m = sys.kernel.machine;
  const hz = sys.kernel.timer.ticksPerMs * 1000;
  if (m.arch === 'x86_64') return x86CpuInfo(hz);
  return aarch64CpuInfo((m as unknown as { cpu: Cpu }).cpu, m.hwcap, hz);
}

const centis = (ms: number): string => {
  const c = Math.floor(ms / 10);
  return `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
};

/** Seconds since boot and seconds spent idle (this kernel does not count idle time: 0). */
/** Seconds since boot: CLOCK_BOOTTIME as the reading process's time namespace sees it. */
export const uptimeText = (sys: LinuxSystem): string => `${centis(sys.now() + UPTIME_AT_START + timeOffsetMs(sys, sys.currentProcess, 7))} ${centis(0)}\n`;

function threadCounts(sys: LinuxSystem): { running: number; blocked: number; total: number; last: number } {
  let running = 0;
  let last = 0;
  for (const t of sys.threads.values()) {
    if (t.state === 'runnable' && !t.proc.stopped) running++;
    last = Math.max(last, t.tid);
  }
  return { running: Math.max(running, 1), blocked: 0, total: sys.threads.size, last };
}

export function loadavgText(sys: LinuxSystem): string {
  const n = threadCounts(sys);
  return `0.00 0.00 0.00 ${n.running}/${n.total} ${n.last}\n`;
}

export function statText(sys: LinuxSystem): string {
  const n = threadCounts(sys);
  const jiffies = Math.floor(sys.now() / 10);
  // Instructions are user time and syscalls' ticks system time (syscall-time.ts); the rest of the clock was idle.
  const perJiffy = sys.kernel.timer.ticksPerMs * 10;
  const user = Math.min(jiffies, Math.floor(sys.kernel.retired / perJiffy));
  const system = Math.min(jiffies - user, Math.floor(syscallTicks(sys) / perJiffy));
  const cpu = `${user} 0 ${system} ${jiffies - user - system} 0 0 0 0 0 0`;
  const bootSec = Math.floor((sys.wallNow() - sys.now() - UPTIME_AT_START) / 1000);
  return `cpu  ${cpu}\ncpu0 ${cpu}\nintr 0\nctxt ${sys.preemptions}\nbtime ${bootSec}\nprocesses ${sys.processes.size}\nprocs_running ${n.running}\nprocs_blocked ${n.blocked}\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n`;
}

export const versionText = (): string => `Linux version ${KERNEL_RELEASE} (salty@salty) (salty, TypeScript) ${KERNEL_VERSION}\n`;

/** The filesystem types, the mount table and mountinfo: kernel/vfs/mount-table.ts holds them. */
export { filesystemsText, mountsText, mountinfoText } from '../vfs/mount-table';

export const cmdlineText = (): string => 'salty\n';

export const swapsText = (): string => 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n';
