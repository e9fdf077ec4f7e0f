// --strace lines in qemu-user's -strace shape, so a user can diff the two:
// `tid name(args) = result`, strings in quotes, flags by name, pointers in
// hex, errors as `-1 errno=N (text)`. Calls without a decoder print their six
// arguments in decimal, as qemu does for the calls it does not know.

import { errnoText } from './errno-text';
import {
  AT_FLAGS, CLOCKS, CLONE_FLAGS, flagNames, FUTEX_FLAGS, FUTEX_OPS, IOCTLS, MADVISE, MMAP_FLAGS, OPEN_FLAGS, PROT_FLAGS, SIGNAL_SYMBOLS, SIGPROCMASK_HOW, WHENCE,
} from './strace-flags';

/** How one argument prints. */
type Arg =
  | 'd' // signed 32-bit decimal
  | 'l' // the full value in decimal
  | 'x' // the low 32 bits in hex (qemu's %#x)
  | 'p' // a pointer: NULL or 0x%016x
  | 'h' // an address in unpadded hex
  | 's' // a NUL-terminated string
  | 'dirfd' | 'oflags' | 'mode' | 'prot' | 'mflags' | 'whence' | 'sig' | 'how' | 'clock' | 'atflags' | 'ioctl' | 'futexop' | 'madv' | 'ts';

/** How the result prints: decimal, an address (0x%016x), or none (the call does not return). */
type Ret = 'd' | 'addr' | 'none';

interface Spec {
  readonly args: readonly Arg[];
  readonly ret?: Ret;
}

const SPECS: Record<string, Spec> = {
  read: { args: ['d', 'x', 'd'] },
  write: { args: ['d', 'x', 'd'] },
  close: { args: ['d'] },
  dup: { args: ['d'] },
  dup3: { args: ['d', 'd', 'oflags'] },
  openat: { args: ['dirfd', 's', 'oflags', 'mode'] },
  newfstatat: { args: ['dirfd', 's', 'p', 'atflags'] },
  fstat: { args: ['d', 'p'] },
  lseek: { args: ['d', 'l', 'whence'] },
  readlinkat: { args: ['dirfd', 's', 'p', 'd'] },
  mkdirat: { args: ['dirfd', 's', 'mode'] },
  unlinkat: { args: ['dirfd', 's', 'atflags'] },
  symlinkat: { args: ['s', 'dirfd', 's'] },
  renameat: { args: ['dirfd', 's', 'dirfd', 's'] },
  faccessat: { args: ['dirfd', 's', 'mode'] },
  chdir: { args: ['s'] },
  getcwd: { args: ['h', 'd'] },
  getrandom: { args: ['h', 'd', 'd'] },
  uname: { args: ['h'] },
  sigaltstack: { args: ['h', 'h'] },
  ioctl: { args: ['d', 'ioctl', 'p'] },
  brk: { args: ['p'], ret: 'addr' },
  mmap: { args: ['p', 'd', 'prot', 'mflags', 'd', 'd'], ret: 'addr' },
  munmap: { args: ['p', 'd'] },
  mprotect: { args: ['p', 'd', 'prot'] },
  madvise: { args: ['p', 'd', 'madv'] },
  futex: { args: ['p', 'futexop', 'd', 'p', 'p', 'd'] },
  rt_sigaction: { args: ['sig', 'p', 'p'] },
  rt_sigprocmask: { args: ['how', 'p', 'p'] },
  kill: { args: ['d', 'sig'] },
  tkill: { args: ['d', 'sig'] },
  tgkill: { args: ['d', 'd', 'sig'] },
  getpid: { args: [] },
  getppid: { args: [] },
  gettid: { args: [] },
  getuid: { args: [] },
  geteuid: { args: [] },
  getgid: { args: [] },
  getegid: { args: [] },
  sched_yield: { args: [] },
  exit: { args: ['d'], ret: 'none' },
  exit_group: { args: ['d'], ret: 'none' },
  clock_gettime: { args: ['clock', 'p'] },
  clock_nanosleep: { args: ['clock', 'd', 'ts', 'p'] },
  nanosleep: { args: ['ts', 'p'] },
};

export interface StraceMemory {
  readString(addr: number, max: number): string;
  read(addr: number, length: number): Uint8Array;
}

const TWO32 = 4294967296;

function low32(v: number): number {
  return ((v % TWO32) + TWO32) % TWO32;
}

