// Reading and writing descriptors: read, write, readv, writev, pread64,
// pwrite64, lseek, with blocking on pipes and SIGPIPE.

import { BLOCKED } from '../sched/thread';
import { O_APPEND, O_NONBLOCK, RegularFile, type OpenFile } from '../vfs/open-file';
import { PipeEnd } from '../vfs/pipe';
import { SOCK_STREAM, UnixSocket } from '../vfs/unix-socket';
import { writableCount } from './file-size-limit';
import { nextData, nextHole } from '../vfs/file-holes';
import { signalAsyncInput } from './async-io';
import { fileEvent, IN_ACCESS, IN_MODIFY } from './fs-events';
import { EAGAIN, EBADF, EFAULT, EINVAL, ENXIO, EPIPE, ESPIPE } from './errno';
import { sendToThread } from './signal-delivery';
import { SyscallError, type Call, type Syscall, type SyscallResult } from './syscall-context';

const MAX_IO = 1 << 24;
/** Linux's MAX_RW_COUNT: one read or write moves at most this much. */
const MAX_RW_COUNT = 0x7ffff000;
/** UIO_MAXIOV: the most iovecs a readv or writev takes. */
const UIO_MAXIOV = 1024;
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
  if (f instanceof RegularFile) c.sys.sharedFiles.flushFile(f);
  const attempt = (): number | typeof BLOCKED => {
    const r = f.read(Math.min(count, MAX_IO), pos);
    if (typeof r === 'number') return r === -EAGAIN && (f.statusFlags & O_NONBLOCK) === 0 ? BLOCKED : r;
    c.user.write(buf, r);
    if (r.length > 0 && f instanceof RegularFile) fileEvent(c.sys.fs, f.path, f.inode, IN_ACCESS);
    return r.length;
  };
  return c.block(attempt, { deadline: f.readyAt() });
}

/** Files whose pollOut says exactly when a blocked write can go on: pipes, FIFOs and stream sockets. */
function roomTellsWrites(f: OpenFile): boolean {
  return f instanceof PipeEnd || (f instanceof UnixSocket && f.type === SOCK_STREAM);
}

/**
 * Writes data to f, blocking while a pipe or socket is full. again reads the
 * user's bytes anew: a writer that waits for room then holds no copy (Linux
 * copies from user memory only once there is room), so threads blocked on a
 * full pipe with 16 MiB writes no longer make the host hold 16 MiB each.
 */
export function writeFrom(c: Call, f: OpenFile, data: Uint8Array | undefined, pos: number | null, again?: () => Uint8Array | number): SyscallResult {
  if (!f.writable) return -EBADF;
  if (f instanceof RegularFile) {
    data ??= (again!() as Uint8Array);
    const n = writableCount(c, (f.statusFlags & O_APPEND) !== 0 ? f.attrs().size : (pos ?? f.offset), data.length);
    if (n < 0) return n;
    data = data.subarray(0, n);
  }
  let held: Uint8Array | undefined = data;
  const attempt = (): number | typeof BLOCKED => {
    if (!held && !f.pollOut()) return BLOCKED;
    const bytes = held ?? again!();
    if (typeof bytes === 'number') return bytes;
    const r = f.write(bytes, pos);
    if (r > 0 && f instanceof RegularFile) c.sys.sharedFiles.fileWritten(f, pos ?? f.offset - r, bytes.subarray(0, r));
    if (r === -EAGAIN && (f.statusFlags & O_NONBLOCK) === 0) {
      if (again && roomTellsWrites(f)) held = undefined;
      return BLOCKED;
    }
    if (r === -EPIPE) sendToThread(c.sys, c.t, { signo: 13, code: 0, pid: c.p.pid, uid: 0 });
    if (r > 0) signalAsyncInput(c.sys);
    if (r > 0 && f instanceof RegularFile) fileEvent(c.sys.fs, f.path, f.inode, IN_MODIFY);
    return r;
  };
  return c.block(attempt);
}

const read: Syscall = (c) => {
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  return c.user.accessOk(c.a[1], c.a[2]) ? readInto(c, f, c.a[1], c.a[2], null) : -EFAULT;
};

/**
 * The bytes a write of count bytes from buf takes: Linux checks the whole
 * range against the user half, then copies until the first fault (a short
 * write; EFAULT when not one byte could be read).
 */
function userBytes(c: Call, buf: number, count: number): Uint8Array | number {
  if (!c.user.accessOk(buf, count)) return -EFAULT;
  const data = c.user.readPrefix(buf, Math.min(count, MAX_IO));
  return data.length === 0 && count > 0 ? -EFAULT : data;
}

const write: Syscall = (c) => {
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  const again = (): Uint8Array | number => userBytes(c, c.a[1], c.a[2]);
  // A write that will wait for room reads the user's bytes only once there is some, as Linux's pipe_write.
  if (c.a[2] > 0 && roomTellsWrites(f) && (f.statusFlags & O_NONBLOCK) === 0 && f.writable && !f.pollOut()) {
    return c.user.accessOk(c.a[1], c.a[2]) ? writeFrom(c, f, undefined, null, again) : -EFAULT;
  }
  const data = again();
  return typeof data === 'number' ? data : writeFrom(c, f, data, null, again);
};

