// /proc/PID/timerslack_ns (and task/TID/timerslack_ns): a thread's timer
// slack as prctl(PR_GET_TIMERSLACK) gives it; writing sets it (0 restores
// the thread's default). Another process's needs CAP_SYS_NICE (EPERM).

import { EINVAL, EPERM } from './errno';
import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import type { LinuxThread } from './linux-thread';
import type { ProcEntry } from './proc-fs';
import { timerSlackOf } from './process-control';

const CAP_SYS_NICE = 23;

export function timerslackFile(sys: LinuxSystem, p: LinuxProcess, t: LinuxThread | undefined): ProcEntry {
  const thread = (): LinuxThread | undefined => t ?? [...p.threads].find((x) => x.tid === p.pid) ?? [...p.threads][0];
  const allowed = (): boolean => {
    const caller = sys.currentProcess;
    return caller === p || (caller?.creds.capable(CAP_SYS_NICE) ?? false);
  };
  return {
    kind: 'file',
    perm: 0o666,
    uid: p.creds.euid,
    gid: p.creds.egid,
    source: {
      read: () => {
        const x = thread();
        if (!allowed()) return '';
        return x ? `${timerSlackOf(x).current}\n` : '0\n';
      },
      write: (text) => {
        if (!allowed()) return -EPERM;
        const m = /^\s*\+?(\d+)\s*$/.exec(text);
        if (!m) return -EINVAL;
        const x = thread();
        if (!x) return -EINVAL;
        const s = timerSlackOf(x);
        const v = Number(m[1]);
        s.current = v === 0 ? s.default : v;
        return text.length;
      },
    },
  };
}
