// POSIX message queue calls: mq_open, mq_unlink, mq_timedsend,
// mq_timedreceive, mq_notify and mq_getsetattr, on posix-mqueue.ts's queues.
// Blocking sends and receives wait until they can go on, until their
// absolute CLOCK_REALTIME timeout (ETIMEDOUT) or a signal (EINTR, restarted
// under SA_RESTART as Linux's ERESTARTSYS is).

import { BLOCKED } from '../sched/thread';
import { O_ACCMODE, O_CREAT, O_EXCL, O_NONBLOCK, O_RDWR, O_WRONLY } from '../vfs/open-file';
import { EACCES, EAGAIN, EBADF, EBUSY, EEXIST, EINVAL, EMFILE, ENAMETOOLONG, ENOENT, ENOMEM, ENOSPC, ETIMEDOUT } from './errno';
import { mayAccess, MAY_READ, MAY_WRITE } from './file-permission';
import { chargeQueue, HARD_MSGMAX, HARD_MSGSIZEMAX, MessageQueue, mqNamespace, MQ_PRIO_MAX, MqueueFile, unlinkQueue, type MqMessage } from './posix-mqueue';
import { chargeMqueue, mqMessageCharge, MQUEUE_QUEUE_BYTES, releaseMqueue } from './mqueue-charges';
import { limitsOf } from './resource-limits';
import { sendToProcess } from './signal-delivery';
import { NSIG } from './signal-state';
import { kernelDeadline } from './sys-time';
import type { Call, Syscall, SyscallResult } from './syscall-context';
import { readTimespec } from './wait-args';

const NAME_MAX = 255;
const PATH_MAX = 4096;
const CAP_SYS_RESOURCE = 24;
const CAP_FOWNER = 3;
const RLIMIT_MSGQUEUE = 12;
const CLOCK_REALTIME = 0;
const SIGEV_SIGNAL = 0;
const SIGEV_NONE = 1;
const SIGEV_THREAD = 2;
const SI_MESGQ = -3;
const ENOTSOCK = 88;
const EMSGSIZE = 90;
const TWO32 = 4294967296;

/** A queue name as the mqueue filesystem looks it up: -EACCES for "", ".", ".." or one with a slash. */
function queueName(c: Call, addr: number): string | number {
  const name = c.str(addr, PATH_MAX);
  if (name === '') return -ENOENT;
  if (name === '.' || name === '..' || name.includes('/')) return -EACCES;
  if (Buffer.byteLength(name) > NAME_MAX) return -ENAMETOOLONG;
  return name;
}

/** struct mq_attr: mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs (longs), then reserved words. */
function readAttr(c: Call, addr: number): { flags: number; maxmsg: number; msgsize: number } {
  const [flags, maxmsg, msgsize] = c.words(addr, 8).map((x) => (x >= 2 ** 63 ? x - 2 ** 64 : x));
  return { flags, maxmsg, msgsize };
}

function encodeAttr(flags: number, q: MessageQueue): Uint8Array {
  const out = new Uint8Array(64);
  const v = new DataView(out.buffer);
  [flags, q.maxmsg, q.msgsize, q.messages.length].forEach((x, i) => v.setUint32(8 * i, x, true));
  return out;
}

function createQueue(c: Call, name: string, mode: number, attr: { maxmsg: number; msgsize: number } | null): MessageQueue | number {
  const ns = mqNamespace(c.sys);
  const t = ns.tunables;
  const creds = c.p.creds;
  let maxmsg = Math.min(t.msgDefault, t.msgMax);
  let msgsize = Math.min(t.msgsizeDefault, t.msgsizeMax);
  if (attr) {
    if (attr.maxmsg <= 0 || attr.msgsize <= 0) return -EINVAL;
    const [maxLimit, sizeLimit] = creds.capable(CAP_SYS_RESOURCE) ? [HARD_MSGMAX, HARD_MSGSIZEMAX] : [t.msgMax, t.msgsizeMax];
    if (attr.maxmsg > maxLimit || attr.msgsize > sizeLimit) return -EINVAL;
    maxmsg = attr.maxmsg;
    msgsize = attr.msgsize;
  }
  if (ns.queues.size >= t.queuesMax && !creds.capable(CAP_SYS_RESOURCE)) return -ENOSPC;
  const q = new MessageQueue(name, mode & 0o777 & ~c.p.umask, creds.fsuid, creds.fsgid, maxmsg, msgsize);
  // The queue's inode is kernel memory (mqueue_get_inode: ENOMEM when it cannot be had, before RLIMIT_MSGQUEUE's EMFILE).
  if (!chargeMqueue(c.sys, MQUEUE_QUEUE_BYTES)) return -ENOMEM;
  if (!chargeQueue(c.sys, q.uid, q.charge, limitsOf(c.p)[RLIMIT_MSGQUEUE][0])) {
    releaseMqueue(c.sys, MQUEUE_QUEUE_BYTES);
    return -EMFILE;
  }
  ns.queues.set(name, q);
  return q;
}

