// --strace lines in qemu-user's -strace shape, so a user can diff the two:
// `tid name(args) = result`, strings in quotes, flags by name, pointers in
// hex, errors as `-1 errno=N (text)`. Each call's arguments print by the kinds
// strace-specs.ts gives them; a call without a spec (not implemented) prints
// six decimals, as qemu does for the calls it does not know.

import { errnoText } from './errno-text';
import {
  ACCESS_FLAGS, ACCESSAT_FLAGS, AT_FLAGS, CLOCKS, CLONE_FLAGS, FD_FLAGS, flagNames, FUTEX_FLAGS, FUTEX_OPS, IOCTLS, ITIMERS, MADVISE, MMAP_FLAGS, MREMAP_FLAGS, MSG_FLAGS, MSYNC_FLAGS,
  OPEN_FLAGS, PROT_FLAGS, RENAME_FLAGS, RLIMITS, SHUTDOWN_HOW, SIGNAL_SYMBOLS, SIGPROCMASK_HOW, SOCKET_FAMILIES, SOCKET_LEVELS, SOCKET_OPTIONS, SOCKET_TYPES, WAIT_FLAGS, WHENCE,
  X86_64_OPEN_FLAGS, type FlagTable,
} from './strace-flags';
import type { ArchName } from '../arch/arch';
import { SPECS, type Arg } from './strace-specs';

export interface StraceMemory {
  readString(addr: number, max: number): string;
  read(addr: number, length: number): Uint8Array;
}

const TWO32 = 4294967296;
const SI_CODES: Record<number, string> = { 0: 'SI_USER', 0x80: 'SI_KERNEL', [-1]: 'SI_QUEUE', [-6]: 'SI_TKILL' };

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

function i32At(mem: StraceMemory, addr: number, at: number): number {
  return new DataView(mem.read(addr + at, 4).buffer).getInt32(0, true);
}

function i64At(mem: StraceMemory, addr: number, at: number): number {
  const v = new DataView(mem.read(addr + at, 8).buffer);
  return v.getInt32(4, true) * TWO32 + v.getUint32(0, true);
}

function timevalText(mem: StraceMemory, addr: number): string {
  return `{tv_sec = ${i64At(mem, addr, 0)},tv_usec = ${i64At(mem, addr, 8)}}`;
}

/** struct itimerval as qemu prints it (each member followed by a comma). */
export function itimervalText(mem: StraceMemory, addr: number): string {
  if (addr === 0) return 'NULL';
  return `{it_interval=${timevalText(mem, addr)},it_value=${timevalText(mem, addr + 16)},}`;
}

const signalName = (sig: number): string => SIGNAL_SYMBOLS[sig] || String(sig);

function siginfoText(mem: StraceMemory, addr: number): string {
  if (addr === 0) return 'NULL';
  const signo = i32At(mem, addr, 0);
  const code = i32At(mem, addr, 8);
  const parts = [`si_signo=${signalName(signo)}`, `si_code=${SI_CODES[code] ?? code}`, `si_pid=${i32At(mem, addr, 16)}`, `si_uid=${i32At(mem, addr, 20)}`];
  if (code === -1) parts.push(`si_sigval=${i32At(mem, addr, 24)}`);
  return `{${parts.join(', ')}}`;
}

/** A sockaddr of len bytes: AF_UNIX and AF_INET decoded as qemu does, others by family. */
function sockaddrText(mem: StraceMemory, addr: number, len: number): string {
  if (addr === 0) return 'NULL';
  // qemu reads the whole structure of the family, whatever the length says.
  const b = mem.read(addr, Math.max(16, Math.min(len, 110)));
  const family = b[0] | (b[1] << 8);
  if (family === 1) {
    const path = b.subarray(2);
    const end = path.indexOf(0);
    return `{sun_family=AF_UNIX,sun_path=${quote(Buffer.from(path.subarray(0, end < 0 ? path.length : end)).toString('latin1'))}}`;
  }
  if (family === 2 && b.length >= 8) return `{sin_family=AF_INET,sin_port=htons(${(b[2] << 8) | b[3]}),sin_addr=inet_addr("${b[4]}.${b[5]}.${b[6]}.${b[7]}")}`;
  return `{sa_family=${family}}`;
}

