// Comparing a salty --strace run with qemu-aarch64 -strace: lines are taken
// from the first write to stdout on, pids and addresses masked. A call qemu
// decodes must print the same line; a call qemu 7.2 prints as six raw
// decimals (or "Unknown syscall N") must have the same name and result, and
// salty's line must show the call's own arguments (not six decimals).

export interface Mismatch {
  readonly index: number;
  readonly qemu: string;
  readonly salty: string;
}

/** Calls qemu-aarch64 answers itself where Linux differs (set_robust_list: ENOSYS, Linux 0): compared by name only. */
const QEMU_NOT_LINUX = new Set(['set_robust_list']);
const RAW = /^[a-z0-9_]+\(-?\d+,-?\d+,-?\d+,-?\d+,-?\d+,-?\d+\)/;
const UNKNOWN = /^Unknown syscall (\d+)/;

/** The trace's syscall lines from the first write to stdout on, without the tid, pids as PID. */
export function traceLines(trace: string, fromFirstWrite = true): string[] {
  const lines = trace.split('\n').filter((l) => /^\d+ /.test(l));
  const pid = lines[0]?.split(' ')[0] ?? '';
  const body = lines.map((l) => l.slice(l.indexOf(' ') + 1).replace(new RegExp(`\\b${pid}\\b`, 'g'), 'PID'));
  const from = fromFirstWrite ? Math.max(0, body.findIndex((l) => l.startsWith('write(1,'))) : 0;
  return body.slice(from);
}

/** Addresses, what time alone changes (a timer's remaining value, clock readings) and the program path's length masked. */
export function masked(line: string): string {
  return line
    .replace(/0x[0-9a-f]+/g, '0x?')
    .replace(/\(old_value = .*\)$/, (m) => m.replace(/\d+/g, 'N'))
    .replace(/= 0 \(\{tv_sec = \d+,tv_nsec = \d+\}\)$/, '= 0 ({TIME})')
    // The length of the program's own path, which depends on where the checkout is.
    .replace(/^(readlinkat\(AT_FDCWD,"\/proc\/self\/exe",[^)]*\)) = \d+$/, '$1 = LEN');
}

const nameOf = (l: string): string => l.slice(0, l.indexOf('('));
/** The result, an address (qemu's raw decimal or salty's hex) as ADDR. */
const resultOf = (l: string): string => masked(l.slice(l.lastIndexOf(')') + 1)).replace(/^ = (\d{7,}|0x\?)$/, ' = ADDR');

export function compareTraces(qemu: readonly string[], salty: readonly string[]): Mismatch[] {
  const out: Mismatch[] = [];
  const n = Math.max(qemu.length, salty.length);
  for (let i = 0; i < n; i++) {
    const q = qemu[i] ?? '';
    const s = salty[i] ?? '';
    if (UNKNOWN.test(q) || RAW.test(q)) {
      const sameCall = UNKNOWN.test(q) || nameOf(q) === nameOf(s);
      const notImplemented = /= -1 errno=38 /.test(s);
      const sameResult = QEMU_NOT_LINUX.has(nameOf(q)) || (UNKNOWN.test(q) ? notImplemented : resultOf(q) === resultOf(s));
      // Six decimals are right only for a call salty does not implement either.
      if (!sameCall || !sameResult || (RAW.test(s) && !notImplemented)) out.push({ index: i, qemu: q, salty: s });
    } else if (masked(q) !== masked(s)) {
      out.push({ index: i, qemu: q, salty: s });
    }
  }
  return out;
}