function hex16(v: number): string {
  return `0x${(v < 0 ? v + 2 ** 64 : v).toString(16).padStart(16, '0')}`;
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function named(v: number, names: readonly string[] | Record<number, string>): string {
  const n = (names as Record<number, string>)[v];
  return n && n !== '' ? n : String(v);
}

function timespecText(mem: StraceMemory, addr: number): string {
  if (addr === 0) return 'NULL';
  const v = new DataView(mem.read(addr, 16).buffer);
  return `{tv_sec = ${v.getInt32(0, true) + v.getInt32(4, true) * TWO32},tv_nsec = ${v.getInt32(8, true) + v.getInt32(12, true) * TWO32}}`;
}

function arg(kind: Arg, v: number, mem: StraceMemory): string {
  const i32 = low32(v) | 0;
  switch (kind) {
    case 'd': return String(i32);
    case 'l': return String(v);
    case 'x': return i32 === 0 ? '0' : `0x${low32(v).toString(16)}`;
    case 'p': return v === 0 ? 'NULL' : hex16(v);
    case 'h': return v === 0 ? '(nil)' : `0x${(v < 0 ? v + 2 ** 64 : v).toString(16)}`;
    case 's': return v === 0 ? 'NULL' : quote(mem.readString(v, 4096));
    // Like qemu, AT_FDCWD only when the whole register says -100.
    case 'dirfd': return v === -100 ? 'AT_FDCWD' : String(i32);
    case 'oflags': return [['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'][i32 & 3], ...(i32 & ~3 ? [flagNames(i32 & ~3, OPEN_FLAGS)] : [])].join('|');
    case 'mode': return i32 === 0 ? '0' : `0${(i32 >>> 0).toString(8)}`;
    case 'prot': return i32 === 0 ? 'PROT_NONE' : flagNames(i32, PROT_FLAGS);
    case 'mflags': return flagNames(i32, MMAP_FLAGS);
    case 'whence': return named(i32, WHENCE);
    case 'sig': return named(i32, SIGNAL_SYMBOLS);
    case 'how': return named(i32, SIGPROCMASK_HOW);
    case 'clock': return named(i32, CLOCKS);
    case 'atflags': return flagNames(i32, AT_FLAGS);
    case 'ioctl': return IOCTLS[i32 >>> 0] ?? `0x${(i32 >>> 0).toString(16)}`;
    case 'madv': return named(i32, MADVISE);
    case 'futexop': return [flagNames(i32 & 0x180, FUTEX_FLAGS), named(i32 & 0x7f, FUTEX_OPS)].filter((s) => s !== '0').join('|');
    case 'ts': return timespecText(mem, v);
  }
}

function cloneArgs(a: readonly number[]): string {
  return `${flagNames(low32(a[0]), CLONE_FLAGS)},child_stack=${hex16(a[1])},parent_tidptr=${hex16(a[2])},tls=${hex16(a[3])},child_tidptr=${hex16(a[4])}`;
}

function execveArgs(a: readonly number[], mem: StraceMemory): string {
  const argv: string[] = [];
  for (let p = a[1]; p !== 0 && argv.length < 256; p += 8) {
    const v = new DataView(mem.read(p, 8).buffer);
    const s = v.getUint32(0, true) + v.getUint32(4, true) * TWO32;
    if (s === 0) break;
    argv.push(`${quote(mem.readString(s, 4096))},`);
  }
  return `${quote(mem.readString(a[0], 4096))},{${argv.join('')}NULL}`;
}

/** `name(args)`: formatted at syscall entry, before the call can change the memory it names. */
export function formatCall(name: string, args: readonly number[], mem: StraceMemory): string {
  let shown: string;
  try {
    const spec = SPECS[name];
    if (name === 'clone') shown = cloneArgs(args);
    else if (name === 'execve') shown = execveArgs(args, mem);
    else if (name === 'openat' && (low32(args[2]) & 0o20000100) === 0) shown = SPECS.openat.args.slice(0, 3).map((k, i) => arg(k, args[i], mem)).join(',');
    else if (spec) shown = spec.args.map((k, i) => arg(k, args[i], mem)).join(',');
    else shown = args.slice(0, 6).join(',');
  } catch {
    shown = args.slice(0, 6).join(',');
  }
  return `${name}(${shown})`;
}

/** ` = result` (empty for calls that do not return), after the call. */
export function formatResult(name: string, result: number, mem: StraceMemory, args: readonly number[]): string {
  const ret = SPECS[name]?.ret ?? 'd';
  if (ret === 'none') return '';
  if (result < 0 && result > -4096) return ` = -1 errno=${-result} (${errnoText(-result)})`;
  if (ret === 'addr') return ` = ${hex16(result)}`;
  if (name === 'clock_gettime' && result === 0) {
    try {
      return ` = 0 (${timespecText(mem, args[1])})`;
    } catch {
      return ' = 0';
    }
  }
  return ` = ${result}`;
}

const SI_CODES: Record<number, string> = { 0: 'SI_USER', 0x80: 'SI_KERNEL', [-1]: 'SI_QUEUE', [-6]: 'SI_TKILL' };

/** The line qemu prints when a signal is taken: `--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, ...} ---`. */
export function formatSignal(info: { signo: number; code: number; pid?: number; uid?: number; addr?: number; status?: number }): string {
  const name = SIGNAL_SYMBOLS[info.signo] || String(info.signo);
  const fault = [4, 7, 8, 11].includes(info.signo) && info.code > 0;
  const parts = [`si_signo=${name}`, `si_code=${fault || info.signo === 17 ? info.code : SI_CODES[info.code] ?? info.code}`];
  if (fault) parts.push(`si_addr=${info.addr ? hex16(info.addr) : 'NULL'}`);
  else {
    parts.push(`si_pid=${info.pid ?? 0}`, `si_uid=${info.uid ?? 0}`);
    if (info.signo === 17) parts.push(`si_status=${info.status ?? 0}`, 'si_utime=0', 'si_stime=0');
  }
  return `--- ${name} {${parts.join(', ')}} ---`;
}
