// /proc/PID/timens_offsets: the clock offsets of the time namespace the
// process's next children go to (unshare(CLONE_NEWTIME) made it). Writable
// with CAP_SYS_TIME until a process has entered the namespace (EACCES
// after), one "<clock> <sec> <nsec>" per line, the clock by number or as
// "monotonic" or "boottime" (fs/proc/base.c, kernel/time/namespace.c).

import { EACCES, EINVAL, EPERM } from './errno';
import type { LinuxProcess } from './linux-process';
import type { LinuxSystem } from './linux-system';
import { nsOf } from './namespaces';
import type { ProcEntry } from './proc-fs';
import { UPTIME_AT_START } from './clocks';

const CLOCK_MONOTONIC = 1;
const CLOCK_BOOTTIME = 7;
const CAP_SYS_TIME = 25;
const ERANGE = 34;
/** KTIME_SEC_MAX: the seconds a ktime_t holds. */
const KTIME_SEC_MAX = 9223372036;

const row = (name: string, ns: number): string => {
  const sec = Math.floor(ns / 1e9);
  return `${name.padEnd(10)} ${String(sec).padStart(10)} ${String(ns - sec * 1e9).padStart(9)}\n`;
};

interface Offset {
  clock: number;
  sec: number;
  nsec: number;
}

function parse(text: string): Offset[] | null {
  const out: Offset[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^\s*(\S+)\s+([-+]?\d+)\s+(\d+)\s*$/.exec(line);
    if (!m) return null;
    const clock = m[1] === 'monotonic' ? CLOCK_MONOTONIC : m[1] === 'boottime' ? CLOCK_BOOTTIME : /^[-+]?\d+$/.test(m[1]) ? Number(m[1]) : NaN;
    if (Number.isNaN(clock)) return null;
    out.push({ clock, sec: Number(m[2]), nsec: Number(m[3]) });
  }
  return out.length > 0 && out.length <= 2 ? out : null;
}

export function timensOffsetsFile(sys: LinuxSystem, p: LinuxProcess): ProcEntry {
  const ns = () => nsOf(sys, p).timeForChildren;
  return {
    kind: 'file',
    perm: 0o644,
    uid: p.creds.euid,
    gid: p.creds.egid,
    source: {
      read: () => row('monotonic', ns().monotonicNs) + row('boottime', ns().boottimeNs),
      write: (text) => {
        const offsets = parse(text);
        if (!offsets) return -EINVAL;
        if (!sys.currentProcess?.creds.capable(CAP_SYS_TIME)) return -EPERM;
        const bootSec = (sys.now() + UPTIME_AT_START) / 1000;
        for (const o of offsets) {
          if (o.clock !== CLOCK_MONOTONIC && o.clock !== CLOCK_BOOTTIME) return -EINVAL;
          if (o.nsec >= 1e9) return -EINVAL;
          if (Math.abs(o.sec) > KTIME_SEC_MAX) return -ERANGE;
          // The clock as the namespace would read it must stay within [0, KTIME_SEC_MAX / 2].
          const reads = bootSec + o.sec + o.nsec / 1e9;
          if (reads < 0 || reads > KTIME_SEC_MAX / 2) return -ERANGE;
        }
        const target = ns();
        if (target.frozen) return -EACCES;
        for (const o of offsets) {
          const value = o.sec * 1e9 + o.nsec;
          if (o.clock === CLOCK_MONOTONIC) target.monotonicNs = value;
          else target.boottimeNs = value;
        }
        return text.length;
      },
    },
  };
}
