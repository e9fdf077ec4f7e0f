// Linux's ptrace_may_access with the REALCREDS modes, for the calls that
// look into another process (kcmp, pidfd_getfd): the same thread group, or
// the caller's real uid and gid equal to all of the target's ids and the
// target dumpable, or CAP_SYS_PTRACE.

import type { LinuxProcess } from './linux-process';
import { controlOf } from './process-control';

const CAP_SYS_PTRACE = 19;

export function ptraceMayAccess(caller: LinuxProcess, target: LinuxProcess): boolean {
  if (target === caller) return true;
  const me = caller.creds;
  if (me.capable(CAP_SYS_PTRACE)) return true;
  const t = target.creds;
  const ids = me.uid === t.uid && me.uid === t.euid && me.uid === t.suid && me.gid === t.gid && me.gid === t.egid && me.gid === t.sgid;
  return ids && controlOf(target).dumpable === 1;
}
