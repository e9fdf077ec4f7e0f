// The text of /proc/<pid> files in Linux 6.1's formats: status, stat,
// statm, cmdline, environ, comm and auxv, from a process's threads,
// credentials, signal state and address space.

import { lockedBytes } from './memory-locks';
import type { Region } from '../mm/region';
import type { AddressSpace } from '../process/address-space';
import { mappedFile } from '../process/mapped-file';
import type { CapSet } from './credentials';
import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import type { LinuxThread } from './linux-thread';
import { SIG_DFL, SIG_IGN } from './signal-state';
import { SigSet } from './sigset';
import { regionPages } from './vm-limits';
import { queuedOf } from './signal-charges';
import { childrenUsage, processUsage, threadUsage } from './process-usage';

interface ExecInfo {
  argv: readonly string[];
  envp: readonly string[];
  /** The thread or process name (TASK_COMM_LEN - 1 = 15 bytes at most). */
  comm: string;
  /** The auxiliary vector's bytes exec put on the stack, AT_NULL last. */
  auxv: Uint8Array;
}

const execInfo = new WeakMap<LinuxProcess, ExecInfo>();
const threadNames = new WeakMap<LinuxThread, string>();

/** At exec (and at the first process's start): argv, envp and the name Linux takes from the path's last component. */
export function recordExec(p: LinuxProcess, path: string, argv: readonly string[], envp: readonly string[], auxv: Uint8Array = new Uint8Array(0)): void {
  execInfo.set(p, { argv, envp, comm: path.slice(path.lastIndexOf('/') + 1).slice(0, 15), auxv });
  for (const t of p.threads) threadNames.delete(t);
}

/** A forked child starts with its parent's arguments and name. */
export function inheritExec(child: LinuxProcess, parent: LinuxProcess): void {
  const e = execInfo.get(parent);
  if (e) execInfo.set(child, { ...e });
}

export function commOf(p: LinuxProcess, t?: LinuxThread): string {
  return (t && threadNames.get(t)) ?? execInfo.get(p)?.comm ?? p.exe.path.slice(p.exe.path.lastIndexOf('/') + 1).slice(0, 15);
}

/** prctl(PR_SET_NAME) and writes to comm: names the thread (the main thread's name is the process's). */
export function setComm(p: LinuxProcess, t: LinuxThread, name: string): void {
  const n = name.slice(0, 15);
  if (t.tid === p.pid) {
    const e = execInfo.get(p);
    if (e) e.comm = n;
    else execInfo.set(p, { argv: [], envp: [], comm: n, auxv: new Uint8Array(0) });
  } else threadNames.set(t, n);
}

const nulJoined = (list: readonly string[]): string => list.map((s) => s + '\0').join('');

export const cmdlineText = (p: LinuxProcess): string => (p.isZombie ? '' : nulJoined(execInfo.get(p)?.argv ?? []));
export const environText = (p: LinuxProcess): string => (p.isZombie ? '' : nulJoined(execInfo.get(p)?.envp ?? []));

/** /proc/<pid>/auxv: the auxiliary vector as exec wrote it (64-bit type and value words, AT_NULL included); empty for a zombie. */
export const auxvBytes = (p: LinuxProcess): Uint8Array => (p.isZombie ? new Uint8Array(0) : (execInfo.get(p)?.auxv ?? new Uint8Array(0)));

const KB = 1024;
const PAGE = 4096;

interface MemFigures {
  size: number;
  rss: number;
  data: number;
  stack: number;
  exe: number;
  lib: number;
  startCode: number;
  endCode: number;
  ptePages: number;
}

