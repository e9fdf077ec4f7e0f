// System V semaphores: semget, semop, semtimedop, semctl. A semop applies
// all its operations or none; when one cannot go on the caller waits (polled
// by the scheduler) until it can, the set is removed (EIDRM), a signal comes
// (EINTR) or semtimedop's timeout passes (EAGAIN).

import { BLOCKED } from '../sched/thread';
import { E2BIG, EACCES, EAGAIN, EFBIG, EIDRM, EINTR, EINVAL, ENOMEM, ENOSPC, ERANGE } from './errno';
import { HOST_BYTES_FACTOR, SEM_CHARGE_KIND } from './kobj-charges';
import {
  applyPermSet,
  encodePerm,
  ipcAllowed,
  ipcOwnerCheck,
  IpcTable,
  IPC_INFO,
  IPC_NOWAIT,
  IPC_RMID,
  IPC_SET,
  IPC_SLOTS,
  IPC_STAT,
  lookupForGet,
  setU64,
  type IpcPerm,
} from './ipc-ids';
import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import { processExitHooks } from './process-exit-hooks';
import type { Call, Syscall, SyscallResult } from './syscall-context';
import { ipcCaller } from './sys-shm';

const GETPID = 11;
const GETVAL = 12;
const GETALL = 13;
const GETNCNT = 14;
const GETZCNT = 15;
const SETVAL = 16;
const SETALL = 17;
const SEM_STAT = 18;
const SEM_INFO = 19;
const SEM_STAT_ANY = 20;
/** Linux's defaults (include/uapi/linux/sem.h). */
const SEMMSL = 32000;
const SEMMNS = 1024000000;
const SEMOPM = 500;
const SEMVMX = 32767;

interface Sem {
  val: number;
  pid: number;
}

interface SemSet {
  readonly id: number;
  readonly perm: IpcPerm;
  removed?: boolean;
  readonly sems: Sem[];
  otime: number;
  ctime: number;
  /** Waiters for each semaphore: those waiting for it to grow (ncnt) and to reach zero (zcnt). */
  readonly ncnt: number[];
  readonly zcnt: number[];
}

interface SemOp {
  readonly num: number;
  readonly op: number;
  readonly flg: number;
}

const tables = new WeakMap<LinuxSystem, IpcTable<SemSet>>();

/** The system's table (its limit and next id are /proc/sys/kernel tunables). */
export function semTable(sys: LinuxSystem): IpcTable<SemSet> {
  let t = tables.get(sys);
  if (!t) {
    tables.set(sys, (t = new IpcTable<SemSet>()));
    t.measure = (s) => s.sems.length;
  }
  return t;
}

const nowSeconds = (c: Call): number => Math.floor(c.sys.wallNow() / 1000);

const SEM_UNDO = 0x1000;
/** Each process's semadj: what its SEM_UNDO operations did, per set and semaphore, undone when it ends. */
const undos = new WeakMap<LinuxProcess, Map<SemSet, Int32Array>>();

/**
 * A process's undo array for a set is kernel memory on Linux (struct
 * sem_undo, a short a semaphore; semop answers ENOMEM without it), made by
 * its first SEM_UNDO operation on the set and kept until it ends: children
 * each raising one semaphore of a 32,000-semaphore set with SEM_UNDO made
 * the host hold 770 MB under -m 256M. Charged (kind sysv-sem-undo) at
 * HOST_BYTES_FACTOR times the host's array.
 */
const UNDO_KIND = 'sysv-sem-undo';
const undoCharge = (nsems: number): number => HOST_BYTES_FACTOR * (128 + 4 * nsems);

/** p's undo array for set, made (and charged) when missing; -ENOMEM when it cannot be charged. */
function undoOf(c: Call, set: SemSet): Int32Array | number {
  let m = undos.get(c.p);
  const had = m?.get(set);
  if (had) return had;
  if (!c.sys.kernel.mm.kobjs.tryCharge(UNDO_KIND, undoCharge(set.sems.length), undefined, true)) return -ENOMEM;
  if (!m) undos.set(c.p, (m = new Map()));
  const adj = new Int32Array(set.sems.length);
  m.set(set, adj);
  return adj;
}

