// epoll: epoll_create1 (and x86_64's epoll_create), epoll_ctl, epoll_pwait,
// epoll_pwait2 (and x86_64's epoll_wait). The instance is kernel/vfs/epoll.ts;
// this file reads the arguments and waits.

import { BLOCKED } from '../sched/thread';
import { EpollFile, EPOLLET, EPOLLEXCLUSIVE, EPOLLWAKEUP, MAX_NESTS, type EpollEvent } from '../vfs/epoll';
import { O_CLOEXEC, O_PATH } from '../vfs/open-file';
import { POLLERR, POLLHUP, POLLIN, POLLOUT } from '../vfs/readiness';
import { EBADF, EEXIST, EFAULT, EINTR, EINVAL, ELOOP, ENOENT, EPERM } from './errno';
import type { Call, Syscall, SyscallResult } from './syscall-context';
import { earliest } from './sys-poll';
import { faultSafe, readTimespec, waitMask } from './wait-args';
import { chargeWatch, noteCreator } from './epoll-watches';

const EPOLL_CTL_ADD = 1;
const EPOLL_CTL_DEL = 2;
const EPOLL_CTL_MOD = 3;
/** The only bits an EPOLLEXCLUSIVE entry may carry. */
const EXCLUSIVE_OK = POLLIN | POLLOUT | POLLERR | POLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;
/** Linux's EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event). */
const MAX_EVENTS = Math.floor(0x7fffffff / 16);

/** struct epoll_event: 16 bytes with data at 8 on arm64; packed, 12 bytes with data at 4, on x86_64. */
function layout(c: Call): { size: number; data: number } {
  return c.sys.kernel.arch === 'x86_64' ? { size: 12, data: 4 } : { size: 16, data: 8 };
}

const epollCreate1: Syscall = (c) => {
  const flags = c.int(0);
  if ((flags & ~O_CLOEXEC) !== 0) return -EINVAL;
  return c.p.fds.add(newEpoll(c), (flags & O_CLOEXEC) !== 0);
};

const epollCreate: Syscall = (c) => (c.int(0) <= 0 ? -EINVAL : c.p.fds.add(newEpoll(c), false));

/** An instance whose entries count to the caller's user (epoll-watches.ts). */
function newEpoll(c: Call): EpollFile {
  const ep = new EpollFile(0);
  noteCreator(ep, c.p);
  return ep;
}

function readEvent(c: Call, addr: number): EpollEvent {
  const l = layout(c);
  const v = new DataView(c.user.read(addr, l.size).buffer);
  return { events: v.getUint32(0, true), lo: v.getUint32(l.data, true), hi: v.getUint32(l.data + 4, true) };
}

const epollCtl: Syscall = (c) => {
  const op = c.int(1);
  const fd = c.int(2);
  let ev: EpollEvent = { events: 0, lo: 0, hi: 0 };
  if (op !== EPOLL_CTL_DEL) {
    if (c.a[3] === 0) return -EFAULT;
    ev = readEvent(c, c.a[3]);
  }
  const ep = c.p.fds.get(c.int(0));
  const target = c.p.fds.get(fd);
  if (!ep || !target || (target.statusFlags & O_PATH) !== 0) return -EBADF;
  if (!target.pollable()) return -EPERM;
  const exclusive = (ev.events & EPOLLEXCLUSIVE) !== 0;
  if (exclusive && (op === EPOLL_CTL_MOD || (op === EPOLL_CTL_ADD && ((ev.events & ~EXCLUSIVE_OK) !== 0 || target instanceof EpollFile)))) return -EINVAL;
  if (ep === target || !(ep instanceof EpollFile)) return -EINVAL;
  if (op === EPOLL_CTL_ADD && target instanceof EpollFile) {
    if (target.reaches(ep)) return -ELOOP;
    if (target.depthBelow() + 1 + ep.depthAbove() > MAX_NESTS) return -ELOOP;
  }
  // Linux always reports errors and hang-ups; EPOLLWAKEUP needs a capability it silently drops.
  const events = (ev.events & ~EPOLLWAKEUP) >>> 0;
  const present = ep.has(fd, target);
  switch (op) {
    case EPOLL_CTL_ADD: {
      if (present) return -EEXIST;
      const charge = chargeWatch(c.sys, ep, c.p);
      if (typeof charge === 'number') return charge;
      ep.add(fd, target, { ...ev, events }, charge);
      return 0;
    }
    case EPOLL_CTL_DEL:
      if (!present) return -ENOENT;
      ep.remove(fd, target);
      return 0;
    case EPOLL_CTL_MOD:
      if (!present) return -ENOENT;
      if ((ep.eventsOf(fd, target) & EPOLLEXCLUSIVE) !== 0) return -EINVAL;
      ep.modify(fd, target, { ...ev, events });
      return 0;
    default:
      return -EINVAL;
  }
};

/** The instance to wait on, or the errno of a bad descriptor or maxevents. */
function instance(c: Call, epfd: number, max: number): EpollFile | number {
  const ep = c.p.fds.get(epfd);
  if (!ep) return -EBADF;
  return !(ep instanceof EpollFile) || max <= 0 || max > MAX_EVENTS ? -EINVAL : ep;
}

/** Waits until something in the instance is ready or the deadline (kernel ms; undefined: none) passes. */
function waitEvents(c: Call, ep: EpollFile, eventsAddr: number, max: number, deadline: number | undefined): SyscallResult {
  const l = layout(c);
  const attempt = (): number | typeof BLOCKED => {
    const got = ep.collect(max);
    if (got.length === 0) return deadline === undefined || c.sys.now() < deadline ? BLOCKED : 0;
    const out = new Uint8Array(l.size * got.length);
    const v = new DataView(out.buffer);
    got.forEach((e, i) => {
      v.setUint32(i * l.size, e.events >>> 0, true);
      v.setUint32(i * l.size + l.data, e.lo, true);
      v.setUint32(i * l.size + l.data + 4, e.hi, true);
    });
    c.user.write(eventsAddr, out);
    return got.length;
  };
  return c.block(faultSafe(attempt), { deadline: earliest(deadline, [ep]), interruptResult: -EINTR });
}

/** A timeout in ms as a deadline: negative waits for ever. */
function msDeadline(c: Call, ms: number): number | undefined {
  return ms < 0 ? undefined : c.sys.now() + ms;
}

const epollWait: Syscall = (c) => {
  const ep = instance(c, c.int(0), c.int(2));
  return typeof ep === 'number' ? ep : waitEvents(c, ep, c.a[1], c.int(2), msDeadline(c, c.int(3)));
};

const epollPwait: Syscall = (c) => {
  const ep = instance(c, c.int(0), c.int(2));
  if (typeof ep === 'number') return ep;
  const m = waitMask(c, c.a[4], c.a[5]);
  return m < 0 ? m : waitEvents(c, ep, c.a[1], c.int(2), msDeadline(c, c.int(3)));
};

const epollPwait2: Syscall = (c) => {
  const ep = instance(c, c.int(0), c.int(2));
  if (typeof ep === 'number') return ep;
  const timeout = readTimespec(c, c.a[3]);
  if (timeout !== null && timeout < 0) return timeout;
  const m = waitMask(c, c.a[4], c.a[5]);
  return m < 0 ? m : waitEvents(c, ep, c.a[1], c.int(2), timeout === null ? undefined : c.sys.now() + timeout);
};

// Rows of syscall-table.ts name these handlers.
export { epollCreate1, epollCreate, epollCtl, epollWait, epollPwait, epollPwait2 };
