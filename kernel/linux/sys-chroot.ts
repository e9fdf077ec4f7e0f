// chroot: a process's root directory, where its absolute paths start and
// ".." stops (resolveAt passes it to the walk); fork copies it and
// /proc/PID/root shows it. getcwd names a cwd left outside the root
// "(unreachable)...", as Linux does since glibc's CVE-2018-1000001 fix.

import { EACCES, ENOENT, ENOTDIR, EPERM } from './errno';
import { resolveAt } from './sys-path';
import type { Call, Syscall } from './syscall-context';

const AT_FDCWD = -100;
const CAP_SYS_CHROOT = 18;

/** A whole-file-system path as a process with this root sees it. */
export function pathInRoot(root: string, path: string): string {
  if (root === '/') return path;
  if (path === root) return '/';
  if (path.startsWith(root + '/')) return path.slice(root.length);
  return '(unreachable)' + path;
}

/** Linux's order: the lookup, search permission on the directory, then CAP_SYS_CHROOT. */
export const chroot: Syscall = (c) => {
  const r = resolveAt(c, AT_FDCWD, c.path(c.a[0]), true);
  if (typeof r === 'number') return r;
  if (!r.node) return -ENOENT;
  if (r.node.kind !== 'dir') return -ENOTDIR;
  if (!c.sys.fs.canSearch(r.node)) return -EACCES;
  if (!c.p.creds.capable(CAP_SYS_CHROOT)) return -EPERM;
  c.p.root = r.path;
  return 0;
};