function recordUndo(adj: Int32Array | null, ops: readonly SemOp[]): void {
  if (!adj) return;
  for (const o of ops) if ((o.flg & SEM_UNDO) !== 0) adj[o.num] -= o.op;
}

/** SETVAL and SETALL clear every process's adjustment of the semaphores they set (num undefined: all of them). */
function clearUndo(sys: LinuxSystem, set: SemSet, num?: number): void {
  for (const p of sys.processes.values()) {
    const adj = undos.get(p)?.get(set);
    if (adj) adj.fill(0, num ?? 0, num === undefined ? adj.length : num + 1);
  }
}

/** A process ended: its adjustments apply, each value kept within [0, SEMVMX] as Linux's exit_sem does. */
processExitHooks.push((sys, p) => {
  const m = undos.get(p);
  if (!m) return;
  undos.delete(p);
  for (const [set, adj] of m) {
    sys.kernel.mm.kobjs.release(UNDO_KIND, undoCharge(adj.length));
    if (set.removed) continue;
    adj.forEach((a, i) => {
      if (a === 0) return;
      set.sems[i].val = Math.min(SEMVMX, Math.max(0, set.sems[i].val + a));
      set.sems[i].pid = p.pid;
    });
  }
});

// A set is kernel memory on Linux (struct sem_array and a struct sem per
// semaphore; semget answers ENOMEM without it); the host holds each
// semaphore as a record and two counters, so a set is charged to guest
// memory (kind sysv-sem) at HOST_BYTES_FACTOR times Linux's sizes.
const setCharge = (nsems: number): number => HOST_BYTES_FACTOR * (256 + 64 * nsems);

function totalSems(sys: LinuxSystem): number {
  return semTable(sys).total;
}

const semget: Syscall = (c) => {
  const key = c.int(0);
  const nsems = c.int(1);
  const flags = c.int(2);
  if (nsems < 0 || nsems > SEMMSL) return -EINVAL;
  const caller = ipcCaller(c);
  const table = semTable(c.sys);
  const found = lookupForGet(table, key, flags, caller, (s) => (nsems > s.sems.length ? -EINVAL : 0));
  if (typeof found === 'number') return found;
  if (found !== null) return found.id;
  if (nsems === 0) return -EINVAL;
  if (totalSems(c.sys) + nsems > SEMMNS) return -ENOSPC;
  const now = nowSeconds(c);
  const ledger = c.sys.kernel.mm.kobjs;
  // The reserve stays for user pages: the caller gets ENOMEM and goes on.
  if (!ledger.tryCharge(SEM_CHARGE_KIND, setCharge(nsems), undefined, true)) return -ENOMEM;
  const made = table.add(key, flags, caller, (id, perm) => ({
    id,
    perm,
    sems: Array.from({ length: nsems }, () => ({ val: 0, pid: 0 })),
    otime: 0,
    ctime: now,
    ncnt: new Array<number>(nsems).fill(0),
    zcnt: new Array<number>(nsems).fill(0),
  }));
  if (typeof made === 'number') ledger.release(SEM_CHARGE_KIND, setCharge(nsems));
  return typeof made === 'number' ? made : made.id;
};

function readOps(c: Call, addr: number, n: number): SemOp[] {
  const b = c.user.read(addr, 6 * n);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ops: SemOp[] = [];
  for (let i = 0; i < n; i++) ops.push({ num: v.getUint16(6 * i, true), op: v.getInt16(6 * i + 2, true), flg: v.getInt16(6 * i + 4, true) });
  return ops;
}

/** Tries the operations as one: 0 when applied, the op that must wait, or -ERANGE/-EAGAIN. */
function tryOps(set: SemSet, ops: readonly SemOp[], pid: number): number | SemOp {
  const vals = set.sems.map((s) => s.val);
  for (const o of ops) {
    const v = vals[o.num];
    if (o.op > 0) {
      if (v + o.op > SEMVMX) return -ERANGE;
      vals[o.num] = v + o.op;
    } else if (o.op < 0) {
      if (v + o.op < 0) return (o.flg & IPC_NOWAIT) !== 0 ? -EAGAIN : o;
      vals[o.num] = v + o.op;
    } else if (v !== 0) {
      return (o.flg & IPC_NOWAIT) !== 0 ? -EAGAIN : o;
    }
  }
  ops.forEach((o) => (set.sems[o.num].pid = pid));
  vals.forEach((v, i) => (set.sems[i].val = v));
  return 0;
}

