// Readiness: the one question poll, select and epoll ask every file type.
//
// An OpenFile answers it through these methods (see open-file.ts):
// - pollIn() / pollOut(): a read / a write would not block now. A file type
//   that implements only these two works under poll, select and epoll.
// - pollEvents(): the full mask of the bits below that hold now. The default
//   builds it from pollIn/pollOut; a file that can hang up or fail (pipes,
//   sockets) overrides it to add POLLHUP, POLLERR, POLLRDHUP or POLLPRI.
// - readyAt(): when time alone will make the file ready (a timerfd's next
//   expiry), so a waiter's deadline wakes it without any other event.
// - pollable(): false for files without a poll operation in Linux (regular
//   files, directories, /dev/null): poll and select see them always ready,
//   epoll_ctl refuses them with EPERM.
// - edgeCount(direction): how many times input arrived ('in') or room for
//   output appeared ('out') so far. Edge-triggered epoll reports a file again
//   when its count moved, even if it never looked unready in between; a file
//   that keeps no count (0) is reported on rising edges of its mask only.
//
// Waiters are polled, not woken: the scheduler calls each blocked thread's
// retry, which asks these methods again. No file keeps a wait queue.

export const POLLIN = 0x1;
export const POLLPRI = 0x2;
export const POLLOUT = 0x4;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
export const POLLNVAL = 0x20;
export const POLLRDNORM = 0x40;
export const POLLRDBAND = 0x80;
export const POLLWRNORM = 0x100;
export const POLLWRBAND = 0x200;
export const POLLMSG = 0x400;
export const POLLRDHUP = 0x2000;

/** Bits poll and epoll report whether they were asked for or not. */
export const ALWAYS_REPORTED = POLLERR | POLLHUP | POLLNVAL;

export type EdgeDirection = 'in' | 'out';
