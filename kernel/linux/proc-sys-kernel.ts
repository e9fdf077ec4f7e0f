// More of /proc/sys/kernel: the console log levels (printk, dmesg_restrict,
// kept by sys-syslog.ts) and the core-dump settings. Salty writes no core
// files; core_pattern and core_uses_pid are kept so that programs read back
// what they set, and a death by a core-dumping signal is still reported as
// dumped (WCOREDUMP, CLD_DUMPED) when RLIMIT_CORE allows, as Linux reports it.

import { CAP_SYS_ADMIN } from './credentials';
import { EINVAL, EPERM } from './errno';
import { pidMax } from './proc-sys';

const CAP_CHECKPOINT_RESTORE = 40;
import type { LinuxSystem } from './linux-system';
import type { ProcEntry } from './proc-fs';
import { syslogProcFiles } from './sys-syslog';

interface CoreSettings {
  pattern: string;
  usesPid: number;
}

const settings = new WeakMap<LinuxSystem, CoreSettings>();

function coreOf(sys: LinuxSystem): CoreSettings {
  let s = settings.get(sys);
  if (!s) {
    s = { pattern: 'core', usesPid: 0 };
    settings.set(sys, s);
  }
  return s;
}

/** CORENAME_MAX_SIZE. */
const CORENAME_MAX = 128;

function sysctlFile(read: () => string, write: (text: string) => number): ProcEntry {
  return { kind: 'file', perm: 0o644, source: { sysctl: true, read, write } };
}

export function procSysKernelFiles(sys: LinuxSystem): Record<string, () => ProcEntry> {
  return {
    ...syslogProcFiles(sys),
    core_pattern: () =>
      sysctlFile(
        () => `${coreOf(sys).pattern}\n`,
        (text) => {
          const line = text.split('\n')[0];
          if (line.length >= CORENAME_MAX) return -EINVAL;
          coreOf(sys).pattern = line;
          return text.length;
        },
      ),
    // Writable by any process with CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE (mode 0666, checked at write).
    ns_last_pid: () => ({
      kind: 'file',
      perm: 0o666,
      source: {
        sysctl: true,
        read: () => `${sys.lastPid}\n`,
        write: (text) => {
          const caller = sys.currentProcess?.creds;
          if (!caller || !(caller.capable(CAP_SYS_ADMIN) || caller.capable(CAP_CHECKPOINT_RESTORE))) return -EPERM;
          const m = /^\s*([-+]?\d+)\s*$/.exec(text);
          const v = m ? Number(m[1]) : -1;
          if (v < 0 || v >= pidMax(sys)) return -EINVAL;
          sys.lastPid = v;
          return text.length;
        },
      },
    }),
    core_uses_pid: () =>
      sysctlFile(
        () => `${coreOf(sys).usesPid}\n`,
        (text) => {
          const m = /^\s*([-+]?\d+)\s*$/.exec(text);
          if (!m) return -EINVAL;
          coreOf(sys).usesPid = Number(m[1]);
          return text.length;
        },
      ),
  };
}
