// The Linux syscalls implemented so far, by number. Each takes the process and
// the six argument registers (as unsigned 64-bit numbers) and returns the
// result, a negative errno on failure. Numbers missing here answer ENOSYS.

import { randomFillSync } from 'node:crypto';
import { PAGE_SIZE } from '../arch/arch';
import type { Perms } from '../mm/region';
import { EBADF, EINVAL, ENOENT, ENOMEM, ENOTTY } from './errno';
import type { LinuxProcess } from './linux-process';

export { EFAULT, ENOSYS } from './errno';

type Syscall = (p: LinuxProcess, a: readonly number[]) => number;

const TWO32 = 4294967296;
const HEAP_LIMIT = 1 << 30;
const AT_FDCWD = -100;
const AT_EMPTY_PATH = 0x1000;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const TCGETS = 0x5401;
const TIOCGWINSZ = 0x5413;

const int32 = (v: number): number => v % TWO32 | 0;
const pageUp = (a: number): number => Math.ceil(a / PAGE_SIZE) * PAGE_SIZE;

function protToPerms(prot: number): Perms {
  return { read: (prot & 1) !== 0, write: (prot & 2) !== 0, exec: (prot & 4) !== 0 };
}

function le64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value % TWO32, true);
  view.setUint32(offset + 4, Math.floor(value / TWO32), true);
}

const write: Syscall = (p, [fd, buf, count]) => {
  const data = p.user.read(buf, count);
  const f = int32(fd);
  if (f === 1) p.io.writeOut(data);
  else if (f === 2) p.io.writeErr(data);
  else return -EBADF;
  return count;
};

const writev: Syscall = (p, [fd, iov, iovcnt]) => {
  let total = 0;
  for (let i = 0; i < iovcnt; i++) {
    const base = p.user.read64(iov + 16 * i);
    const len = p.user.read64(iov + 16 * i + 8);
    const r = write(p, [fd, base, len, 0, 0, 0]);
    if (r < 0) return r;
    total += r;
  }
  return total;
};

const read: Syscall = (p, [fd, buf, count]) => {
  if (int32(fd) !== 0) return -EBADF;
  const data = p.io.readIn(Math.min(count, 65536));
  p.user.write(buf, data);
  return data.length;
};

const exitGroup: Syscall = (p, [status]) => {
  p.exitWith(status & 0xff);
  return 0;
};

const brk: Syscall = (p, [addr]) => {
  if (addr === 0 || addr < p.brkStart || addr > p.brkStart + HEAP_LIMIT) return p.brk;
  const oldTop = pageUp(p.brk);
  const newTop = pageUp(addr);
  const heap = (p.heap ??= p.kernel.mm.createMemoryObject(HEAP_LIMIT / PAGE_SIZE));
  try {
    if (newTop > oldTop) {
      p.vs.map(oldTop, newTop - oldTop, heap, (oldTop - p.brkStart) / PAGE_SIZE, { read: true, write: true, exec: false }, 'heap');
    } else if (newTop < oldTop) {
      p.vs.unmap(newTop, oldTop - newTop);
      heap.decommit((newTop - p.brkStart) / PAGE_SIZE, (oldTop - newTop) / PAGE_SIZE);
    }
  } catch {
    return p.brk;
  }
  p.brk = addr;
  return addr;
};

const mmap: Syscall = (p, [addr, length, prot, flags, fd]) => {
  if (length === 0) return -EINVAL;
  if ((flags & MAP_ANONYMOUS) === 0) return int32(fd) < 0 ? -EBADF : -EBADF; // no file descriptors to map yet
  const len = pageUp(length);
  let start: number;
  if (flags & MAP_FIXED) {
    if (addr % PAGE_SIZE !== 0) return -EINVAL;
    start = addr;
    p.vs.unmap(start, len);
  } else {
    start = p.mmapNext - len;
    p.mmapNext = start;
  }
  try {
    const mo = p.kernel.mm.createMemoryObject(len / PAGE_SIZE);
    p.vs.map(start, len, mo, 0, protToPerms(prot), 'mmap');
  } catch {
    return -ENOMEM;
  }
  return start;
};

const munmap: Syscall = (p, [addr, length]) => {
  if (addr % PAGE_SIZE !== 0 || length === 0) return -EINVAL;
  p.vs.unmap(addr, pageUp(length));
  return 0;
};

const mprotect: Syscall = (p, [addr, length, prot]) => {
  if (addr % PAGE_SIZE !== 0) return -EINVAL;
  if (length === 0) return 0;
  try {
    p.vs.protect(addr, pageUp(length), protToPerms(prot));
  } catch {
    return -ENOMEM;
  }
  return 0;
};