const pread64: Syscall = (c) => {
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  if (!f.seekable()) return -ESPIPE;
  if (c.a[3] < 0) return -EINVAL;
  return c.user.accessOk(c.a[1], c.a[2]) ? readInto(c, f, c.a[1], c.a[2], c.a[3]) : -EFAULT;
};

const pwrite64: Syscall = (c) => {
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  if (!f.seekable()) return -ESPIPE;
  if (c.a[3] < 0) return -EINVAL;
  const data = userBytes(c, c.a[1], c.a[2]);
  return typeof data === 'number' ? data : writeFrom(c, f, data, c.a[3]);
};

/**
 * The iovec array of readv/writev as Linux imports it: EINVAL for more than
 * UIO_MAXIOV or a length past 2^63 (checked on all before any address), then
 * each range must lie in the user half (a lone one after its clamp to
 * MAX_RW_COUNT), and the lengths are cut so their sum stays within it.
 */
export function iovecs(c: Call, iov: number, n: number): { base: number; len: number }[] | number {
  if (n < 0 || n > UIO_MAXIOV) return -EINVAL;
  const v = new DataView(c.user.read(iov, 16 * n).buffer);
  const out: { base: number; len: number }[] = [];
  for (let i = 0; i < n; i++) {
    if (v.getInt32(16 * i + 12, true) < 0) return -EINVAL;
    const base = v.getUint32(16 * i + 4, true) * 4294967296 + v.getUint32(16 * i, true);
    out.push({ base, len: v.getUint32(16 * i + 12, true) * 4294967296 + v.getUint32(16 * i + 8, true) });
  }
  let total = 0;
  for (const seg of out) {
    if (n === 1) seg.len = Math.min(seg.len, MAX_RW_COUNT);
    if (!c.user.accessOk(seg.base, seg.len)) return -EFAULT;
    seg.len = Math.min(seg.len, MAX_RW_COUNT - total);
    total += seg.len;
  }
  return out;
}

/** Reads at pos (null: the offset) into the iovecs, blocking while a pipe is empty. */
export function readVector(c: Call, f: OpenFile, iov: readonly { base: number; len: number }[], pos: number | null): SyscallResult {
  const total = iov.reduce((s, v) => s + v.len, 0);
  const attempt = (): number | typeof BLOCKED => {
    const r = f.read(Math.min(total, MAX_IO), pos);
    if (typeof r === 'number') return r === -EAGAIN && (f.statusFlags & O_NONBLOCK) === 0 ? BLOCKED : r;
    let at = 0;
    for (const v of iov) {
      if (at >= r.length) break;
      const n = Math.min(v.len, r.length - at);
      c.user.write(v.base, r.subarray(at, at + n));
      at += n;
    }
    if (r.length > 0 && f instanceof RegularFile) fileEvent(c.sys.fs, f.path, f.inode, IN_ACCESS);
    return r.length;
  };
  return f.readable ? c.block(attempt) : -EBADF;
}

const readv: Syscall = (c) => {
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  const iov = iovecs(c, c.a[1], c.a[2]);
  if (typeof iov === 'number') return iov;
  return readVector(c, f, iov, null);
};

/** writev's bytes: each iovec's readable head in turn, up to the first fault. */
export function gather(c: Call, iov: readonly { base: number; len: number }[]): Uint8Array | number {
  const parts: Uint8Array[] = [];
  let size = 0;
  for (const v of iov) {
    const want = Math.min(v.len, MAX_IO - size);
    const p = c.user.readPrefix(v.base, want);
    parts.push(p);
    size += p.length;
    if (p.length < want || size >= MAX_IO) break;
  }
  if (size === 0 && iov.some((v) => v.len > 0)) return -EFAULT;
  const data = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return data;
}

const writev: Syscall = (c) => {
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  const iov = iovecs(c, c.a[1], c.a[2]);
  if (typeof iov === 'number') return iov;
  const data = gather(c, iov);
  return typeof data === 'number' ? data : writeFrom(c, f, data, null, () => gather(c, iov));
};

const lseek: Syscall = (c) => {
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  if (!f.seekable()) return -ESPIPE;
  const off = c.a[1];
  const whence = c.int(2);
  if (whence === SEEK_DATA || whence === SEEK_HOLE) {
    // Files created here know their unwritten blocks (file-holes.ts); others are all data, with the one hole at the end.
    const size = f.attrs().size;
    if (off < 0 || off >= size) return -ENXIO;
    const node = f instanceof RegularFile ? f.inode : null;
    const at = node === null ? (whence === SEEK_DATA ? off : size) : whence === SEEK_DATA ? nextData(node, size, off) : nextHole(node, size, off);
    if (at === null) return -ENXIO;
    f.offset = at;
    return f.offset;
  }
  const base = whence === 0 ? 0 : whence === 1 ? f.offset : whence === 2 ? f.attrs().size : NaN;
  if (Number.isNaN(base) || base + off < 0) return -EINVAL;
  f.offset = base + off;
  return f.offset;
};

// Rows of syscall-table.ts name these handlers.
export { read, write, readv, writev, pread64, pwrite64, lseek };
