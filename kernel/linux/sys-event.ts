// Descriptors that are not files: eventfd2, timerfd_create/settime/gettime,
// socketpair(AF_UNIX) with send/recv/shutdown, and rt_sigtimedwait.

import { BLOCKED } from '../sched/thread';
import { EFD_SEMAPHORE, EventFd } from '../vfs/eventfd';
import { O_CLOEXEC, O_NONBLOCK } from '../vfs/open-file';
import { createSocketPair, SocketEnd } from '../vfs/socket-pair';
import { TimerFd } from '../vfs/timerfd';
import { EACCES, EAGAIN, EBADF, EINVAL, EPIPE } from './errno';
import { sendToThread } from './signal-delivery';
import { encodeSiginfo } from './signal-frame';
import { SigSet } from './sigset';
import { timespec, type Call, type Syscall } from './syscall-context';
import { fileOf } from './sys-io';
import { clockMs } from './sys-time';

const EAFNOSUPPORT = 97;
const EPROTONOSUPPORT = 93;
const ENOTSOCK = 88;
const EINTR = 4;
const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const EOPNOTSUPP = 95;
const SOCK_STREAM = 1;
const SOCK_DGRAM = 2;
const SOCK_SEQPACKET = 5;
const MSG_DONTWAIT = 0x40;
const MSG_NOSIGNAL = 0x4000;
const TFD_TIMER_ABSTIME = 1;

/** Installs two-descriptor results (pipe2, socketpair) in the int[2] at addr. */
function putPair(c: Call, addr: number, a: number, b: number): void {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setInt32(0, a, true);
  new DataView(out.buffer).setInt32(4, b, true);
  c.user.write(addr, out);
}

const eventfd2: Syscall = (c) => {
  const flags = c.int(1);
  if ((flags & ~(O_CLOEXEC | O_NONBLOCK | EFD_SEMAPHORE)) !== 0) return -EINVAL;
  return c.p.fds.add(new EventFd(c.u32(0), (flags & EFD_SEMAPHORE) !== 0, flags & O_NONBLOCK), (flags & O_CLOEXEC) !== 0);
};

const timerfdCreate: Syscall = (c) => {
  const clock = c.int(0);
  const flags = c.int(1);
  if (![0, 1, 7].includes(clock) || (flags & ~(O_CLOEXEC | O_NONBLOCK)) !== 0) return -EINVAL;
  return c.p.fds.add(new TimerFd(clock, flags & O_NONBLOCK, () => c.sys.now()), (flags & O_CLOEXEC) !== 0);
};

function timerOf(c: Call): TimerFd | number {
  const f = fileOf(c, 0);
  return !f ? -EBADF : f instanceof TimerFd ? f : -EINVAL;
}

function itimerspec(s: { remaining: number; interval: number }): Uint8Array {
  const out = new Uint8Array(32);
  out.set(timespec(s.interval), 0);
  out.set(timespec(s.remaining), 16);
  return out;
}

const timerfdSettime: Syscall = (c) => {
  const t = timerOf(c);
  if (typeof t === 'number') return t;
  const interval = c.timespecMs(c.a[2])!;
  const value = c.timespecMs(c.a[2] + 16)!;
  if (interval < 0 || value < 0) return -EINVAL;
  const abs = (c.int(1) & TFD_TIMER_ABSTIME) !== 0;
  const at = value === 0 ? 0 : abs ? c.sys.now() + Math.max(0, value - clockMs(c.sys, t.clock)) : c.sys.now() + value;
  const old = t.set(at, interval);
  if (c.a[3] !== 0) c.user.write(c.a[3], itimerspec(old));
  return 0;
};

const timerfdGettime: Syscall = (c) => {
  const t = timerOf(c);
  if (typeof t === 'number') return t;
  c.user.write(c.a[1], itimerspec(t.get()));
  return 0;
};

const socketpair: Syscall = (c) => {
  const domain = c.int(0);
  const type = c.int(1);
  const base = type & 0xf;
  if (domain === AF_INET || domain === AF_INET6) return -EOPNOTSUPP;
  if (domain !== AF_UNIX) return -EAFNOSUPPORT;
  if (![SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET].includes(base) || (type & ~(0xf | O_CLOEXEC | O_NONBLOCK)) !== 0) return -EINVAL;
  if (c.int(2) !== 0) return -EPROTONOSUPPORT;
  const [a, b] = createSocketPair(base !== SOCK_STREAM, type & O_NONBLOCK);
  const cloexec = (type & O_CLOEXEC) !== 0;
  const fa = c.p.fds.add(a, cloexec);
  if (fa < 0) return fa;
  const fb = c.p.fds.add(b, cloexec);
  if (fb < 0) {
    c.p.fds.close(fa);
    return fb;
  }
  putPair(c, c.a[3], fa, fb);
  return 0;
};