function socketType(v: number): string {
  let s = SOCKET_TYPES[v & 0xf] ?? '';
  if (v & 0o4000) s += '|SOCK_NONBLOCK';
  if (v & 0o2000000) s += '|SOCK_CLOEXEC';
  return s;
}

const octal = (v: number): string => (v === 0 ? '0' : `0${(v >>> 0).toString(8)}`);

function argOf(kind: Arg, v: number, mem: StraceMemory, openFlags: FlagTable = OPEN_FLAGS): string {
  const i32 = low32(v) | 0;
  switch (kind) {
    case 'd': return String(i32);
    case 'l': return String(v);
    case 'x': return i32 === 0 ? '0' : `0x${low32(v).toString(16)}`;
    case 'p': return v === 0 ? 'NULL' : hex16(v);
    case 'h': return v === 0 ? '(nil)' : `0x${(v < 0 ? v + 2 ** 64 : v).toString(16)}`;
    case 'o': return octal(i32);
    case 's': return v === 0 ? 'NULL' : quote(mem.readString(v, 4096));
    // Like qemu, AT_FDCWD only when the whole register says -100.
    case 'dirfd': return v === -100 ? 'AT_FDCWD' : String(i32);
    case 'oflags': return [['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_ACCMODE'][i32 & 3], ...(i32 & ~3 ? [flagNames(i32 & ~3, openFlags)] : [])].join('|');
    case 'fdflags': return flagNames(i32, FD_FLAGS);
    case 'mode': return octal(i32);
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
    case 'access': return i32 === 0 ? 'F_OK' : flagNames(i32, ACCESS_FLAGS);
    case 'accessat': return flagNames(i32, ACCESSAT_FLAGS);
    case 'rlimit': return named(i32, RLIMITS);
    case 'wait': return flagNames(i32, WAIT_FLAGS);
    case 'mremap': return flagNames(i32, MREMAP_FLAGS);
    case 'msync': return flagNames(i32, MSYNC_FLAGS);
    case 'itimer': return named(i32, ITIMERS);
    case 'itimerval': return itimervalText(mem, v);
    case 'siginfo': return siginfoText(mem, v);
    case 'shut': return named(i32, SHUTDOWN_HOW);
    case 'msgflags': return flagNames(i32, MSG_FLAGS);
    case 'sollevel': return named(i32, SOCKET_LEVELS);
    case 'sockopt': return named(i32, SOCKET_OPTIONS);
    case 'family': return named(i32, SOCKET_FAMILIES);
    case 'socktype': return socketType(i32);
    case 'sockproto': return i32 === 0 ? 'IPPROTO_IP' : String(i32);
    case 'sockaddr': return hex16(v);
    case 'renameflags': return flagNames(i32, RENAME_FLAGS);
  }
}

const FCNTL_NAMES: Record<number, string> = {
  0: 'F_DUPFD', 1: 'F_GETFD', 2: 'F_SETFD', 3: 'F_GETFL', 4: 'F_SETFL', 5: 'F_GETLK', 6: 'F_SETLK', 7: 'F_SETLKW', 8: 'F_SETOWN', 9: 'F_GETOWN',
  10: 'F_SETSIG', 11: 'F_GETSIG', 1024: 'F_SETLEASE', 1025: 'F_GETLEASE', 1026: 'F_NOTIFY', 1030: 'F_DUPFD_CLOEXEC', 1031: 'F_SETPIPE_SZ', 1032: 'F_GETPIPE_SZ',
};

