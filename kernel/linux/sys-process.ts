// Process and thread lifetime: clone (fork, vfork, threads), execve, exit,
// exit_group, wait4, waitid, set_tid_address.

import { deletePosixTimers } from './interval-timers';
import { hostRandomBytes } from '../host-random';
import { parseElfImage } from '../../loader/elf-image';
import { AddressSpace } from '../process/address-space';
import { ExecError, InitialStackTooLarge } from '../process/exec-error';
import { UserFault } from '../process/user-memory';
import { BLOCKED } from '../sched/thread';
import { E2BIG, EACCES, EAGAIN, EBADF, ECHILD, EINVAL, ENOENT, ENOEXEC, ENOMEM, ESRCH, ETXTBSY } from './errno';
import { MEM_FILE_MAX, O_NONBLOCK, RegularFile } from '../vfs/open-file';
import { PidFd } from './pidfd';
import { LinuxProcess } from './linux-process';
import { NO_RESULT, type Call, type Syscall } from './syscall-context';
import { resolveAt } from './sys-path';
import { checkExec } from './path-permission';
import { inheritExec } from './proc-process';
import { procForked } from './proc-root';
import { inheritLimits } from './resource-limits';
import { forkRefusal } from './fork-limits';
import { inheritSched } from './sched-state';
import { markExec } from './sys-session';
import { reapUsage, totalUsage } from './process-usage';
import { inheritControl, nameAfterExec } from './process-control';
import { encodeRusage } from './sys-usage';
import { checkCloneNs, enterTimeNsAtExec, inheritNs } from './namespaces';
import { adoptClone, cloneCharge, unchargeClone } from './kobj-charges';
import { readExecArgs } from './exec-args';
import { isOutOfMemory } from './syscall-guard';

const CLONE_VM = 0x100;
const CLONE_FILES = 0x400;
const CLONE_SIGHAND = 0x800;
const CLONE_VFORK = 0x4000;
const CLONE_PARENT = 0x8000;
const CLONE_THREAD = 0x10000;
const CLONE_SETTLS = 0x80000;
const CLONE_PARENT_SETTID = 0x100000;
const CLONE_CHILD_CLEARTID = 0x200000;
const CLONE_CHILD_SETTID = 0x1000000;
const AT_FDCWD = -100;

function int32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, true);
  return b;
}

/** CLONE_PARENT_SETTID/CHILD_SETTID: Linux ignores a fault writing the tid (the clone has happened). */
function putTid(mem: AddressSpace, addr: number, tid: number): void {
  try {
    mem.user.write(addr, int32(tid));
  } catch (e) {
    if (!(e instanceof UserFault)) throw e;
  }
}

