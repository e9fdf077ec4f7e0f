// Who may take a lease (fcntl F_SETLEASE), as Linux's check_conflicting_open
// and generic_setlease decide: a read lease while nobody has the file open
// for writing, a write lease only by its sole opener, and neither against
// another description's lease.

import { leasesOn } from '../vfs/file-locks';
import { writeBreakPending } from './lease-break';
import { RegularFile, type OpenFile } from '../vfs/open-file';
import { EACCES, EAGAIN } from './errno';
import type { Call } from './syscall-context';

const F_RDLCK = 0;
const F_WRLCK = 1;
/** Not in credentials.ts (kept here to leave that shared file alone). */
const CAP_LEASE = 28;

/** The open descriptions of the regular file ino, across every process. */
function openersOf(c: Call, ino: number): Set<OpenFile> {
  const out = new Set<OpenFile>();
  for (const p of c.sys.processes.values()) {
    if (p.isZombie) continue;
    for (const f of p.fds.files()) if (f instanceof RegularFile && !f.pathOnly && f.attrs().ino === ino) out.add(f);
  }
  return out;
}

/** 0 when f may take a lease of this type now, else the negative errno. */
export function leaseRefused(c: Call, f: OpenFile, type: number): number {
  const a = f.attrs();
  if (c.p.creds.fsuid !== (a.uid ?? 0) && !c.p.creds.capable(CAP_LEASE)) return -EACCES;
  if (type !== F_RDLCK && type !== F_WRLCK) return 0;
  const others = [...openersOf(c, a.ino)].filter((o) => o !== f);
  if (type === F_RDLCK) {
    if (f.writable || others.some((o) => o.writable) || writeBreakPending(a.ino)) return -EAGAIN;
  } else if (others.length > 0) {
    return -EAGAIN;
  }
  return leasesOn(a.ino).some((x) => x.owner !== f && (type === F_WRLCK || x.type === F_WRLCK)) ? -EAGAIN : 0;
}