function semtimedopAt(c: Call, timeoutAddr: number): SyscallResult {
  const semid = c.int(0);
  const nsops = c.a[2];
  if (nsops < 1 || semid < 0) return -EINVAL;
  if (nsops > SEMOPM) return -E2BIG;
  const ops = readOps(c, c.a[1], nsops);
  let deadline: number | undefined;
  if (timeoutAddr !== 0) {
    const t = c.user.read(timeoutAddr, 16);
    const v = new DataView(t.buffer, t.byteOffset, 16);
    const sec = v.getInt32(4, true) * 4294967296 + v.getUint32(0, true);
    const nsec = v.getInt32(12, true) * 4294967296 + v.getUint32(8, true);
    if (sec < 0 || nsec < 0 || nsec >= 1e9) return -EINVAL;
    deadline = c.sys.now() + sec * 1000 + nsec / 1e6;
  }
  const set = semTable(c.sys).byId(semid);
  if (!set) return -EINVAL;
  if (ops.some((o) => o.num >= set.sems.length)) return -EFBIG;
  const alter = ops.some((o) => o.op !== 0);
  if (!ipcAllowed(set.perm, ipcCaller(c), alter ? 0o222 : 0o444)) return -EACCES;
  const undo = ops.some((o) => (o.flg & SEM_UNDO) !== 0) ? undoOf(c, set) : null;
  if (typeof undo === 'number') return undo;
  let waitingOn: SemOp | null = null;
  const leave = (): void => {
    if (!waitingOn) return;
    const counts = waitingOn.op === 0 ? set.zcnt : set.ncnt;
    counts[waitingOn.num]--;
    waitingOn = null;
  };
  const attempt = (): number | typeof BLOCKED => {
    leave();
    if (set.removed) return -EIDRM;
    const r = tryOps(set, ops, c.p.pid);
    if (typeof r === 'number') {
      if (r === 0) {
        set.otime = nowSeconds(c);
        recordUndo(undo, ops);
      }
      return r;
    }
    if (deadline !== undefined && c.sys.now() >= deadline) return -EAGAIN;
    waitingOn = r;
    (r.op === 0 ? set.zcnt : set.ncnt)[r.num]++;
    return BLOCKED;
  };
  return c.block(attempt, { deadline, cancel: leave, interruptResult: -EINTR });
}

const semop: Syscall = (c) => semtimedopAt(c, 0);
const semtimedop: Syscall = (c) => semtimedopAt(c, c.a[3]);

function encodeSemid(c: Call, set: SemSet): Uint8Array {
  const x86 = c.sys.kernel.arch === 'x86_64';
  const out = new Uint8Array(x86 ? 104 : 88);
  const v = new DataView(out.buffer);
  encodePerm(v, 0, set.perm);
  setU64(v, 48, set.otime);
  setU64(v, x86 ? 64 : 56, set.ctime);
  setU64(v, x86 ? 80 : 64, set.sems.length);
  return out;
}

function infoReply(c: Call, cmd: number): number {
  const table = semTable(c.sys);
  const out = new Uint8Array(40);
  const v = new DataView(out.buffer);
  // struct seminfo: semmap, semmni, semmns, semmnu, semmsl, semopm, semume, semusz, semvmx, semaem.
  const values = [SEMMNS, table.limit, SEMMNS, SEMMNS, SEMMSL, SEMOPM, SEMOPM, 20, SEMVMX, SEMVMX];
  if (cmd === SEM_INFO) {
    values[7] = table.count;
    values[9] = totalSems(c.sys);
  }
  values.forEach((x, i) => v.setInt32(4 * i, x, true));
  c.user.write(c.a[3], out);
  return table.highestSlot;
}