function memFigures(mem: AddressSpace, exePath: string): MemFigures {
  const f: MemFigures = { size: 0, rss: mem.vs.mappedPages * PAGE, data: 0, stack: 0, exe: 0, lib: 0, startCode: 0, endCode: 0, ptePages: 0 };
  const isExe = (r: Region): boolean => mappedFile(r.mo)?.path === exePath;
  for (const r of mem.vs.regions) {
    const len = regionPages(r) * PAGE;
    f.size += len;
    if (r.kind === 'stack') f.stack += len;
    else if (r.perms.write && !mem.shared.has(r.mo)) f.data += len;
    if (r.perms.exec && isExe(r)) {
      f.exe += len;
      if (f.startCode === 0 || r.start < f.startCode) f.startCode = r.start;
      f.endCode = Math.max(f.endCode, r.end);
    } else if (r.perms.exec) f.lib += len;
  }
  try {
    f.ptePages = mem.vs.isDestroyed ? 0 : mem.vs.tablePages;
  } catch {
    f.ptePages = 0;
  }
  return f;
}

const hex16 = (s: SigSet | CapSet): string => {
  const [lo, hi] = s instanceof SigSet ? [s.lo, s.hi] : s;
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
};

const kb = (label: string, bytes: number): string => `${label}:\t${String(Math.floor(bytes / KB)).padStart(8)} kB\n`;

export function stateOf(sys: LinuxSystem, p: LinuxProcess, t?: LinuxThread): string {
  if (p.isZombie) return 'Z (zombie)';
  if (p.stopped) return 'T (stopped)';
  // A thread's own file shows that thread: one of the reader's process blocked in a wait sleeps (futex_wake02 waits for that).
  const threads = t ? [t] : [...p.threads];
  if (threads.some((x) => x.state === 'runnable' || (!t && x.proc === sys.currentProcess))) return 'R (running)';
  return 'S (sleeping)';
}

function signalSets(p: LinuxProcess): { ign: SigSet; cgt: SigSet } {
  const ign = new SigSet();
  const cgt = new SigSet();
  for (let sig = 1; sig <= 64; sig++) {
    const h = p.handlers.actions[sig]?.handler;
    if (h === undefined || h === SIG_DFL) continue;
    if (h === SIG_IGN) ign.add(sig);
    else cgt.add(sig);
  }
  return { ign, cgt };
}

/** Slots of the descriptor table Linux would have (64, doubled as descriptors need). */
function fdSize(p: LinuxProcess): number {
  const top = Math.max(-1, ...p.fds.list());
  let n = 64;
  while (n <= top) n *= 2;
  return n;
}

export function statusText(sys: LinuxSystem, p: LinuxProcess, t?: LinuxThread, sigQueueMax = 0): string {
  const c = p.creds;
  const main = t ?? [...p.threads][0];
  const mem = p.isZombie ? null : memFigures(p.mem, p.exe.path);
  const { ign, cgt } = signalSets(p);
  const pid = t ? t.tid : p.pid;
  let s = `Name:\t${commOf(p, t)}\nUmask:\t${p.umask.toString(8).padStart(4, '0')}\nState:\t${stateOf(sys, p, t)}\n`;
  s += `Tgid:\t${p.pid}\nNgid:\t0\nPid:\t${pid}\nPPid:\t${p.parent?.pid ?? 1}\nTracerPid:\t0\n`;
  s += `Uid:\t${c.uid}\t${c.euid}\t${c.suid}\t${c.fsuid}\nGid:\t${c.gid}\t${c.egid}\t${c.sgid}\t${c.fsgid}\n`;
  s += `FDSize:\t${fdSize(p)}\nGroups:\t${c.groups.join(' ')} \n`;
  s += `NStgid:\t${p.pid}\nNSpid:\t${pid}\nNSpgid:\t${p.pgid}\nNSsid:\t${p.sid}\n`;
  if (mem) {
    s += kb('VmPeak', mem.size) + kb('VmSize', mem.size) + kb('VmLck', lockedBytes(p.mem)) + kb('VmPin', 0) + kb('VmHWM', mem.rss) + kb('VmRSS', mem.rss);
    s += kb('RssAnon', mem.rss) + kb('RssFile', 0) + kb('RssShmem', 0);
    s += kb('VmData', mem.data) + kb('VmStk', mem.stack) + kb('VmExe', mem.exe) + kb('VmLib', mem.lib) + kb('VmPTE', mem.ptePages * PAGE) + kb('VmSwap', 0);
    s += kb('HugetlbPages', 0);
  }
  s += `CoreDumping:\t0\nTHP_enabled:\t1\n`;
  const queued = main ? main.pending.set : new SigSet();
  s += `Threads:\t${p.threads.size}\nSigQ:\t${queuedOf(sys, c.uid)}/${sigQueueMax}\n`;
  s += `SigPnd:\t${hex16(queued)}\nShdPnd:\t${hex16(p.pending.set)}\nSigBlk:\t${hex16(main?.sigmask ?? new SigSet())}\n`;
  s += `SigIgn:\t${hex16(ign)}\nSigCgt:\t${hex16(cgt)}\n`;
  s += `CapInh:\t${hex16(c.inheritable)}\nCapPrm:\t${hex16(c.permitted)}\nCapEff:\t${hex16(c.effective)}\nCapBnd:\t${hex16(c.bounding)}\nCapAmb:\t${hex16(c.ambient)}\n`;
  s += `NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\nSpeculation_Store_Bypass:\tnot vulnerable\nSpeculationIndirectBranch:\tunsupported\n`;
  s += `Cpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t1\nMems_allowed_list:\t0\n`;
  s += `voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n`;
  return s;
}

