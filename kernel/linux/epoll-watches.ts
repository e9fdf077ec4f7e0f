// epoll interest entries as Linux counts them: each counts against the
// instance creator's user, at most fs.epoll.max_user_watches (by default 4%
// of RAM over the 184 bytes an entry costs Linux), past which EPOLL_CTL_ADD
// answers ENOSPC (Linux's ep_insert); each is also charged to guest memory
// (kind epoll-watch) and to the creating process, until the entry goes
// (EPOLL_CTL_DEL, its file's last close, the instance's).

import type { EpollFile, WatchCharge } from '../vfs/epoll';
import { accountOf } from './kobj-charges';
import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import { epollMaxUserWatches } from './proc-sys';

/** The host's entry (its record, its charge, the interest and ready lists' slots) costs about 360 bytes (measured: 260,000 entries under -m 64M); charged at more than twice that, as the other kinds. */
const WATCH_BYTES = 1024;
const ENOSPC = 28;
const ENOMEM = 12;

const creators = new WeakMap<EpollFile, LinuxProcess>();
const perUid = new WeakMap<LinuxSystem, Map<number, number>>();

/** epoll_create: the instance's entries count to p's user. */
export function noteCreator(ep: EpollFile, p: LinuxProcess): void {
  creators.set(ep, p);
}

/** The charge of one more entry in ep, or -ENOSPC past max_user_watches, -ENOMEM when guest memory cannot hold it. */
export function chargeWatch(sys: LinuxSystem, ep: EpollFile, caller: LinuxProcess): WatchCharge | number {
  const p = creators.get(ep) ?? caller;
  const uid = p.creds.uid;
  let m = perUid.get(sys);
  if (!m) perUid.set(sys, (m = new Map()));
  const counts = m;
  const n = counts.get(uid) ?? 0;
  if (n >= epollMaxUserWatches(sys)) return -ENOSPC;
  const ledger = sys.kernel.mm.kobjs;
  const a = accountOf(p);
  // The reserve stays for user pages: the caller gets ENOMEM and can still fault its stack in to report it.
  if (!ledger.tryCharge('epoll-watch', WATCH_BYTES, a, true)) return -ENOMEM;
  counts.set(uid, n + 1);
  let live = true;
  return {
    release() {
      if (!live) return;
      live = false;
      counts.set(uid, counts.get(uid)! - 1);
      ledger.release('epoll-watch', WATCH_BYTES, a);
    },
  };
}
