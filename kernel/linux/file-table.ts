// The system-wide file table, as Linux's fs.file-max bounds it: every open
// file description a descriptor names counts (once, however many descriptors
// and processes share it) until its last close; one more past file-max is
// refused with ENFILE unless the caller has CAP_SYS_ADMIN (Linux's
// alloc_empty_file). fs.file-nr shows the count.

import { fileTableGate } from '../vfs/fd-table';
import { lastCloseHooks, type OpenFile } from '../vfs/open-file';
import { CAP_SYS_ADMIN } from './credentials';
import type { LinuxSystem } from './linux-system';
import { fileMax } from './proc-sys';
import type { KobjLedger } from '../mm/kobj-ledger';
import { sealsOf } from '../vfs/memfd';
import { UnixSocket } from '../vfs/unix-socket';
import { InetSocket } from '../net/inet-socket';

const ENFILE = 23;
const ENOMEM = 12;

interface Count {
  n: number;
  readonly ledger: KobjLedger;
}

const counts = new WeakMap<LinuxSystem, Count>();
const counted = new WeakMap<OpenFile, Count>();

lastCloseHooks.push((file) => {
  const c = counted.get(file);
  if (!c) return;
  c.n--;
  counted.delete(file);
  const bytes = charged.get(file);
  if (bytes === undefined) return;
  charged.delete(file);
  c.ledger.release(FILE_KIND, bytes);
});

/**
 * Each open file description is charged to guest memory while it lives
 * (kind open-file; the descriptors naming it are charged apart): Linux's
 * struct file and what an anonymous-inode file holds behind it (an
 * eventfd_ctx, timerfd_ctx, eventpoll...). Salty's host heap holds up to
 * about 700 bytes for one (a timerfd, an epoll instance), and a memfd also
 * an inode that no directory counts (about 1200 bytes in all): with
 * RLIMIT_NOFILE raised, a million timerfds reached 627 MB and memfds
 * 1054 MB under -m 256M; an AF_INET socket holds about 1650 bytes.
 * AF_UNIX sockets have a charge of their own (socket-charges.ts).
 */
export const FILE_KIND = 'open-file';
const FILE_BYTES = 1024;
const MEMFD_BYTES = 2048;
/** An AF_INET or AF_INET6 socket: Linux's tcp_sock or udp_sock with its inode; salty's host heap holds about 1650 bytes for one. */
const INET_SOCKET_BYTES = 4096;
const charged = new WeakMap<OpenFile, number>();

function bytesFor(file: OpenFile): number {
  if (file instanceof UnixSocket) return 0;
  if (file instanceof InetSocket) return INET_SOCKET_BYTES;
  return sealsOf(file) !== null ? MEMFD_BYTES : FILE_BYTES;
}

/** Open file descriptions counted now (fs.file-nr's first figure). */
export function openFiles(sys: LinuxSystem): number {
  return counts.get(sys)?.n ?? 0;
}

/** Starts counting sys's open files (the descriptors made from now on). */
export function enableFileTable(sys: LinuxSystem): void {
  const c: Count = { n: 0, ledger: sys.kernel.mm.kobjs };
  counts.set(sys, c);
  fileTableGate.check = (file, mayRefuse) => {
    if (counted.has(file)) return 0;
    if (mayRefuse && c.n >= fileMax(sys) && !sys.currentProcess?.creds.capable(CAP_SYS_ADMIN)) return -ENFILE;
    // Refusable: ENOMEM keeping the reserve for user pages (alloc_empty_file's); else charged when it can be.
    const bytes = bytesFor(file);
    if (c.ledger.tryCharge(FILE_KIND, bytes, undefined, mayRefuse)) charged.set(file, bytes);
    else if (mayRefuse) return -ENOMEM;
    counted.set(file, c);
    c.n++;
    return 0;
  };
}