/** RLIM_INFINITY as an unsigned 64-bit decimal. */
const UNLIMITED = '18446744073709551615';

/** /proc/<pid>/stat: 52 fields. startTicks: the start time in clock ticks (100 Hz) since boot. */
export function statText(sys: LinuxSystem, p: LinuxProcess, t: LinuxThread | undefined, startTicks: number): string {
  const mem = p.isZombie ? null : memFigures(p.mem, p.exe.path);
  const state = stateOf(sys, p, t)[0];
  const { ign, cgt } = signalSets(p);
  const main = t ?? [...p.threads][0];
  // utime, stime, cutime, cstime in clock ticks (100 Hz): the thread's own for a task's file, else the process's.
  const own = t ? threadUsage(t) : processUsage(p);
  const kids = childrenUsage(p);
  const hz = (ms: number): number => Math.floor(ms / 10);
  const sig = (s: SigSet): string => String(s.hi * 2 ** 32 + s.lo);
  const m = p.mem;
  const exitCode = p.exit ? p.waitStatus : 0;
  const fields = [
    t ? t.tid : p.pid,
    `(${commOf(p, t)})`,
    state,
    p.parent?.pid ?? 1,
    p.pgid,
    p.sid,
    0,
    -1,
    0x400000,
    0,
    0,
    0,
    0,
    hz(own.userMs),
    hz(own.systemMs),
    hz(kids.userMs),
    hz(kids.systemMs),
    20,
    0,
    p.threads.size,
    0,
    startTicks,
    mem ? mem.size : 0,
    mem ? mem.rss / PAGE : 0,
    UNLIMITED,
    mem ? mem.startCode : 0,
    mem ? mem.endCode : 0,
    0,
    0,
    0,
    sig(p.pending.set),
    sig(main?.sigmask ?? new SigSet()),
    sig(ign),
    sig(cgt),
    0,
    0,
    0,
    p.exitSignal,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    mem ? m.brkStart : 0,
    0,
    0,
    0,
    0,
    exitCode,
  ];
  return fields.join(' ') + '\n';
}

/** /proc/<pid>/statm: size resident shared text lib data dt, in pages. */
export function statmText(p: LinuxProcess): string {
  if (p.isZombie) return '0 0 0 0 0 0 0\n';
  const m = memFigures(p.mem, p.exe.path);
  return [m.size, m.rss, 0, m.exe, 0, m.data + m.stack, 0].map((b) => Math.floor(b / PAGE)).join(' ') + '\n';
}