const clone: Syscall = (c) => {
  const [flagsArg, newSp, parentTid, tls, childTid] = c.a;
  const flags = flagsArg % 4294967296 >>> 0;
  if ((flags & CLONE_THREAD) !== 0 && (flags & (CLONE_SIGHAND | CLONE_VM)) !== (CLONE_SIGHAND | CLONE_VM)) return -EINVAL;
  const nsBad = checkCloneNs(c, flags);
  if (nsBad < 0) return nsBad;
  const sys = c.sys;
  const limited = forkRefusal(sys, c.p);
  if (limited < 0) return limited;
  // The new task's kernel stack and structures come from guest memory first (ENOMEM when they cannot).
  const newProcess = (flags & CLONE_THREAD) === 0;
  const refused = cloneCharge(sys, c.p, newProcess);
  if (refused < 0) return refused;
  const tid = sys.allocId();
  if (tid < 0) {
    // Every id below pid_max is taken: Linux's alloc_pid answers EAGAIN.
    unchargeClone(sys, c.p, newProcess);
    return -EAGAIN;
  }
  let forked: AddressSpace | undefined;
  try {
    if (newProcess && (flags & CLONE_VM) === 0) forked = c.mem.fork(sys.refs);
  } catch (e) {
    if (!isOutOfMemory(e)) throw e;
    unchargeClone(sys, c.p, newProcess);
    return -ENOMEM;
  }
  let proc: LinuxProcess;
  if ((flags & CLONE_THREAD) !== 0) {
    proc = c.p;
  } else {
    const mem = forked ?? c.mem;
    if ((flags & CLONE_VM) !== 0) mem.users++;
    const fds = (flags & CLONE_FILES) !== 0 ? c.p.fds : c.p.fds.copy();
    if (fds === c.p.fds) fds.users++;
    const handlers = (flags & CLONE_SIGHAND) !== 0 ? c.p.handlers : c.p.handlers.copy();
    const parent = (flags & CLONE_PARENT) !== 0 ? c.p.parent : c.p;
    proc = new LinuxProcess(tid, parent, mem, fds, handlers, c.p.exe);
    proc.cwd = c.p.cwd;
    proc.root = c.p.root;
    proc.umask = c.p.umask;
    proc.creds = c.p.creds.copy();
    inheritExec(proc, c.p);
    procForked(sys, proc, c.p);
    inheritNs(sys, c.p, proc, flags);
    // Linux notifies the parent only of a valid exit signal; any other is kept as none.
    proc.exitSignal = (flags & 0xff) <= 64 ? flags & 0xff : 0;
  }
  const t = sys.newThread(tid, proc);
  adoptClone(sys, c.p, t);
  t.ctx.copyFrom(c.t.ctx);
  t.sigmask = c.t.sigmask.copy();
  t.altStack = { ...c.t.altStack };
  inheritSched(c.t, t);
  inheritControl(c.t, t);
  if (proc !== c.p) inheritLimits(c.p, proc);
  t.ctx.setResult(0);
  if (newSp !== 0) t.ctx.sp = newSp;
  if ((flags & CLONE_SETTLS) !== 0) t.ctx.threadPointer = tls;
  if ((flags & CLONE_CHILD_CLEARTID) !== 0) t.clearChildTid = childTid;
  if ((flags & CLONE_PARENT_SETTID) !== 0) putTid(c.mem, parentTid, tid);
  if ((flags & CLONE_CHILD_SETTID) !== 0) putTid(proc.mem, childTid, tid);
  if ((flags & CLONE_THREAD) !== 0) sys.addThread(t);
  else sys.addProcess(proc, t);
  if ((flags & CLONE_VFORK) !== 0) {
    proc.vforkParent = c.t;
    c.t.block({ retry: () => BLOCKED, interruptible: false });
    return BLOCKED;
  }
  return tid;
};

const execve: Syscall = (c) => execveAt(c, AT_FDCWD, c.a[0], c.a[1], c.a[2]);
const execveat: Syscall = (c) => execveAt(c, c.int(0), c.a[1], c.a[2], c.a[3]);

function execveAt(c: Call, dirfd: number, pathAddr: number, argvAddr: number, envpAddr: number): number | typeof NO_RESULT {
  const path = c.path(pathAddr);
  const args = readExecArgs(c, dirfd, path, argvAddr, envpAddr);
  if (typeof args === 'number') return args;
  return execPath(c, dirfd, path, args.argv, args.envp, 0);
}

function execPath(c: Call, dirfd: number, path: string, argv: string[], envp: string[], depth: number): number | typeof NO_RESULT {
  const r = resolveAt(c, dirfd, path, true);
  if (typeof r === 'number') return r;
  if (!r.node) return -ENOENT;
  if (r.node.kind !== 'file') return -EACCES;
  const denied = checkExec(c, r.node);
  if (denied < 0) return denied;
  const node = r.node;
  for (const p of c.sys.processes.values()) for (const f of p.fds.files()) if (f instanceof RegularFile && f.writes(node)) return -ETXTBSY;
  // The loader takes a copy of the whole file: a large sparse file of the writable layer is refused.
  if (c.sys.fs.attrs(node).size > MEM_FILE_MAX) return -ENOMEM;
  const bytes = c.sys.fs.contents(r.node);
  if (bytes[0] === 0x23 && bytes[1] === 0x21 && depth < 4) {
    const line = Buffer.from(bytes.subarray(2, Math.min(bytes.length, 256))).toString('utf8').split('\n')[0].trim();
    const sp = line.search(/\s/);
    const interp = sp < 0 ? line : line.slice(0, sp);
    const arg = sp < 0 ? '' : line.slice(sp).trim();
    return execPath(c, AT_FDCWD, interp, [interp, ...(arg ? [arg] : []), path, ...argv.slice(1)], envp, depth + 1);
  }
  let image;
  try {
    image = parseElfImage(new Uint8Array(bytes), { fileName: path, expectedMachine: c.sys.kernel.arch });
  } catch {
    return -ENOEXEC;
  }
  const sys = c.sys;
  const p = c.p;
  const exePath = r.path.startsWith('/proc/') ? p.exe.path : r.path;
  const mem = new AddressSpace(sys.kernel.mm, sys.kernel.phys);
  try {
    sys.loadImage(c.t, mem, { exe: { path: exePath, bytes }, image, argv, envp, random: hostRandomBytes(16), execfn: path });
  } catch (e) {
    // A missing or bad interpreter, or an image too large: execve fails and the caller goes on.
    if (!(e instanceof ExecError)) throw e;
    mem.destroy(sys.refs);
    // Past Linux's point of no return (the new stack's tables do not fit): the process dies.
    if (e instanceof InitialStackTooLarge) {
      sys.killBySignal(p, 11);
      return NO_RESULT;
    }
    return -e.errno;
  }
  for (const other of [...p.threads]) if (other !== c.t) sys.endThread(other, false);
  sys.releaseMemory(p);
  p.mem = mem;
  p.exe = { path: exePath, bytes };
  if (p.fds.users > 1) {
    p.fds.users--;
    p.fds = p.fds.copy();
  }
  p.fds.closeOnExec();
  p.creds.afterExec();
  p.handlers = p.handlers.copy();
  p.handlers.resetForExec();
  deletePosixTimers(p);
  c.t.altStack = { sp: 0, size: 0, flags: 2 };
  c.t.clearChildTid = 0;
  sys.releaseVforkParent(p);
  markExec(p);
  enterTimeNsAtExec(sys, p);
  nameAfterExec(c.t, path);
  return NO_RESULT;
}