function mayOpen(c: Call, q: MessageQueue, oflag: number): number {
  const acc = oflag & O_ACCMODE;
  if (acc === O_ACCMODE) return -EINVAL;
  const mask = acc === O_RDWR ? MAY_READ | MAY_WRITE : acc === O_WRONLY ? MAY_WRITE : MAY_READ;
  const a = { kind: 'file' as const, perm: q.mode, size: 0, ino: q.ino, nlink: 1, rdev: 0, mtimeMs: 0, atimeMs: 0, ctimeMs: 0, uid: q.uid, gid: q.gid };
  return mayAccess(c.p.creds, a, mask) ? 0 : -EACCES;
}

/** mq_open(name, oflag, mode, attr): the descriptor is always close-on-exec, as Linux makes it. */
const mqOpen: Syscall = (c) => {
  const oflag = c.int(1);
  const attr = c.a[3] !== 0 ? readAttr(c, c.a[3]) : null;
  const name = queueName(c, c.a[0]);
  if (typeof name === 'number') return name;
  // Linux takes the descriptor number first: no queue is made when there is none.
  if (!c.p.fds.hasRoom()) return -EMFILE;
  const ns = mqNamespace(c.sys);
  let q = ns.queues.get(name);
  if (q) {
    if ((oflag & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL)) return -EEXIST;
    const e = mayOpen(c, q, oflag);
    if (e < 0) return e;
  } else {
    if ((oflag & O_CREAT) === 0) return -ENOENT;
    const made = createQueue(c, name, c.u32(2), (oflag & O_CREAT) !== 0 ? attr : null);
    if (typeof made === 'number') return made;
    q = made;
  }
  return c.p.fds.add(new MqueueFile(q, oflag & (O_ACCMODE | O_NONBLOCK), c.sys), true);
};

/** mq_unlink(name): the queue's owner or a caller with CAP_FOWNER (the mqueue root is sticky); it lives on while open. */
const mqUnlink: Syscall = (c) => {
  const name = queueName(c, c.a[0]);
  if (typeof name === 'number') return name;
  const q = mqNamespace(c.sys).queues.get(name);
  if (!q) return -ENOENT;
  if (c.p.creds.fsuid !== q.uid && !c.p.creds.capable(CAP_FOWNER)) return -EACCES;
  unlinkQueue(c.sys, q);
  return 0;
};

function queueFile(c: Call, fd: number): MqueueFile | number {
  const f = c.p.fds.get(fd);
  return f instanceof MqueueFile ? f : -EBADF;
}

/** The absolute CLOCK_REALTIME timeout as a kernel deadline (undefined: none); -EINVAL when malformed. */
function timeout(c: Call, addr: number): { deadline: number | undefined } | number {
  const ms = readTimespec(c, addr);
  if (ms === null) return { deadline: undefined };
  if (ms < 0) return ms;
  return { deadline: kernelDeadline(c.sys, CLOCK_REALTIME, ms) };
}

/** A message into an empty queue with nobody waiting fires the registered notification, once. */
function notifyArrival(c: Call, q: MessageQueue, wasEmpty: boolean): void {
  const n = q.notify;
  if (!n || !wasEmpty || receiversWaiting(c, q)) return;
  q.notify = undefined;
  if (n.signo !== 0 && !n.owner.isZombie) sendToProcess(c.sys, n.owner, { signo: n.signo, code: SI_MESGQ, pid: c.p.pid, uid: c.p.creds.uid, value: n.value });
}

/** Throws EFAULT (a UserFault) unless [va, va + len) is readable, in 64 KiB pieces rather than one copy of it all. */
function checkReadable(c: Call, va: number, len: number): void {
  for (let at = 0; at < len; at += 65536) c.user.read(va + at, Math.min(65536, len - at));
}

const waitingReceivers = new WeakMap<MessageQueue, number>();
const receiversWaiting = (_c: Call, q: MessageQueue): boolean => (waitingReceivers.get(q) ?? 0) > 0;

const mqTimedsend: Syscall = (c) => {
  const f = queueFile(c, c.int(0));
  const len = c.a[2];
  const prio = c.u32(3);
  const t = timeout(c, c.a[4]);
  if (typeof t === 'number') return t;
  if (prio >= MQ_PRIO_MAX) return -EINVAL;
  if (typeof f === 'number' || !f.writable) return -EBADF;
  const q = f.queue;
  if (len < 0 || len > q.msgsize) return -EMSGSIZE;
  let first = true;
  const attempt = (): number | typeof BLOCKED => {
    if (!q.full) {
      // The message is kernel memory until received (load_msg: ENOMEM when it cannot be had).
      if (!chargeMqueue(c.sys, mqMessageCharge(len))) return -ENOMEM;
      const wasEmpty = q.messages.length === 0;
      q.put({ prio, data: c.user.read(c.a[1], len) });
      notifyArrival(c, q, wasEmpty);
      return 0;
    }
    // Linux copies the text (EFAULT) before it finds the queue full; a sender that waits keeps no copy here meanwhile.
    if (first) checkReadable(c, c.a[1], len);
    first = false;
    if ((f.statusFlags & O_NONBLOCK) !== 0) return -EAGAIN;
    if (t.deadline !== undefined && c.sys.now() >= t.deadline) return -ETIMEDOUT;
    return BLOCKED;
  };
  return c.block(attempt, { deadline: t.deadline });
};