const semctl: Syscall = (c) => {
  const semid = c.int(0);
  const semnum = c.int(1);
  const cmd = c.int(2);
  const arg = c.a[3];
  const caller = ipcCaller(c);
  if (cmd === IPC_INFO || cmd === SEM_INFO) return infoReply(c, cmd);
  if (cmd === SEM_STAT || cmd === SEM_STAT_ANY) {
    const set = semid >= 0 && semid < IPC_SLOTS ? semTable(c.sys).bySlot(semid) : undefined;
    if (!set) return -EINVAL;
    if (cmd === SEM_STAT && !ipcAllowed(set.perm, caller, 0o444)) return -EACCES;
    c.user.write(arg, encodeSemid(c, set));
    return set.id;
  }
  if (![IPC_RMID, IPC_SET, IPC_STAT, GETPID, GETVAL, GETALL, GETNCNT, GETZCNT, SETVAL, SETALL].includes(cmd)) return -EINVAL;
  if (semid < 0) return -EINVAL;
  const set = semTable(c.sys).byId(semid);
  if (!set) return -EINVAL;
  switch (cmd) {
    case IPC_RMID:
    case IPC_SET: {
      const buf = cmd === IPC_SET ? c.user.read(arg, 88) : null;
      const owner = ipcOwnerCheck(set.perm, caller);
      if (owner < 0) return owner;
      if (buf) {
        applyPermSet(set.perm, new DataView(buf.buffer, buf.byteOffset, buf.byteLength), 0);
        set.ctime = nowSeconds(c);
      } else {
        semTable(c.sys).remove(set);
        c.sys.kernel.mm.kobjs.release(SEM_CHARGE_KIND, setCharge(set.sems.length));
      }
      return 0;
    }
    case IPC_STAT:
      if (!ipcAllowed(set.perm, caller, 0o444)) return -EACCES;
      c.user.write(arg, encodeSemid(c, set));
      return 0;
    case GETALL:
    case SETALL:
      return allValues(c, set, cmd, arg);
    default:
      return oneValue(c, set, cmd, semnum, arg);
  }
};

function allValues(c: Call, set: SemSet, cmd: number, arg: number): number {
  const n = set.sems.length;
  if (cmd === GETALL) {
    if (!ipcAllowed(set.perm, ipcCaller(c), 0o444)) return -EACCES;
    const out = new Uint8Array(2 * n);
    const v = new DataView(out.buffer);
    set.sems.forEach((s, i) => v.setUint16(2 * i, s.val, true));
    c.user.write(arg, out);
    return 0;
  }
  if (!ipcAllowed(set.perm, ipcCaller(c), 0o222)) return -EACCES;
  const b = c.user.read(arg, 2 * n);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const vals = Array.from({ length: n }, (_, i) => v.getUint16(2 * i, true));
  if (vals.some((x) => x > SEMVMX)) return -ERANGE;
  vals.forEach((x, i) => {
    set.sems[i].val = x;
    set.sems[i].pid = c.p.pid;
  });
  clearUndo(c.sys, set);
  set.ctime = nowSeconds(c);
  return 0;
}

function oneValue(c: Call, set: SemSet, cmd: number, semnum: number, arg: number): number {
  if (semnum < 0 || semnum >= set.sems.length) return -EINVAL;
  const write = cmd === SETVAL;
  if (!ipcAllowed(set.perm, ipcCaller(c), write ? 0o222 : 0o444)) return -EACCES;
  const s = set.sems[semnum];
  switch (cmd) {
    case GETVAL:
      return s.val;
    case GETPID:
      return s.pid;
    case GETNCNT:
      return set.ncnt[semnum];
    case GETZCNT:
      return set.zcnt[semnum];
    default: {
      const val = arg % 4294967296 | 0;
      if (val < 0 || val > SEMVMX) return -ERANGE;
      s.val = val;
      s.pid = c.p.pid;
      clearUndo(c.sys, set, semnum);
      set.ctime = nowSeconds(c);
      return 0;
    }
  }
}

/** /proc/sysvipc/sem's rows: key, id, mode, nsems, uid, gid, cuid, cgid, otime, ctime. */
export function semRows(sys: LinuxSystem): number[][] {
  return [...semTable(sys).values()].map((s) => [s.perm.key, s.id, s.perm.mode, s.sems.length, s.perm.uid, s.perm.gid, s.perm.cuid, s.perm.cgid, s.otime, s.ctime]);
}

// Rows of syscall-table.ts name these handlers.
export { semget, semop, semtimedop, semctl };
