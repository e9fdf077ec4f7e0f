// inotify_init1, inotify_add_watch, inotify_rm_watch (and x86_64's
// inotify_init), and /proc/sys/fs/inotify. The events come from the VFS
// calls (fs-events.ts); the instances and queues live in kernel/vfs/inotify.ts.

import { IN_ALL_EVENTS, IN_DONT_FOLLOW, IN_MASK_ADD, IN_MASK_CREATE, IN_ONLYDIR, InotifyFile, inotifyInstances, inotifyLimits, inotifyWatchTotal } from '../vfs/inotify';
import { O_CLOEXEC, O_NONBLOCK } from '../vfs/open-file';
import { newIno } from '../vfs/overlay-fs';
import { EACCES, EBADF, EINVAL, EMFILE, ENOENT, ENOSPC, ENOTDIR } from './errno';
import { MAY_READ, mayAccess } from './file-permission';
import { procDir, type ProcEntry } from './proc-fs';
import { resolveAt } from './sys-path';
import { Call, type Syscall } from './syscall-context';

const AT_FDCWD = -100;

export const inotify_init1: Syscall = (c) => {
  const flags = c.int(0);
  if ((flags & ~(O_CLOEXEC | O_NONBLOCK)) !== 0) return -EINVAL;
  const mine = [...inotifyInstances()].filter((i) => i.isOpen).length;
  if (mine >= inotifyLimits.maxUserInstances) return -EMFILE;
  return c.p.fds.add(new InotifyFile(flags & O_NONBLOCK, newIno()), (flags & O_CLOEXEC) !== 0);
};

export const inotify_init: Syscall = (c) => inotify_init1(new Call(c.sys, c.t, [0], c.name));

function instanceOf(c: Call): InotifyFile | number {
  const f = c.p.fds.get(c.int(0));
  if (!f) return -EBADF;
  return f instanceof InotifyFile ? f : -EINVAL;
}

export const inotify_add_watch: Syscall = (c) => {
  const mask = c.u32(2);
  if ((mask & IN_ALL_EVENTS) === 0) return -EINVAL;
  if ((mask & IN_MASK_ADD) !== 0 && (mask & IN_MASK_CREATE) !== 0) return -EINVAL;
  const inst = instanceOf(c);
  if (typeof inst === 'number') return inst;
  const r = resolveAt(c, AT_FDCWD, c.path(c.a[1]), (mask & IN_DONT_FOLLOW) === 0);
  if (typeof r === 'number') return r;
  if (!r.node) return -ENOENT;
  if ((mask & IN_ONLYDIR) !== 0 && r.node.kind !== 'dir') return -ENOTDIR;
  const a = c.sys.fs.attrs(r.node);
  if (!mayAccess(c.p.creds, a, MAY_READ)) return -EACCES;
  if (!inst.watchOn(a.ino) && inotifyWatchTotal() >= inotifyLimits.maxUserWatches) return -ENOSPC;
  return inst.addWatch(a.ino, mask);
};

export const inotify_rm_watch: Syscall = (c) => {
  const inst = instanceOf(c);
  if (typeof inst === 'number') return inst;
  return inst.removeWatch(c.int(1)) ? 0 : -EINVAL;
};

function limitFile(key: keyof typeof inotifyLimits): ProcEntry {
  return {
    kind: 'file',
    perm: 0o644,
    source: {
      sysctl: true,
      read: () => `${inotifyLimits[key]}\n`,
      write: (text) => {
        const m = /^\s*(\d+)\s*$/.exec(text);
        if (!m || Number(m[1]) > 2 ** 31 - 1) return -EINVAL;
        inotifyLimits[key] = Number(m[1]);
        return text.length;
      },
    },
  };
}

/** /proc/sys/fs/inotify. */
export const inotifySysDir = (): ProcEntry =>
  procDir({
    max_queued_events: () => limitFile('maxQueuedEvents'),
    max_user_instances: () => limitFile('maxUserInstances'),
    max_user_watches: () => limitFile('maxUserWatches'),
  });
