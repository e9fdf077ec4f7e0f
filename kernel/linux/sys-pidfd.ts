// pidfd_open, pidfd_getfd and pidfd_send_signal (kernel/pid.c, kernel/signal.c):
// descriptors bound to a process, the descriptor-taking counterpart of kill,
// and copying another process's descriptor under ptrace's access rules.

import { O_NONBLOCK } from '../vfs/open-file';
import { EAGAIN, EBADF, EINVAL, EPERM, ESRCH } from './errno';
import { INIT_CREDS, isInit } from './init-process';
import { PidFd, pidTargetOf, type PidTarget } from './pidfd';
import { ptraceMayAccess } from './ptrace-access';
import { sendToProcess } from './signal-delivery';
import { NSIG, SI_TKILL, SI_USER, type SigInfo } from './signal-state';
import { queueFull, queuedInfo } from './sys-signal';
import type { Call, Syscall } from './syscall-context';

const CAP_SYS_PTRACE = 19;

const pidfdOpen: Syscall = (c) => {
  const [pid, flags] = [c.int(0), c.u32(1)];
  if (flags & ~O_NONBLOCK || pid <= 0) return -EINVAL;
  let target: PidTarget;
  const p = c.sys.processes.get(pid);
  if (p) target = p;
  else if (isInit(c.sys, pid)) target = 'init';
  // A thread's id is a pid but not a thread group's.
  else return c.sys.threads.has(pid) ? -EINVAL : -ESRCH;
  return c.p.fds.add(new PidFd(target, flags & O_NONBLOCK), true);
};

const pidfdGetfd: Syscall = (c) => {
  const [pidfd, targetFd, flags] = [c.int(0), c.int(1), c.u32(2)];
  if (flags !== 0) return -EINVAL;
  const f = c.p.fds.get(pidfd);
  if (!f) return -EBADF;
  if (!(f instanceof PidFd)) return -EBADF;
  const target = f.target;
  if (target === 'init') return c.p.creds.capable(CAP_SYS_PTRACE) ? -EBADF : -EPERM;
  // Reaped: no task (a zombie is still there, without descriptors).
  if (c.sys.processes.get(target.pid) !== target) return -ESRCH;
  if (!ptraceMayAccess(c.p, target)) return -EPERM;
  const file = target.isZombie ? undefined : target.fds.get(targetFd);
  if (!file) return -EBADF;
  return c.p.fds.add(file.retain(), true);
};

const pidfdSendSignal: Syscall = (c) => {
  const [pidfd, sig, infoAddr, flags] = [c.int(0), c.int(1), c.a[2], c.u32(3)];
  if (flags !== 0) return -EINVAL;
  const f = c.p.fds.get(pidfd);
  if (!f) return -EBADF;
  const target = pidTargetOf(f);
  if (!target) return -EBADF;
  if (sig < 0 || sig > NSIG) return -EINVAL;
  let info: SigInfo = { signo: sig, code: SI_USER, pid: c.p.pid, uid: c.p.creds.uid };
  if (infoAddr !== 0) {
    info = queuedInfo(c, sig, infoAddr);
    if (new DataView(c.user.read(infoAddr, 4).buffer).getInt32(0, true) !== sig) return -EINVAL;
    // Only a process signalling itself may claim what the kernel or kill would send.
    if (target !== c.p && (info.code >= 0 || info.code === SI_TKILL)) return -EPERM;
  }
  if (target === 'init') return c.p.creds.maySignal(INIT_CREDS) ? 0 : -EPERM;
  if (c.sys.processes.get(target.pid) !== target) return -ESRCH;
  if (!c.p.creds.maySignal(target.creds) && !(sig === 18 && target.sid === c.p.sid)) return -EPERM;
  if (sig === 0 || target.isZombie) return 0;
  if (infoAddr !== 0 && queueFull(c, target, sig)) return -EAGAIN;
  sendToProcess(c.sys, target, info);
  return 0;
};

// Rows of syscall-table.ts name these handlers.
export { pidfdOpen, pidfdGetfd, pidfdSendSignal };