function socketOf(c: Call): SocketEnd | number {
  const f = fileOf(c, 0);
  return !f ? -EBADF : f instanceof SocketEnd ? f : -ENOTSOCK;
}

/** sendto with no address: write, except that MSG_DONTWAIT never blocks. */
const sendto: Syscall = (c) => {
  const s = socketOf(c);
  if (typeof s === 'number') return s;
  const data = c.user.read(c.a[1], Math.min(c.a[2], 1 << 24));
  const flags = c.int(3);
  const dontWait = (flags & MSG_DONTWAIT) !== 0 || (s.statusFlags & O_NONBLOCK) !== 0;
  return c.block(() => {
    const r = s.write(data);
    if (r === -EPIPE && (flags & MSG_NOSIGNAL) === 0) sendToThread(c.sys, c.t, { signo: 13, code: 0, pid: c.p.pid, uid: 0 });
    return r === -EAGAIN && !dontWait ? BLOCKED : r;
  });
};

const recvfrom: Syscall = (c) => {
  const s = socketOf(c);
  if (typeof s === 'number') return s;
  const dontWait = (c.int(3) & MSG_DONTWAIT) !== 0 || (s.statusFlags & O_NONBLOCK) !== 0;
  if (c.a[4] !== 0 && c.a[5] !== 0) c.user.write(c.a[5], new Uint8Array(4));
  return c.block(() => {
    const r = s.read(Math.min(c.a[2], 1 << 24));
    if (typeof r === 'number') return r === -EAGAIN && !dontWait ? BLOCKED : r;
    c.user.write(c.a[1], r);
    return r.length;
  });
};

const shutdown: Syscall = (c) => {
  const s = socketOf(c);
  if (typeof s === 'number') return s;
  const how = c.int(1);
  if (how < 0 || how > 2) return -EINVAL;
  s.shutdown(how);
  return 0;
};

/** socket(2): there is no network and no named socket; glibc's nscd probe and bash's checks fall back. */
const socket: Syscall = (c) => (c.int(0) === AF_UNIX || c.int(0) === AF_INET || c.int(0) === AF_INET6 ? -EACCES : -EAFNOSUPPORT);

/** getsockname/getpeername: an unnamed AF_UNIX address for a socketpair end. */
const socketName: Syscall = (c) => {
  const s = socketOf(c);
  if (typeof s === 'number') return s;
  const lenAddr = c.a[2];
  const room = new DataView(c.user.read(lenAddr, 4).buffer).getInt32(0, true);
  if (room < 0) return -EINVAL;
  const addr = new Uint8Array(2);
  new DataView(addr.buffer).setUint16(0, AF_UNIX, true);
  c.user.write(c.a[1], addr.subarray(0, Math.min(2, room)));
  const len = new Uint8Array(4);
  new DataView(len.buffer).setInt32(0, 2, true);
  c.user.write(lenAddr, len);
  return 0;
};

const rtSigtimedwait: Syscall = (c) => {
  if (c.a[3] !== 8) return -EINVAL;
  const wanted = SigSet.fromBytes(c.user.read(c.a[0], 8)).blockable();
  const notWanted = new SigSet(0xffffffff, 0xffffffff).minus(wanted);
  const timeout = c.timespecMs(c.a[2]);
  const deadline = timeout === null ? undefined : c.sys.now() + timeout;
  const t = c.t;
  return c.block(
    () => {
      const info = t.pending.take(notWanted) ?? t.proc.pending.take(notWanted);
      if (info) {
        if (c.a[1] !== 0) c.user.write(c.a[1], encodeSiginfo(info));
        return info.signo;
      }
      return deadline !== undefined && c.sys.now() >= deadline ? -EAGAIN : BLOCKED;
    },
    { deadline, interruptResult: -EINTR },
  );
};

// Rows of syscall-table.ts name these handlers.
export { eventfd2, timerfdCreate, timerfdSettime, timerfdGettime, socket, socketpair, socketName, sendto, recvfrom, shutdown, rtSigtimedwait };
