// unshare, setns, sethostname and setdomainname: moving the caller into new
// or other namespaces (namespaces.ts), and the UTS namespace's names, with
// Linux's argument checks and their order (kernel/fork.c, kernel/nsproxy.c,
// kernel/sys.c).

import { EBADF, EFAULT, EINVAL, EPERM } from './errno';
import { CAP_SYS_ADMIN } from './credentials';
import { RegularFile } from '../vfs/open-file';
import { ALL_NEW, CLONE_NEWNS, CLONE_NEWUSER, NS_FLAG, SUPPORTED_NEW, namespaceOfFile, nsOf, setNs, withNew, type NsSet } from './namespaces';
import type { Call, Syscall } from './syscall-context';

const CLONE_VM = 0x100;
const CLONE_FS = 0x200;
const CLONE_FILES = 0x400;
const CLONE_SIGHAND = 0x800;
const CLONE_THREAD = 0x10000;
const CLONE_SYSVSEM = 0x40000;
const UNSHARE_FLAGS = ALL_NEW | CLONE_THREAD | CLONE_FS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES | CLONE_SYSVSEM;
const CAP_SYS_CHROOT = 18;
const NEW_UTS_LEN = 64;

/** Linux's check_unshare_flags after unshare's implied flags. */
function checkUnshare(c: Call, flags: number): number {
  if (flags & ~UNSHARE_FLAGS) return -EINVAL;
  // A multithreaded process cannot leave its thread group, shared handlers or memory.
  if (flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM) && c.p.threads.size > 1) return -EINVAL;
  if (flags & CLONE_SIGHAND) for (const other of c.sys.processes.values()) if (other !== c.p && other.handlers === c.p.handlers && !other.isZombie) return -EINVAL;
  if (flags & CLONE_VM && c.p.mem.users > 1) return -EINVAL;
  return 0;
}

const unshare: Syscall = (c) => {
  let flags = c.u32(0);
  if (flags & CLONE_NEWUSER) flags |= CLONE_THREAD | CLONE_FS;
  if (flags & CLONE_VM) flags |= CLONE_SIGHAND;
  if (flags & CLONE_SIGHAND) flags |= CLONE_THREAD;
  if (flags & CLONE_NEWNS) flags |= CLONE_FS;
  const bad = checkUnshare(c, flags);
  if (bad < 0) return bad;
  const fresh = flags & ALL_NEW;
  // Namespaces salty does not implement: as a kernel built without them answers.
  if (fresh & ~SUPPORTED_NEW) return -EINVAL;
  if (fresh && !c.p.creds.capable(CAP_SYS_ADMIN)) return -EPERM;
  if (flags & CLONE_FILES && c.p.fds.users > 1) {
    c.p.fds.users--;
    c.p.fds = c.p.fds.copy();
  }
  // CLONE_FS: the working directory and umask are never shared between processes here (clone copies them), so there is nothing to copy.
  if (fresh) setNs(c.p, withNew(c.sys, nsOf(c.sys, c.p), fresh, false));
  return 0;
};

const setns: Syscall = (c) => {
  const [fd, nstype] = [c.int(0), c.int(1)];
  const f = c.p.fds.get(fd);
  if (!f) return -EBADF;
  const ns = f instanceof RegularFile ? namespaceOfFile(c.sys, f.inode) : undefined;
  // A pidfd (setns of several kinds at once) is not supported: EINVAL as for any other file.
  if (!ns) return -EINVAL;
  if (nstype !== 0 && nstype !== NS_FLAG[ns.kind]) return -EINVAL;
  const creds = c.p.creds;
  if (!creds.capable(CAP_SYS_ADMIN)) return -EPERM;
  if (ns.kind === 'mnt' && !creds.capable(CAP_SYS_CHROOT)) return -EPERM;
  const set = nsOf(c.sys, c.p);
  let next: NsSet;
  switch (ns.kind) {
    // setns to a pid namespace changes only where the caller's children go (only the initial one exists).
    case 'pid':
      next = set;
      break;
    case 'time': {
      if (c.p.threads.size > 1) return -EINVAL;
      // Unlike unshare, setns moves the caller itself into the time namespace (and its children after it).
      const time = ns as NsSet['time'];
      time.frozen = true;
      next = { ...set, time, timeForChildren: time };
      break;
    }
    default:
      next = { ...set, [ns.kind]: ns };
  }
  setNs(c.p, next);
  return 0;
};

/** sethostname and setdomainname: CAP_SYS_ADMIN, then the length (int, at most 64), then the bytes. */
function setUtsName(c: Call, key: 'hostname' | 'domainname'): number {
  if (!c.p.creds.capable(CAP_SYS_ADMIN)) return -EPERM;
  const len = c.int(1);
  if (len < 0 || len > NEW_UTS_LEN) return -EINVAL;
  let bytes: Uint8Array;
  try {
    bytes = c.user.read(c.a[0], len);
  } catch {
    return -EFAULT;
  }
  const end = bytes.indexOf(0);
  nsOf(c.sys, c.p).uts[key] = Buffer.from(end < 0 ? bytes : bytes.subarray(0, end)).toString('latin1');
  return 0;
}

const sethostname: Syscall = (c) => setUtsName(c, 'hostname');
const setdomainname: Syscall = (c) => setUtsName(c, 'domainname');

// Rows of syscall-table.ts name these handlers.
export { unshare, setns, sethostname, setdomainname };