/** fcntl: the command by name, then its argument in the command's type (none for the getters). */
function fcntlArgs(a: readonly number[], openFlags: FlagTable): string {
  const cmd = low32(a[1]) | 0;
  const name = FCNTL_NAMES[cmd];
  const fd = String(low32(a[0]) | 0);
  if (name === undefined) return `${fd},${cmd},${a[2]}`;
  // The argument in full (qemu's TARGET_ABI_FMT_ld), except for the flags and lock pointers.
  if ([1, 3, 9, 11, 1025, 1032].includes(cmd)) return `${fd},${name}`;
  if (cmd === 4) return `${fd},${name},${argOf('oflags', a[2], NO_MEMORY, openFlags)}`;
  if (cmd >= 5 && cmd <= 7) return `${fd},${name},${argOf('p', a[2], NO_MEMORY)}`;
  return `${fd},${name},${a[2]}`;
}

const NO_MEMORY: StraceMemory = { readString: () => '', read: (_a, n) => new Uint8Array(n) };

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

/** Calls whose arguments print by a function of their own rather than a row of SPECS. */
const OWN_FORMAT = new Set(['clone', 'execve', 'fcntl', 'bind']);

/** Does --strace print this call's arguments in their types? */
export function decodes(name: string): boolean {
  return SPECS[name] !== undefined || OWN_FORMAT.has(name);
}

/** `name(args)`: formatted at syscall entry, before the call can change the memory it names; open flags in arch's values. */
export function formatCall(name: string, args: readonly number[], mem: StraceMemory, arch: ArchName = 'aarch64'): string {
  let shown: string;
  const openFlags = arch === 'x86_64' ? X86_64_OPEN_FLAGS : OPEN_FLAGS;
  const arg = (kind: Arg, v: number, m: StraceMemory): string => argOf(kind, v, m, openFlags);
  try {
    const spec = SPECS[name];
    if (name === 'clone') shown = cloneArgs(args);
    else if (name === 'execve') shown = execveArgs(args, mem);
    else if (name === 'fcntl') shown = fcntlArgs(args, openFlags);
    else if (name === 'bind') shown = `${low32(args[0]) | 0},${sockaddrText(mem, args[1], low32(args[2]))}, ${low32(args[2]) | 0}`;
    // qemu prints the mode of open/openat only with O_CREAT or O_TMPFILE.
    else if (name === 'openat' && (low32(args[2]) & 0o20000100) === 0) shown = SPECS.openat.args.slice(0, 3).map((k, i) => arg(k, args[i], mem)).join(',');
    else if (name === 'open' && (low32(args[1]) & 0o20000100) === 0) shown = SPECS.open.args.slice(0, 2).map((k, i) => arg(k, args[i], mem)).join(',');
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
  if (name === 'setitimer' && result === 0 && args[2] !== 0) {
    try {
      return ` = 0 (old_value = ${itimervalText(mem, args[2])})`;
    } catch {
      return ' = 0';
    }
  }
  if (name === 'ioctl' && result === 0 && low32(args[1]) === 0x541b) {
    try {
      return ` = 0 (${new DataView(mem.read(args[2], 4).buffer).getInt32(0, true)})`;
    } catch {
      return ' = 0';
    }
  }
  if (name === 'clock_gettime' && result === 0) {
    try {
      return ` = 0 (${timespecText(mem, args[1])})`;
    } catch {
      return ' = 0';
    }
  }
  return ` = ${result}`;
}


/** The line qemu prints when a signal is taken: `--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, ...} ---`. */
export function formatSignal(info: { signo: number; code: number; pid?: number; uid?: number; addr?: number; status?: number; value?: number }): string {
  const name = SIGNAL_SYMBOLS[info.signo] || String(info.signo);
  const fault = [4, 7, 8, 11].includes(info.signo) && info.code > 0;
  const parts = [`si_signo=${name}`, `si_code=${fault || info.signo === 17 ? info.code : SI_CODES[info.code] ?? info.code}`];
  if (fault) parts.push(`si_addr=${info.addr ? hex16(info.addr) : 'NULL'}`);
  else {
    parts.push(`si_pid=${info.pid ?? 0}`, `si_uid=${info.uid ?? 0}`);
    if (info.code === -1) parts.push(`si_sigval=${low32(info.value ?? 0) | 0}`);
    if (info.signo === 17) parts.push(`si_status=${info.status ?? 0}`, 'si_utime=0', 'si_stime=0');
  }
  return `--- ${name} {${parts.join(', ')}} ---`;
}
