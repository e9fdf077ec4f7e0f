// Extended attributes: the filesystem here stores none. Reads answer as a
// file without the attribute does (ENODATA; empty lists), so ls -l and cp
// see no ACL or security label; storing one is refused with EOPNOTSUPP, as
// a filesystem without xattr support refuses it.

import { EBADF, ENOENT } from './errno';
import type { Call, Syscall } from './syscall-context';
import { resolveAt } from './sys-path';

const AT_FDCWD = -100;
/** Not yet in errno.ts (kept here to leave that shared file alone). */
const ENODATA = 61;
const EOPNOTSUPP = 95;

/** 0 when the path names a file, else the negative errno of its lookup. */
function lookup(c: Call, follow: boolean): number {
  const r = resolveAt(c, AT_FDCWD, c.path(c.a[0]), follow);
  if (typeof r === 'number') return r;
  return r.node ? 0 : -ENOENT;
}

function open(c: Call): number {
  const f = c.p.fds.get(c.int(0));
  return f && !f.pathOnly ? 0 : -EBADF;
}

const answer =
  (check: (c: Call) => number, result: number): Syscall =>
  (c) => {
    const e = check(c);
    return e < 0 ? e : result;
  };

const byPath = (c: Call): number => lookup(c, true);
const byLink = (c: Call): number => lookup(c, false);

export const getxattr = answer(byPath, -ENODATA);
export const lgetxattr = answer(byLink, -ENODATA);
export const fgetxattr = answer(open, -ENODATA);
export const listxattr = answer(byPath, 0);
export const llistxattr = answer(byLink, 0);
export const flistxattr = answer(open, 0);
export const setxattr = answer(byPath, -EOPNOTSUPP);
export const lsetxattr = answer(byLink, -EOPNOTSUPP);
export const fsetxattr = answer(open, -EOPNOTSUPP);
export const removexattr = answer(byPath, -ENODATA);
export const lremovexattr = answer(byLink, -ENODATA);
export const fremovexattr = answer(open, -ENODATA);
