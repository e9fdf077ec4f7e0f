// Per-process and per-thread settings that prctl and personality change:
// the parent-death signal, the dumpable flag, no_new_privs, THP disable,
// the timer slack and the personality. Fork copies them (the death signal
// and the timer slack reset as Linux does); the kernel reads the death
// signal when a parent exits.

import { commOf, setComm } from './proc-process';
import type { LinuxProcess } from './linux-process';
import type { LinuxThread } from './linux-thread';

/** The default timer slack of a thread, in ns (Linux's 50 us). */
export const DEFAULT_TIMER_SLACK_NS = 50_000;

export interface ProcessControl {
  /** PR_SET_PDEATHSIG: sent to this process when its parent exits (0: none). */
  deathSignal: number;
  dumpable: number;
  noNewPrivs: boolean;
  thpDisable: boolean;
  personality: number;
}

const processes = new WeakMap<LinuxProcess, ProcessControl>();
/** The thread's name (comm): one store with /proc's comm files (proc-process.ts). */
export function threadName(t: LinuxThread): string {
  return commOf(t.proc, t);
}

export function setThreadName(t: LinuxThread, name: string): void {
  setComm(t.proc, t, name);
}

/** execve: the calling thread takes the name of the file it ran (as the path named it). */
export function nameAfterExec(t: LinuxThread, path: string): void {
  setComm(t.proc, t, path.slice(path.lastIndexOf('/') + 1));
}
const slack = new WeakMap<LinuxThread, { current: number; default: number }>();

export function controlOf(p: LinuxProcess): ProcessControl {
  let s = processes.get(p);
  if (!s) {
    s = { deathSignal: 0, dumpable: 1, noNewPrivs: false, thpDisable: false, personality: 0 };
    processes.set(p, s);
  }
  return s;
}

export function timerSlackOf(t: LinuxThread): { current: number; default: number } {
  let s = slack.get(t);
  if (!s) {
    s = { current: DEFAULT_TIMER_SLACK_NS, default: DEFAULT_TIMER_SLACK_NS };
    slack.set(t, s);
  }
  return s;
}

/** clone: the child keeps the settings but not the death signal; its slack default is the parent's current slack. */
export function inheritControl(parent: LinuxThread, child: LinuxThread): void {
  const s = timerSlackOf(parent);
  slack.set(child, { current: s.current, default: s.current });
  setComm(child.proc, child, threadName(parent));
  if (child.proc !== parent.proc) processes.set(child.proc, { ...controlOf(parent.proc), deathSignal: 0 });
}

/** A parent is gone: the child's death signal, if it asked for one (sent by the caller). */
export function deathSignalOf(child: LinuxProcess): number {
  return processes.get(child)?.deathSignal ?? 0;
}