const uname: Syscall = (p, [buf]) => {
  const fields = ['Linux', 'salty', '6.1.0-salty', '#1 SMP PREEMPT salty', 'aarch64', '(none)'];
  const out = new Uint8Array(65 * 6);
  fields.forEach((s, i) => out.set(Buffer.from(s), 65 * i));
  p.user.write(buf, out);
  return 0;
};

const clockGettime: Syscall = (p, [clock, tp]) => {
  const ns = clock === 0 ? BigInt(Date.now()) * 1_000_000n : process.hrtime.bigint();
  const out = new Uint8Array(16);
  const v = new DataView(out.buffer);
  le64(v, 0, Number(ns / 1_000_000_000n));
  le64(v, 8, Number(ns % 1_000_000_000n));
  p.user.write(tp, out);
  return 0;
};

const getrandom: Syscall = (p, [buf, count]) => {
  const n = Math.min(count, 1 << 20);
  p.user.write(buf, randomFillSync(new Uint8Array(n)));
  return n;
};

const prlimit64: Syscall = (p, [pid, resource, newLimit, oldLimit]) => {
  void pid;
  void newLimit;
  if (oldLimit !== 0) {
    const out = new Uint8Array(16);
    const v = new DataView(out.buffer);
    const infinity = resource !== 3; // RLIMIT_STACK is 8 MiB, the rest unlimited
    v.setUint32(0, infinity ? 0xffffffff : 8 << 20, true);
    v.setUint32(4, infinity ? 0xffffffff : 0, true);
    v.setUint32(8, 0xffffffff, true);
    v.setUint32(12, 0xffffffff, true);
    p.user.write(oldLimit, out);
  }
  return 0;
};

const ioctl: Syscall = (p, [fd, request, arg]) => {
  const f = int32(fd);
  if (f < 0 || f > 2) return -EBADF;
  if (!p.io.isTty(f)) return -ENOTTY;
  if (request === TIOCGWINSZ) {
    const ws = new Uint8Array(8);
    new DataView(ws.buffer).setUint16(0, 24, true);
    new DataView(ws.buffer).setUint16(2, 80, true);
    p.user.write(arg, ws);
    return 0;
  }
  if (request === TCGETS) {
    p.user.write(arg, new Uint8Array(60));
    return 0;
  }
  return -EINVAL;
};

/** struct stat (arm64 generic layout) for the three standard descriptors. */
function statStdio(p: LinuxProcess, fd: number, buf: number): number {
  if (fd < 0 || fd > 2) return -EBADF;
  const out = new Uint8Array(128);
  const v = new DataView(out.buffer);
  v.setUint32(16, p.io.isTty(fd) ? 0o20620 : 0o10600, true); // S_IFCHR or S_IFIFO
  v.setUint32(20, 1, true);
  v.setInt32(56, 4096, true);
  p.user.write(buf, out);
  return 0;
}

const fstat: Syscall = (p, [fd, buf]) => statStdio(p, int32(fd), buf);

const newfstatat: Syscall = (p, [dirfd, path, buf, flags]) => {
  if ((flags & AT_EMPTY_PATH) !== 0 && p.user.readString(path) === '') return statStdio(p, int32(dirfd), buf);
  void AT_FDCWD;
  return -ENOENT;
};

const readlinkat: Syscall = (p, [dirfd, path, buf, size]) => {
  void dirfd;
  if (p.user.readString(path) !== '/proc/self/exe') return -ENOENT;
  const target = Buffer.from(p.options.execfn);
  const n = Math.min(size, target.length);
  p.user.write(buf, target.subarray(0, n));
  return n;
};

const zero: Syscall = () => 0;
const pid: Syscall = (p) => p.pid;

export const SYSCALLS: ReadonlyMap<number, Syscall> = new Map<number, Syscall>([
  [63, read],
  [64, write],
  [66, writev],
  [29, ioctl],
  [78, readlinkat],
  [79, newfstatat],
  [80, fstat],
  [93, exitGroup],
  [94, exitGroup],
  [96, pid], // set_tid_address: returns the caller's tid
  [99, zero], // set_robust_list: nothing to clean up until threads exist
  [113, clockGettime],
  [160, uname],
  [172, pid],
  [173, () => 1],
  [174, zero],
  [175, zero],
  [176, zero],
  [177, zero],
  [178, pid],
  [214, brk],
  [215, munmap],
  [222, mmap],
  [226, mprotect],
  [261, prlimit64],
  [278, getrandom],
]);