const exit: Syscall = (c) => {
  const status = c.int(0) & 0xff;
  if (c.p.threads.size === 1) {
    c.sys.exitProcess(c.p, { kind: 'exited', status });
  } else {
    c.sys.endThread(c.t, true);
  }
  return NO_RESULT;
};

const exitGroup: Syscall = (c) => {
  c.sys.exitProcess(c.p, { kind: 'exited', status: c.int(0) & 0xff });
  return NO_RESULT;
};

const WNOHANG = 1;
const WUNTRACED = 2;
const WEXITED = 4;
const WCONTINUED = 8;
const WNOWAIT = 0x01000000;
const __WNOTHREAD = 0x20000000;
const __WALL = 0x40000000;
const __WCLONE = 0x80000000 | 0;
const P_ALL = 0;
const P_PID = 1;
const P_PGID = 2;
const P_PIDFD = 3;
const INT_MIN = -2147483648;

/** A child created with an exit signal other than SIGCHLD is waited for only with __WCLONE, or __WALL. */
function eligible(child: LinuxProcess, options: number): boolean {
  if ((options & __WALL) !== 0) return true;
  return child.exitSignal !== 17 === ((options & __WCLONE) !== 0);
}

/** A child's state change wait can report: its exit, or a job-control stop or continue. */
interface Report {
  readonly child: LinuxProcess;
  readonly kind: 'exited' | 'stopped' | 'continued';
}

/** The change to report, null when some matching child may still change, -ECHILD when none match. */
function findReport(c: Call, match: (p: LinuxProcess) => boolean, wanted: number): Report | null | number {
  let any = false;
  for (const child of c.p.children) {
    if (!match(child)) continue;
    any = true;
    if (child.isZombie) {
      if ((wanted & WEXITED) !== 0) return { child, kind: 'exited' };
      continue;
    }
    const r = child.jobReport;
    if (r?.kind === 'stopped' && (wanted & WUNTRACED) !== 0) return { child, kind: 'stopped' };
    if (r?.kind === 'continued' && (wanted & WCONTINUED) !== 0) return { child, kind: 'continued' };
  }
  return any ? null : -ECHILD;
}

/** wait4's status word for a report. */
function statusWord(r: Report): number {
  if (r.kind === 'exited') return r.child.waitStatus;
  if (r.kind === 'continued') return 0xffff;
  const j = r.child.jobReport;
  return ((j?.kind === 'stopped' ? j.signal : 19) << 8) | 0x7f;
}

/** The siginfo code and status waitid reports. */
function childInfo(r: Report): { code: number; status: number } {
  if (r.kind === 'continued') return { code: 6, status: 18 };
  if (r.kind === 'stopped') return { code: 5, status: r.child.jobReport?.kind === 'stopped' ? r.child.jobReport.signal : 19 };
  const e = r.child.exit!;
  return e.kind === 'exited' ? { code: 1, status: e.status } : { code: e.core ? 3 : 2, status: e.signal };
}