const mqTimedreceive: Syscall = (c) => {
  const f = queueFile(c, c.int(0));
  const len = c.a[2];
  const prioAddr = c.a[3];
  const t = timeout(c, c.a[4]);
  if (typeof t === 'number') return t;
  if (typeof f === 'number' || !f.readable) return -EBADF;
  const q = f.queue;
  if (len >= 0 && len < q.msgsize) return -EMSGSIZE;
  const deliver = (m: MqMessage): number => {
    c.user.write(c.a[1], m.data);
    if (prioAddr !== 0) {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, m.prio, true);
      c.user.write(prioAddr, b);
    }
    return m.data.length;
  };
  let waiting = false;
  const stopWaiting = (): void => {
    if (waiting) waitingReceivers.set(q, (waitingReceivers.get(q) ?? 1) - 1);
    waiting = false;
  };
  const attempt = (): number | typeof BLOCKED => {
    const m = q.take();
    if (m) {
      releaseMqueue(c.sys, mqMessageCharge(m.data.length));
      stopWaiting();
      return deliver(m);
    }
    if ((f.statusFlags & O_NONBLOCK) !== 0) return -EAGAIN;
    if (t.deadline !== undefined && c.sys.now() >= t.deadline) {
      stopWaiting();
      return -ETIMEDOUT;
    }
    if (!waiting) waitingReceivers.set(q, (waitingReceivers.get(q) ?? 0) + 1);
    waiting = true;
    return BLOCKED;
  };
  return c.block(attempt, { deadline: t.deadline, cancel: stopWaiting });
};

/** struct sigevent: value (8), signo (4), notify (4), then the thread id or function. */
const mqNotify: Syscall = (c): SyscallResult => {
  const f = queueFile(c, c.int(0));
  let ev: { value: number; signo: number; how: number } | null = null;
  if (c.a[1] !== 0) {
    const v = new DataView(c.user.read(c.a[1], 16).buffer);
    ev = { value: v.getUint32(4, true) * TWO32 + v.getUint32(0, true), signo: v.getInt32(8, true), how: v.getInt32(12, true) };
    if (ev.how !== SIGEV_NONE && ev.how !== SIGEV_SIGNAL && ev.how !== SIGEV_THREAD) return -EINVAL;
    // Linux's valid_signal: 0 is accepted (and then sends nothing).
    if (ev.how === SIGEV_SIGNAL && (ev.signo < 0 || ev.signo > NSIG)) return -EINVAL;
    if (ev.how === SIGEV_THREAD) {
      // SIGEV_THREAD names a netlink socket in sigev_signo; there is no AF_NETLINK here.
      const sock = c.p.fds.get(ev.signo);
      return sock ? -ENOTSOCK : -EBADF;
    }
  }
  if (typeof f === 'number') return f;
  const q = f.queue;
  if (!ev) {
    if (q.notify?.owner === c.p) q.notify = undefined;
    return 0;
  }
  // A registration whose process has exited went with its descriptors.
  if (q.notify && !q.notify.owner.isZombie) return -EBUSY;
  q.notify = { owner: c.p, signo: ev.how === SIGEV_SIGNAL ? ev.signo : 0, value: ev.value, uid: c.p.creds.uid };
  return 0;
};

/** mq_getsetattr(mqdes, new, old): only O_NONBLOCK of mq_flags can change. */
const mqGetsetattr: Syscall = (c) => {
  const f = queueFile(c, c.int(0));
  const next = c.a[1] !== 0 ? readAttr(c, c.a[1]) : null;
  if (next && (next.flags & ~O_NONBLOCK) !== 0) return -EINVAL;
  if (typeof f === 'number') return f;
  const old = encodeAttr(f.statusFlags & O_NONBLOCK, f.queue);
  if (next) f.statusFlags = (f.statusFlags & ~O_NONBLOCK) | (next.flags & O_NONBLOCK);
  if (c.a[2] !== 0) c.user.write(c.a[2], old);
  return 0;
};

// Rows of syscall-table.ts name these handlers.
export { mqOpen, mqUnlink, mqTimedsend, mqTimedreceive, mqNotify, mqGetsetattr };
