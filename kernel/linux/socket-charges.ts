// AF_UNIX sockets charged to guest memory. A socket is kernel memory on
// Linux (struct unix_sock and its socket inode, about 2 KiB) whether a
// descriptor names it or not: the server end of a connection waiting in a
// listener's backlog, or a socket in flight inside another's queue
// (SCM_RIGHTS) after its sender closed it, is held by no descriptor, and
// salty's host heap holds about 800 bytes for each. Each live socket is
// charged (kind unix-socket) from its making to its last release; making
// one answers ENOMEM when the charge cannot be had (keeping the reserve for
// user pages), and ENFILE past twice fs.file-max, Linux's unix_create1
// bound, which holds for root too.

import { collectGarbage } from '../vfs/unix-gc';
import { setSocketMeter } from '../vfs/unix-socket';
import { ENOMEM } from './errno';

const ENFILE = 23;
import type { LinuxSystem } from './linux-system';
import { fileMax } from './proc-sys';

export const UNIX_SOCKET_KIND = 'unix-socket';
/** Bytes charged per live socket: Linux's unix_sock and socket inode, at least twice salty's host heap for one. */
export const UNIX_SOCKET_BYTES = 2048;

const live = new WeakMap<LinuxSystem, { n: number }>();

/** Live AF_UNIX sockets of sys (Linux's unix_nr_socks). */
export function unixSockets(sys: LinuxSystem): number {
  return live.get(sys)?.n ?? 0;
}

export function enableSocketCharges(sys: LinuxSystem): void {
  const count = { n: 0 };
  live.set(sys, count);
  const ledger = sys.kernel.mm.kobjs;
  const room = (n: number): number => {
    if (count.n + n > 2 * fileMax(sys)) return -ENFILE;
    return ledger.canCharge(UNIX_SOCKET_KIND, n * UNIX_SOCKET_BYTES, true) ? 0 : -ENOMEM;
  };
  setSocketMeter({
    room: (n) => {
      const r = room(n);
      // Sockets in flight that nothing can reach go before a refusal (the collector is amortized).
      return r < 0 && collectGarbage() > 0 ? room(n) : r;
    },
    made: () => {
      count.n++;
      ledger.charge(UNIX_SOCKET_KIND, UNIX_SOCKET_BYTES);
    },
    gone: () => {
      count.n--;
      ledger.release(UNIX_SOCKET_KIND, UNIX_SOCKET_BYTES);
    },
  });
}
