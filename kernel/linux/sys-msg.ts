// System V message queues: msgget, msgsnd, msgrcv, msgctl. A sender waits
// while the queue is full and a receiver while no message matches (polled by
// the scheduler), both ending with EIDRM when the queue goes or EINTR on a
// signal; IPC_NOWAIT turns the waits into EAGAIN and ENOMSG.

import { BLOCKED } from '../sched/thread';
import { E2BIG, EACCES, EAGAIN, EFAULT, EIDRM, EINTR, EINVAL, ENOMEM, ENOMSG, EPERM } from './errno';
import { HOST_BYTES_FACTOR, MSG_CHARGE_KIND } from './kobj-charges';
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
import type { LinuxSystem } from './linux-system';
import type { Call, Syscall, SyscallResult } from './syscall-context';
import { ipcCaller } from './sys-shm';

const MSG_STAT = 11;
const MSG_INFO = 12;
const MSG_STAT_ANY = 13;
const MSG_NOERROR = 0o10000;
const MSG_EXCEPT = 0o20000;
const MSG_COPY = 0o40000;
/** Linux's defaults (include/uapi/linux/msg.h). */
const MSGMAX = 8192;
const MSGMNB = 16384;
const MSGSEG = 0xffff;
const MSGSSZ = 16;

interface Message {
  readonly type: number;
  readonly text: Uint8Array;
}

interface Queue {
  readonly id: number;
  readonly perm: IpcPerm;
  removed?: boolean;
  readonly messages: Message[];
  bytes: number;
  qbytes: number;
  stime: number;
  rtime: number;
  ctime: number;
  lspid: number;
  lrpid: number;
}

const tables = new WeakMap<LinuxSystem, IpcTable<Queue>>();

// Queues and their messages are kernel memory on Linux (msgsnd answers ENOMEM
// when it cannot have it); here the host holds them, so they are charged to
// guest memory (kind sysv-msg): a queue as struct msg_queue, a message as its
// text plus struct msg_msg, at HOST_BYTES_FACTOR as other buffers of guest bytes.
const QUEUE_BYTES = 256;
const MESSAGE_HEADER_BYTES = 64;
const messageCharge = (length: number): number => HOST_BYTES_FACTOR * (length + MESSAGE_HEADER_BYTES);
const ledger = (sys: LinuxSystem) => sys.kernel.mm.kobjs;

/** The system's table (its limit and next id are /proc/sys/kernel tunables). */
export function msgTable(sys: LinuxSystem): IpcTable<Queue> {
  let t = tables.get(sys);
  if (!t) tables.set(sys, (t = new IpcTable<Queue>()));
  return t;
}

const nowSeconds = (c: Call): number => Math.floor(c.sys.wallNow() / 1000);

const msgget: Syscall = (c) => {
  const key = c.int(0);
  const flags = c.int(1);
  const caller = ipcCaller(c);
  const table = msgTable(c.sys);
  const found = lookupForGet(table, key, flags, caller);
  if (typeof found === 'number') return found;
  if (found !== null) return found.id;
  const now = nowSeconds(c);
  if (!ledger(c.sys).tryCharge(MSG_CHARGE_KIND, QUEUE_BYTES, undefined, true)) return -ENOMEM;
  const made = table.add(key, flags, caller, (id, perm) => ({ id, perm, messages: [], bytes: 0, qbytes: MSGMNB, stime: 0, rtime: 0, ctime: now, lspid: 0, lrpid: 0 }));
  if (typeof made === 'number') ledger(c.sys).release(MSG_CHARGE_KIND, QUEUE_BYTES);
  return typeof made === 'number' ? made : made.id;
};

/** A long at addr (the mtype of a struct msgbuf). */
function readLong(c: Call, addr: number): number {
  const v = new DataView(c.user.read(addr, 8).buffer);
  return v.getInt32(4, true) * 4294967296 + v.getUint32(0, true);
}

