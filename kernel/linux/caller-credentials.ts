// The credentials a file operation runs with: the calling process's, or
// for the length of an access() check its real ids. The filesystem asks
// through two hooks: may a walk pass through a directory, and who owns a
// file being created.

import { Credentials } from './credentials';
import { MAY_EXEC, mayAccess } from './file-permission';
import type { LinuxSystem } from './linux-system';

const overrides = new WeakMap<LinuxSystem, Credentials>();

/** The credentials of the current syscall (undefined outside any: the kernel itself, allowed everything). */
export function callerCredentials(sys: LinuxSystem): Credentials | undefined {
  return overrides.get(sys) ?? sys.currentProcess?.creds;
}

/** Credentials that pass every check: the kernel's own lookups (of an open file's path). */
const KERNEL = Credentials.of(0, 0, []);

/** Runs work with no permission checks (finding the file an open descriptor names is not a path walk of the caller's). */
export function asKernel<T>(sys: LinuxSystem, work: () => T): T {
  return withCredentials(sys, KERNEL, work);
}

/** Runs work with cred as the caller's credentials (access() checks with the real ids). */
export function withCredentials<T>(sys: LinuxSystem, cred: Credentials, work: () => T): T {
  const saved = overrides.get(sys);
  overrides.set(sys, cred);
  try {
    return work();
  } finally {
    if (saved) overrides.set(sys, saved);
    else overrides.delete(sys);
  }
}

export function installCredentialHooks(sys: LinuxSystem): void {
  const fs = sys.fs;
  // An in-memory root is the guest's own, like a tmpfs its user mounted.
  const root = fs.lstat('/');
  if (sys.options.root === null && root?.layer === 'mem' && root.kind === 'dir') {
    const host = Credentials.ofHost();
    [root.uid, root.gid] = [host.uid, host.gid];
  }
  fs.canSearch = (dir) => {
    const cred = callerCredentials(sys);
    return cred === undefined || mayAccess(cred, fs.attrs(dir), MAY_EXEC);
  };
  fs.creator = () => {
    const cred = callerCredentials(sys);
    return cred ? { uid: cred.fsuid, gid: cred.fsgid } : { uid: 0, gid: 0 };
  };
}
