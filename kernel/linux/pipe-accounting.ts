// Linux's per-user accounting of pipe buffers: fs.pipe-user-pages-soft
// (16384 pages) and fs.pipe-user-pages-hard (0: none). A user without
// CAP_SYS_RESOURCE or CAP_SYS_ADMIN past the soft limit gets new pipes of
// two pages; past the hard limit, no new pipe (ENFILE).

import type { PipeEnd } from '../vfs/pipe';
import { CAP_SYS_RESOURCE } from './credentials';
import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import type { ProcEntry } from './proc-fs';
import { EINVAL } from './errno';

const PAGE = 4096;
const CAP_SYS_ADMIN = 21;
/** PIPE_MIN_DEF_BUFFERS: what a pipe past the soft limit gets. */
export const MIN_PIPE_BYTES = 2 * PAGE;

interface Accounting {
  soft: number;
  hard: number;
  /** Live pipes by the uid that made them (a pipe is one of its write ends). */
  readonly byUser: Map<number, Set<PipeEnd>>;
}

const state = new WeakMap<LinuxSystem, Accounting>();

function accounting(sys: LinuxSystem): Accounting {
  let a = state.get(sys);
  if (!a) state.set(sys, (a = { soft: 16384, hard: 0, byUser: new Map() }));
  return a;
}

/** Pages in the uid's live pipes (forgetting pipes whose ends are all closed). */
function userPages(a: Accounting, uid: number): number {
  const set = a.byUser.get(uid);
  if (!set) return 0;
  let pages = 0;
  for (const w of set) {
    if (!w.isOpen && w.readersGone) set.delete(w);
    else pages += w.pipeSize / PAGE;
  }
  return pages;
}

const unprivileged = (p: LinuxProcess): boolean => !p.creds.capable(CAP_SYS_RESOURCE) && !p.creds.capable(CAP_SYS_ADMIN);

/**
 * The buffer size a new pipe of p gets (bytes), or 0 when the user is past
 * the hard limit; a pipe made is charged with charge().
 */
export function newPipeBytes(sys: LinuxSystem, p: LinuxProcess, wanted: number): number {
  const a = accounting(sys);
  if (!unprivileged(p)) return wanted;
  const pages = userPages(a, p.creds.euid);
  if (a.hard !== 0 && pages >= a.hard) return 0;
  return a.soft !== 0 && pages >= a.soft ? MIN_PIPE_BYTES : wanted;
}

export function chargePipe(sys: LinuxSystem, p: LinuxProcess, writeEnd: PipeEnd): void {
  const a = accounting(sys);
  const uid = p.creds.euid;
  let set = a.byUser.get(uid);
  if (!set) a.byUser.set(uid, (set = new Set()));
  set.add(writeEnd);
}

/** /proc/sys/fs's pipe-user-pages-soft and pipe-user-pages-hard. */
export function pipeAccountingFiles(sys: LinuxSystem): Record<string, () => ProcEntry> {
  const file = (key: 'soft' | 'hard'): ProcEntry => ({
    kind: 'file',
    perm: 0o644,
    source: {
      sysctl: true,
      read: () => `${accounting(sys)[key]}\n`,
      write: (text) => {
        const m = /^\s*\+?(\d+)\s*$/.exec(text);
        if (!m) return -EINVAL;
        accounting(sys)[key] = Number(m[1]);
        return text.length;
      },
    },
  });
  return { 'pipe-user-pages-soft': () => file('soft'), 'pipe-user-pages-hard': () => file('hard') };
}

