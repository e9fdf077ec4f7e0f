// syslog(2) and the console log levels of /proc/sys/kernel/printk. Salty's
// kernel writes no messages to its log, so the ring buffer stays empty:
// reading all of it gives 0 bytes and a blocking read waits (interruptibly)
// for a message that never comes. The levels are kept and read back as
// Linux keeps them (kernel/printk/printk.c's do_syslog).

import { BLOCKED } from '../sched/thread';
import { CAP_SYS_ADMIN } from './credentials';
import { EFAULT, EINVAL, EPERM } from './errno';
import type { LinuxSystem } from './linux-system';
import type { ProcEntry } from './proc-fs';
import type { Call, Syscall } from './syscall-context';

const CAP_SYSLOG = 34;
/** 1 << CONFIG_LOG_BUF_SHIFT (17). */
const LOG_BUF_LEN = 1 << 17;
/** LOGLEVEL_DEFAULT: no saved console level. */
const NO_SAVED = -1;

interface LogLevels {
  /** console_loglevel, default_message_loglevel, minimum_console_loglevel, default_console_loglevel. */
  printk: [number, number, number, number];
  saved: number;
  dmesgRestrict: number;
}

const levels = new WeakMap<LinuxSystem, LogLevels>();

function levelsOf(sys: LinuxSystem): LogLevels {
  let l = levels.get(sys);
  if (!l) {
    l = { printk: [7, 4, 1, 7], saved: NO_SAVED, dmesgRestrict: 0 };
    levels.set(sys, l);
  }
  return l;
}

const READ = 2;
const READ_ALL = 3;
const READ_CLEAR = 4;
const CLEAR = 5;
const CONSOLE_OFF = 6;
const CONSOLE_ON = 7;
const CONSOLE_LEVEL = 8;
const SIZE_UNREAD = 9;
const SIZE_BUFFER = 10;

/** Every action but reading all and the buffer's size needs CAP_SYSLOG (or CAP_SYS_ADMIN); with dmesg_restrict those too. */
function permitted(c: Call, type: number, l: LogLevels): boolean {
  const restricted = l.dmesgRestrict !== 0 || (type !== READ_ALL && type !== SIZE_BUFFER);
  return !restricted || c.p.creds.capable(CAP_SYSLOG) || c.p.creds.capable(CAP_SYS_ADMIN);
}

/** The read actions' checks: a buffer and a non-negative length, nothing to do for 0, a writable buffer. */
function checkRead(c: Call, buf: number, len: number): number | null {
  if (buf === 0 || len < 0) return -EINVAL;
  if (len === 0) return 0;
  return c.user.accessOk(buf, len) ? null : -EFAULT;
}

const syslog: Syscall = (c) => {
  const [type, buf, len] = [c.int(0), c.a[1], c.int(2)];
  const l = levelsOf(c.sys);
  if (!permitted(c, type, l)) return -EPERM;
  switch (type) {
    case 0:
    case 1:
    case CLEAR:
      return 0;
    case READ: {
      const r = checkRead(c, buf, len);
      return r ?? c.block(() => BLOCKED, { interruptible: true });
    }
    case READ_ALL:
    case READ_CLEAR:
      return checkRead(c, buf, len) ?? 0;
    case CONSOLE_OFF:
      if (l.saved === NO_SAVED) l.saved = l.printk[0];
      l.printk[0] = l.printk[2];
      return 0;
    case CONSOLE_ON:
      if (l.saved !== NO_SAVED) {
        l.printk[0] = l.saved;
        l.saved = NO_SAVED;
      }
      return 0;
    case CONSOLE_LEVEL:
      if (len < 1 || len > 8) return -EINVAL;
      l.printk[0] = Math.max(len, l.printk[2]);
      l.saved = NO_SAVED;
      return 0;
    case SIZE_UNREAD:
      return 0;
    case SIZE_BUFFER:
      return LOG_BUF_LEN;
    default:
      return -EINVAL;
  }
};

/** /proc/sys/kernel/printk (up to four integers, as proc_dointvec takes them) and dmesg_restrict (0 or 1). */
export function syslogProcFiles(sys: LinuxSystem): Record<string, () => ProcEntry> {
  const ints = (text: string): number[] | null => {
    const parts = text.trim().split(/\s+/).filter((s) => s !== '');
    return parts.length > 0 && parts.every((s) => /^[-+]?\d+$/.test(s)) ? parts.map(Number) : null;
  };
  return {
    printk: () => ({
      kind: 'file',
      perm: 0o644,
      source: {
        sysctl: true,
        read: () => `${levelsOf(sys).printk.join('\t')}\n`,
        write: (text) => {
          const v = ints(text);
          if (!v) return -EINVAL;
          v.slice(0, 4).forEach((x, i) => (levelsOf(sys).printk[i] = x));
          return text.length;
        },
      },
    }),
    dmesg_restrict: () => ({
      kind: 'file',
      perm: 0o644,
      source: {
        sysctl: true,
        read: () => `${levelsOf(sys).dmesgRestrict}\n`,
        write: (text) => {
          const v = ints(text);
          if (!v || v.length !== 1 || v[0] < 0 || v[0] > 1) return -EINVAL;
          levelsOf(sys).dmesgRestrict = v[0];
          return text.length;
        },
      },
    }),
  };
}

// Rows of syscall-table.ts name these handlers.
export { syslog };