/** Collects the report: a zombie leaves the table, a stop or continue is reported once. */
function consume(c: Call, r: Report): void {
  if (r.kind === 'exited') {
    reapUsage(c.p, r.child);
    c.sys.reap(r.child);
  }
  else r.child.jobReport = undefined;
}

const wait4: Syscall = (c) => {
  const pid = c.int(0);
  const statusAddr = c.a[1];
  const options = c.int(2);
  if ((options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) !== 0) return -EINVAL;
  if (pid === INT_MIN) return -ESRCH;
  const pgid = c.p.pgid;
  const byId = (ch: LinuxProcess): boolean => (pid === -1 ? true : pid > 0 ? ch.pid === pid : pid === 0 ? ch.pgid === pgid : ch.pgid === -pid);
  const match = (ch: LinuxProcess): boolean => byId(ch) && eligible(ch, options);
  const attempt = (): number | typeof BLOCKED => {
    const z = findReport(c, match, WEXITED | (options & (WUNTRACED | WCONTINUED)));
    if (typeof z === 'number') return z;
    if (z === null) return (options & WNOHANG) !== 0 ? 0 : BLOCKED;
    if (statusAddr !== 0) c.user.write(statusAddr, int32(statusWord(z)));
    if (c.a[3] !== 0) c.user.write(c.a[3], encodeRusage(totalUsage(z.child)));
    consume(c, z);
    return z.child.pid;
  };
  return c.block(attempt);
};

const waitid: Syscall = (c) => {
  const idtype = c.int(0);
  const id = c.int(1);
  const infop = c.a[2];
  const options = c.int(3);
  if ((options & ~(WNOHANG | WNOWAIT | WEXITED | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) !== 0) return -EINVAL;
  if ((options & (WEXITED | WUNTRACED | WCONTINUED)) === 0) return -EINVAL;
  if (idtype === P_PID && id <= 0) return -EINVAL;
  if ((idtype === P_PGID || idtype === P_PIDFD) && id < 0) return -EINVAL;
  if (idtype !== P_ALL && idtype !== P_PID && idtype !== P_PGID && idtype !== P_PIDFD) return -EINVAL;
  // P_PIDFD: the process the descriptor is bound to; a non-blocking one makes the wait WNOHANG, answering EAGAIN for no change.
  const pidfd = idtype === P_PIDFD ? c.p.fds.get(id) : undefined;
  if (idtype === P_PIDFD && !(pidfd instanceof PidFd)) return -EBADF;
  const bound = pidfd instanceof PidFd ? pidfd.target : undefined;
  const nonblock = pidfd !== undefined && (pidfd.statusFlags & O_NONBLOCK) !== 0;
  const pgid = id === 0 ? c.p.pgid : id;
  const byId = (ch: LinuxProcess): boolean => (idtype === P_ALL ? true : idtype === P_PID ? ch.pid === id : idtype === P_PIDFD ? ch === bound : ch.pgid === pgid);
  const match = (ch: LinuxProcess): boolean => byId(ch) && eligible(ch, options);
  const attempt = (): number | typeof BLOCKED => {
    const z = findReport(c, match, options);
    if (typeof z === 'number') return z;
    if (z === null) {
      if ((options & WNOHANG) === 0 && nonblock) return -EAGAIN;
      if ((options & WNOHANG) === 0) return BLOCKED;
      if (infop !== 0) c.user.write(infop, new Uint8Array(128));
      return 0;
    }
    if (infop !== 0) {
      const { code, status } = childInfo(z);
      const info = new Uint8Array(128);
      const v = new DataView(info.buffer);
      v.setInt32(0, 17, true);
      v.setInt32(8, code, true);
      v.setInt32(16, z.child.pid, true);
      v.setInt32(24, status, true);
      c.user.write(infop, info);
    }
    if ((options & WNOWAIT) === 0) consume(c, z);
    return 0;
  };
  return c.block(attempt);
};

const setTidAddress: Syscall = (c) => {
  c.t.clearChildTid = c.a[0];
  return c.t.tid;
};

/** The size of struct robust_list_head on a 64-bit arch: anything else is EINVAL. */
const ROBUST_LIST_HEAD_SIZE = 24;

const setRobustList: Syscall = (c) => {
  if (c.a[1] !== ROBUST_LIST_HEAD_SIZE) return -EINVAL;
  c.t.robustList = c.a[0];
  return 0;
};

// Rows of syscall-table.ts name these handlers.
export { clone, execve, execveat, exit, exitGroup, wait4, waitid, setTidAddress, setRobustList };