const msgsnd: Syscall = (c) => {
  const msqid = c.int(0);
  const addr = c.a[1];
  const size = c.a[2];
  const flags = c.int(3);
  const type = readLong(c, addr);
  if (size > MSGMAX || size < 0 || msqid < 0) return -EINVAL;
  if (type < 1) return -EINVAL;
  const text = c.user.read(addr + 8, size);
  const q = msgTable(c.sys).byId(msqid);
  if (!q) return -EINVAL;
  if (!ipcAllowed(q.perm, ipcCaller(c), 0o222)) return -EACCES;
  const attempt = (): number | typeof BLOCKED => {
    if (q.removed) return -EIDRM;
    if (q.bytes + size > q.qbytes || q.messages.length + 1 > q.qbytes) return (flags & IPC_NOWAIT) !== 0 ? -EAGAIN : BLOCKED;
    // The reserve stays for user pages: the sender gets ENOMEM and goes on.
    if (!ledger(c.sys).tryCharge(MSG_CHARGE_KIND, messageCharge(size), undefined, true)) return -ENOMEM;
    q.messages.push({ type, text });
    q.bytes += size;
    q.lspid = c.p.pid;
    q.stime = nowSeconds(c);
    return 0;
  };
  return c.block(attempt, { interruptResult: -EINTR });
};

/** The index of the message msgrcv's msgtyp selects, or -1. */
function pick(q: Queue, msgtyp: number, flags: number): number {
  if (msgtyp === 0) return q.messages.length > 0 ? 0 : -1;
  if (msgtyp > 0) return q.messages.findIndex((m) => ((flags & MSG_EXCEPT) !== 0 ? m.type !== msgtyp : m.type === msgtyp));
  let best = -1;
  q.messages.forEach((m, i) => {
    if (m.type <= -msgtyp && (best < 0 || m.type < q.messages[best].type)) best = i;
  });
  return best;
}

const msgrcv: Syscall = (c) => {
  const msqid = c.int(0);
  const addr = c.a[1];
  const size = c.a[2];
  const msgtyp = c.a[3];
  const flags = c.int(4);
  if (msqid < 0 || size < 0 || size >= 2 ** 63) return -EINVAL;
  const copy = (flags & MSG_COPY) !== 0;
  if (copy && ((flags & MSG_EXCEPT) !== 0 || (flags & IPC_NOWAIT) === 0)) return -EINVAL;
  const q = msgTable(c.sys).byId(msqid);
  if (!q) return -EINVAL;
  if (!ipcAllowed(q.perm, ipcCaller(c), 0o444)) return -EACCES;
  const attempt = (): number | typeof BLOCKED => {
    if (q.removed) return -EIDRM;
    const i = copy ? (msgtyp >= 0 && msgtyp < q.messages.length ? msgtyp : -1) : pick(q, msgtyp, flags);
    if (i < 0) return (flags & IPC_NOWAIT) !== 0 ? -ENOMSG : BLOCKED;
    const m = q.messages[i];
    if (m.text.length > size && (flags & MSG_NOERROR) === 0) return -E2BIG;
    const n = Math.min(size, m.text.length);
    const out = new Uint8Array(8 + n);
    setU64(new DataView(out.buffer), 0, m.type);
    out.set(m.text.subarray(0, n), 8);
    c.user.write(addr, out);
    if (!copy) {
      q.messages.splice(i, 1);
      q.bytes -= m.text.length;
      ledger(c.sys).release(MSG_CHARGE_KIND, messageCharge(m.text.length));
      q.lrpid = c.p.pid;
      q.rtime = nowSeconds(c);
    }
    return n;
  };
  return c.block(attempt, { interruptResult: -EINTR });
};

function encodeMsqid(q: Queue): Uint8Array {
  const out = new Uint8Array(120);
  const v = new DataView(out.buffer);
  encodePerm(v, 0, q.perm);
  setU64(v, 48, q.stime);
  setU64(v, 56, q.rtime);
  setU64(v, 64, q.ctime);
  setU64(v, 72, q.bytes);
  setU64(v, 80, q.messages.length);
  setU64(v, 88, q.qbytes);
  v.setInt32(96, q.lspid, true);
  v.setInt32(100, q.lrpid, true);
  return out;
}

