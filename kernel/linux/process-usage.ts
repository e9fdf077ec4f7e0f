// What each thread and process has used, for getrusage and times: CPU time
// split into user and system time, the peak resident set, and the totals of
// the children a process has waited for. The run loop charges each slice
// (its length on the kernel's clock) to the running thread as user time,
// and every trap (syscall or fault) moves a fixed cost of it to system time,
// so a program that only makes syscalls shows system time as under Linux,
// while user + system never exceeds the time the thread ran.

import type { LinuxProcess } from './linux-process';
import type { LinuxThread } from './linux-thread';

/** The system time one trap costs (ms): about what a cheap syscall takes on a real core. */
const TRAP_COST_MS = 0.0005;

export interface Usage {
  userMs: number;
  systemMs: number;
  /** Peak resident set, in bytes. */
  maxRss: number;
}

const zero = (): Usage => ({ userMs: 0, systemMs: 0, maxRss: 0 });
const threads = new WeakMap<LinuxThread, Usage>();
const processes = new WeakMap<LinuxProcess, Usage>();
const reapedChildren = new WeakMap<LinuxProcess, Usage>();

function entry<K extends object>(map: WeakMap<K, Usage>, key: K): Usage {
  let u = map.get(key);
  if (!u) {
    u = zero();
    map.set(key, u);
  }
  return u;
}

export function threadUsage(t: LinuxThread): Usage {
  return entry(threads, t);
}

/** The process's own use: every thread it has run, live or ended. */
export function processUsage(p: LinuxProcess): Usage {
  const u = entry(processes, p);
  if (!p.isZombie) u.maxRss = Math.max(u.maxRss, residentBytes(p));
  return u;
}

/** What the children it has waited for used (their own waited-for children included). */
export function childrenUsage(p: LinuxProcess): Usage {
  return entry(reapedChildren, p);
}

function residentBytes(p: LinuxProcess): number {
  return p.mem.vs.mappedPages * 4096;
}

/** A slice the thread ran, in kernel ms. */
export function chargeRun(t: LinuxThread, ms: number): void {
  if (ms <= 0) return;
  threadUsage(t).userMs += ms;
  const u = entry(processes, t.proc);
  u.userMs += ms;
}

/** A trap the thread took: its cost moves from user to system time. */
export function chargeTrap(t: LinuxThread): void {
  for (const u of [threadUsage(t), entry(processes, t.proc)]) {
    const d = Math.min(TRAP_COST_MS, u.userMs);
    u.userMs -= d;
    u.systemMs += d;
  }
}

/** Kernel time the thread spent that the clock counted apart from its slices (a syscall's entry cost): system time. */
export function chargeSystem(t: LinuxThread, ms: number): void {
  if (ms <= 0) return;
  threadUsage(t).systemMs += ms;
  entry(processes, t.proc).systemMs += ms;
}

/** Before a process's memory goes: its peak resident set. */
export function recordExitRss(p: LinuxProcess): void {
  const u = entry(processes, p);
  u.maxRss = Math.max(u.maxRss, residentBytes(p));
}

/** A reaped child's own use with its waited-for children's (wait4's rusage). */
export function totalUsage(p: LinuxProcess): Usage {
  const own = entry(processes, p);
  const theirs = childrenUsage(p);
  return { userMs: own.userMs + theirs.userMs, systemMs: own.systemMs + theirs.systemMs, maxRss: Math.max(own.maxRss, theirs.maxRss) };
}

/** wait reaped child: its use and its children's join the parent's children's totals. */
export function reapUsage(parent: LinuxProcess, child: LinuxProcess): void {
  const to = childrenUsage(parent);
  const all = totalUsage(child);
  to.userMs += all.userMs;
  to.systemMs += all.systemMs;
  to.maxRss = Math.max(to.maxRss, all.maxRss);
}
