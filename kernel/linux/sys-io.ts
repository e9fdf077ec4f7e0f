// Reading and writing descriptors: read, write, readv, writev, pread64,
// pwrite64, lseek, with blocking on pipes and SIGPIPE.

import { BLOCKED } from '../sched/thread';
import { O_NONBLOCK, type OpenFile } from '../vfs/open-file';
import { EAGAIN, EBADF, EINVAL, ENXIO, EPIPE, ESPIPE } from './errno';
import { sendToThread } from './signal-delivery';
import { SyscallError, type Call, type Syscall, type SyscallResult } from './syscall-context';

const MAX_IO = 1 << 24;
const SEEK_DATA = 3;
const SEEK_HOLE = 4;

/** The file argument i names; an O_PATH descriptor counts as none (EBADF), as for Linux's fdget. */
export function fileOf(c: Call, i: number): OpenFile | undefined {
  const f = c.p.fds.get(c.int(i));
  return f?.pathOnly ? undefined : f;
}

/** The file argument i names, O_PATH ones included (close, dup, fstat, fcntl's descriptor commands). */
export function rawFileOf(c: Call, i: number): OpenFile | undefined {
  return c.p.fds.get(c.int(i));
}

/** Reads into user memory at buf, blocking while a pipe is empty. */
function readInto(c: Call, f: OpenFile, buf: number, count: number, pos: number | null): SyscallResult {
  if (!f.readable) return -EBADF;
  const attempt = (): number | typeof BLOCKED => {
    const r = f.read(Math.min(count, MAX_IO), pos);
    if (typeof r === 'number') return r === -EAGAIN && (f.statusFlags & O_NONBLOCK) === 0 ? BLOCKED : r;
    c.user.write(buf, r);
    return r.length;
  };
  return c.block(attempt, { deadline: f.readyAt() });
}

function writeFrom(c: Call, f: OpenFile, data: Uint8Array, pos: number | null): SyscallResult {
  if (!f.writable) return -EBADF;
  const attempt = (): number | typeof BLOCKED => {
    const r = f.write(data, pos);
    if (r === -EAGAIN && (f.statusFlags & O_NONBLOCK) === 0) return BLOCKED;
    if (r === -EPIPE) sendToThread(c.sys, c.t, { signo: 13, code: 0, pid: c.p.pid, uid: 0 });
    return r;
  };
  return c.block(attempt);
}

const read: Syscall = (c) => {
  const f = fileOf(c, 0);
  return f ? readInto(c, f, c.a[1], c.a[2], null) : -EBADF;
};

const write: Syscall = (c) => {
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  return writeFrom(c, f, c.user.read(c.a[1], Math.min(c.a[2], MAX_IO)), null);
};

const pread64: Syscall = (c) => {
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  if (!f.seekable()) return -ESPIPE;
  return c.a[3] < 0 ? -EINVAL : readInto(c, f, c.a[1], c.a[2], c.a[3]);
};

const pwrite64: Syscall = (c) => {
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  if (!f.seekable()) return -ESPIPE;
  return c.a[3] < 0 ? -EINVAL : writeFrom(c, f, c.user.read(c.a[1], Math.min(c.a[2], MAX_IO)), c.a[3]);
};

function iovecs(c: Call, iov: number, n: number): { base: number; len: number }[] {
  // UIO_MAXIOV segments at most; a length that is negative as an ssize_t is EINVAL.
  if (n < 0 || n > 1024) throw new SyscallError(EINVAL);
  const w = c.words(iov, n * 2);
  for (let i = 0; i < n; i++) if (w[2 * i + 1] >= 2 ** 63) throw new SyscallError(EINVAL);
  const out = [];
  for (let i = 0; i < n; i++) out.push({ base: w[2 * i], len: w[2 * i + 1] });
  return out;
}

const readv: Syscall = (c) => {
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  const iov = iovecs(c, c.a[1], c.int(2));
  const total = iov.reduce((s, v) => s + v.len, 0);
  const attempt = (): number | typeof BLOCKED => {
    const r = f.read(Math.min(total, MAX_IO), null);
    if (typeof r === 'number') return r === -EAGAIN && (f.statusFlags & O_NONBLOCK) === 0 ? BLOCKED : r;
    let at = 0;
    for (const v of iov) {
      if (at >= r.length) break;
      const n = Math.min(v.len, r.length - at);
      c.user.write(v.base, r.subarray(at, at + n));
      at += n;
    }
    return r.length;
  };
  return f.readable ? c.block(attempt) : -EBADF;
};

const writev: Syscall = (c) => {
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  const iov = iovecs(c, c.a[1], c.int(2));
  const parts = iov.map((v) => c.user.read(v.base, v.len));
  const data = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return writeFrom(c, f, data, null);
};

const lseek: Syscall = (c) => {
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  if (!f.seekable()) return -ESPIPE;
  const off = c.a[1];
  const whence = c.int(2);
  if (whence === SEEK_DATA || whence === SEEK_HOLE) {
    // No holes are kept: the whole file is data and the only hole is at its end (generic_file_llseek's answer).
    const size = f.attrs().size;
    if (off < 0 || off >= size) return -ENXIO;
    f.offset = whence === SEEK_DATA ? off : size;
    return f.offset;
  }
  const base = whence === 0 ? 0 : whence === 1 ? f.offset : whence === 2 ? f.attrs().size : NaN;
  if (Number.isNaN(base) || base + off < 0) return -EINVAL;
  f.offset = base + off;
  return f.offset;
};

// Rows of syscall-table.ts name these handlers.
export { read, write, readv, writev, pread64, pwrite64, lseek };