function infoReply(c: Call, cmd: number): number {
  const table = msgTable(c.sys);
  // struct msginfo: msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql, msgseg (unsigned short).
  const out = new Uint8Array(32);
  const v = new DataView(out.buffer);
  let pool = Math.floor((IPC_SLOTS * MSGMNB) / 1024);
  let map = MSGMNB;
  let tql = MSGMNB;
  if (cmd === MSG_INFO) {
    pool = table.count;
    map = 0;
    tql = 0;
    for (const q of table.values()) {
      map += q.messages.length;
      tql += q.bytes;
    }
  }
  [pool, map, MSGMAX, MSGMNB, table.limit, MSGSSZ, tql].forEach((x, i) => v.setInt32(4 * i, x, true));
  v.setUint16(28, MSGSEG, true);
  c.user.write(c.a[2], out);
  return table.highestSlot;
}

const msgctl: Syscall = (c) => {
  const msqid = c.int(0);
  const cmd = c.int(1);
  const buf = c.a[2];
  const caller = ipcCaller(c);
  if (cmd === IPC_INFO || cmd === MSG_INFO) return infoReply(c, cmd);
  if (cmd === MSG_STAT || cmd === MSG_STAT_ANY) {
    const q = msqid >= 0 && msqid < IPC_SLOTS ? msgTable(c.sys).bySlot(msqid) : undefined;
    if (!q) return -EINVAL;
    if (cmd === MSG_STAT && !ipcAllowed(q.perm, caller, 0o444)) return -EACCES;
    c.user.write(buf, encodeMsqid(q));
    return q.id;
  }
  if (![IPC_RMID, IPC_SET, IPC_STAT].includes(cmd) || msqid < 0) return -EINVAL;
  const q = msgTable(c.sys).byId(msqid);
  if (!q) return -EINVAL;
  return queueCommand(c, q, cmd, buf);
};

function queueCommand(c: Call, q: Queue, cmd: number, buf: number): SyscallResult {
  const caller = ipcCaller(c);
  if (cmd === IPC_STAT) {
    if (!ipcAllowed(q.perm, caller, 0o444)) return -EACCES;
    if (buf === 0) return -EFAULT;
    c.user.write(buf, encodeMsqid(q));
    return 0;
  }
  const data = cmd === IPC_SET ? c.user.read(buf, 120) : null;
  const owner = ipcOwnerCheck(q.perm, caller);
  if (owner < 0) return owner;
  if (!data) {
    msgTable(c.sys).remove(q);
    const held = q.messages.reduce((sum, m) => sum + messageCharge(m.text.length), QUEUE_BYTES);
    q.messages.length = 0;
    q.bytes = 0;
    ledger(c.sys).release(MSG_CHARGE_KIND, held);
    return 0;
  }
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const qbytes = v.getUint32(92, true) * 4294967296 + v.getUint32(88, true);
  // Raising msg_qbytes past MSGMNB needs CAP_SYS_RESOURCE.
  if (qbytes > MSGMNB && caller.uid !== 0) return -EPERM;
  applyPermSet(q.perm, v, 0);
  q.qbytes = qbytes;
  q.ctime = nowSeconds(c);
  return 0;
}

/** /proc/sysvipc/msg's rows: key, id, mode, cbytes, qnum, lspid, lrpid, uid, gid, cuid, cgid, stime, rtime, ctime. */
export function msgRows(sys: LinuxSystem): number[][] {
  return [...msgTable(sys).values()].map((q) => [q.perm.key, q.id, q.perm.mode, q.bytes, q.messages.length, q.lspid, q.lrpid, q.perm.uid, q.perm.gid, q.perm.cuid, q.perm.cgid, q.stime, q.rtime, q.ctime]);
}

// Rows of syscall-table.ts name these handlers.
export { msgget, msgsnd, msgrcv, msgctl };
