// Sessions and process groups: setsid, setpgid, getpgid, getsid, with
// Linux's rules (kernel/sys.c): a group leader cannot start a session, a
// process moves only itself or a child that has not exec'd, within its
// session, into a group that exists there or a new one named after it.

import { EACCES, EINVAL, EPERM, ESRCH } from './errno';
import type { LinuxProcess } from './linux-process';
import type { Call, Syscall } from './syscall-context';

const execed = new WeakSet<LinuxProcess>();

/** execve: a child that has exec'd can no longer be moved by its parent's setpgid. */
export function markExec(p: LinuxProcess): void {
  execed.add(p);
}

function live(c: Call, pid: number): LinuxProcess | undefined {
  const p = pid === 0 ? c.p : c.sys.processes.get(pid);
  return p;
}

/** Salty runs no init: pid 1 stands for it, the leader of its own group and session (getppid of an orphan is 1 too). */
const INIT = 1;

const getpgid: Syscall = (c) => {
  const p = live(c, c.int(0));
  if (!p && c.int(0) === INIT) return INIT;
  return p ? p.pgid : -ESRCH;
};

const getsid: Syscall = (c) => {
  const p = live(c, c.int(0));
  if (!p && c.int(0) === INIT) return INIT;
  return p ? p.sid : -ESRCH;
};

const setsid: Syscall = (c) => {
  const p = c.p;
  // A process whose pid names a process group (its own or one it left) cannot lead a new session.
  for (const other of c.sys.processes.values()) if (other.pgid === p.pid) return -EPERM;
  p.sid = p.pid;
  p.pgid = p.pid;
  return p.pid;
};

const setpgid: Syscall = (c) => {
  const pid = c.int(0) === 0 ? c.p.pid : c.int(0);
  const pgid = c.int(1) === 0 ? pid : c.int(1);
  if (pgid < 0) return -EINVAL;
  const p = c.sys.processes.get(pid);
  if (!p || (p !== c.p && p.parent !== c.p)) return -ESRCH;
  if (p !== c.p) {
    if (p.sid !== c.p.sid) return -EPERM;
    if (execed.has(p)) return -EACCES;
  }
  if (p.sid === p.pid) return -EPERM;
  if (pgid !== pid) {
    let found = false;
    for (const other of c.sys.processes.values()) if (other.pgid === pgid && other.sid === c.p.sid) found = true;
    if (!found) return -EPERM;
  }
  p.pgid = pgid;
  return 0;
};

// Rows of syscall-table.ts name these handlers.
export { getpgid, getsid, setsid, setpgid };
