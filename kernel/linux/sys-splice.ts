// Moving bytes between descriptors inside the kernel: splice (a pipe on at
// least one side), tee (pipe to pipe, the source left as it was), vmsplice
// (user memory and a pipe), sendfile (a file into anything) and
// copy_file_range (regular file to regular file). Each checks its arguments in
// the order Linux 6.1 does; a pipe that is empty or full blocks the caller
// unless SPLICE_F_NONBLOCK or O_NONBLOCK says otherwise.

import { BLOCKED } from '../sched/thread';
import { O_APPEND, O_NONBLOCK, type OpenFile } from '../vfs/open-file';
import { PipeEnd } from '../vfs/pipe';
import { EAGAIN, EBADF, EFBIG, EINVAL, EISDIR, EOVERFLOW, EPIPE, ESPIPE } from './errno';
import { sendToThread } from './signal-delivery';
import { encodeU64s, type Call, type Syscall, type SyscallResult } from './syscall-context';
import { fileOf } from './sys-io';

const SPLICE_F_NONBLOCK = 2;
const SPLICE_F_ALL = 0xf;
const IOV_MAX = 1024;
const MAX_CHUNK = 1 << 20;
/** The most one read, write or sendfile moves (Linux's MAX_RW_COUNT: INT_MAX rounded down to a page). */
const MAX_RW_COUNT = 0x7ffff000;
const OFF_MAX = 2 ** 63 - 1;

type Attempt = () => number | typeof BLOCKED;

/** The file offset a loff_t pointer holds (null pointer: null); negative ones are EINVAL. */
function offsetAt(c: Call, ptr: number): number | null {
  if (ptr === 0) return null;
  const v = new DataView(c.user.read(ptr, 8).buffer);
  return v.getInt32(4, true) * 4294967296 + v.getUint32(0, true);
}

function storeOffset(c: Call, ptr: number, value: number): void {
  c.user.write(ptr, encodeU64s([value]));
}

function epipe(c: Call): number {
  sendToThread(c.sys, c.t, { signo: 13, code: 0, pid: c.p.pid, uid: 0 });
  return -EPIPE;
}

/** Reads up to max bytes of a non-pipe file at pos (null: its offset, advanced). */
function readFile(f: OpenFile, max: number, pos: number | null): Uint8Array | number {
  return f.read(Math.min(max, MAX_CHUNK), pos);
}

/** File to pipe: as many bytes as fit, waiting for room. */
function fileToPipe(c: Call, inp: OpenFile, pipe: PipeEnd, len: number, inPos: number | null, nonblock: boolean, done: (moved: number) => void): SyscallResult {
  const attempt: Attempt = () => {
    if (pipe.readersGone) return epipe(c);
    if (pipe.room === 0) return nonblock ? -EAGAIN : BLOCKED;
    const r = readFile(inp, Math.min(len, pipe.room), inPos);
    if (typeof r === 'number') return r === -EAGAIN && !nonblock ? BLOCKED : r;
    if (r.length > 0) pipe.write(r);
    done(r.length);
    return r.length;
  };
  return c.block(attempt);
}

/** Pipe to file: what the pipe holds, waiting for data while a writer remains. */
function pipeToFile(c: Call, pipe: PipeEnd, out: OpenFile, len: number, outPos: number | null, nonblock: boolean, done: (moved: number) => void): SyscallResult {
  const attempt: Attempt = () => {
    if (pipe.queued === 0) return pipe.writersGone ? 0 : nonblock ? -EAGAIN : BLOCKED;
    const data = pipe.read(Math.min(len, pipe.queued, MAX_CHUNK));
    if (typeof data === 'number') return data;
    const w = out.write(data, outPos);
    if (w === -EPIPE) return epipe(c);
    if (w < 0) return w;
    done(w);
    return w;
  };
  return c.block(attempt);
}

function pipeToPipe(c: Call, from: PipeEnd, to: PipeEnd, len: number, nonblock: boolean, keep: boolean): SyscallResult {
  const attempt: Attempt = () => {
    if (to.readersGone) return epipe(c);
    if (from.queued === 0) return from.writersGone ? 0 : nonblock ? -EAGAIN : BLOCKED;
    if (to.room === 0) return nonblock ? -EAGAIN : BLOCKED;
    const n = Math.min(len, from.queued, to.room);
    const data = keep ? from.peek(n) : from.read(n);
    if (typeof data === 'number') return data;
    return to.write(data);
  };
  return c.block(attempt);
}

const splice: Syscall = (c) => {
  const [, offInPtr, , offOutPtr, len] = c.a;
  const flags = c.u32(5);
  if (len === 0) return 0;
  if ((flags & ~SPLICE_F_ALL) !== 0) return -EINVAL;
  const inp = fileOf(c, 0);
  const out = fileOf(c, 2);
  if (!inp || !out) return -EBADF;
  const ipipe = inp instanceof PipeEnd ? inp : null;
  const opipe = out instanceof PipeEnd ? out : null;
  if ((ipipe && offInPtr !== 0) || (opipe && offOutPtr !== 0)) return -ESPIPE;
  const offOut = offsetAt(c, offOutPtr);
  const offIn = offsetAt(c, offInPtr);
  if (!inp.readable || !out.writable) return -EBADF;
  let nonblock = (flags & SPLICE_F_NONBLOCK) !== 0;
  if (ipipe && opipe) {
    if (ipipe.samePipe(opipe)) return -EINVAL;
    nonblock ||= ((inp.statusFlags | out.statusFlags) & O_NONBLOCK) !== 0;
    return pipeToPipe(c, ipipe, opipe, len, nonblock, false);
  }
  if (opipe) {
    if (offIn !== null && !inp.seekable()) return -ESPIPE;
    if (inp.attrs().kind === 'dir') return -EINVAL;
    if (offIn !== null && offIn < 0) return -EINVAL;
    nonblock ||= (out.statusFlags & O_NONBLOCK) !== 0;
    return fileToPipe(c, inp, opipe, len, offIn, nonblock, (n) => {
      if (offIn !== null) storeOffset(c, offInPtr, offIn + n);
    });
  }
  if (ipipe) {
    if (offOut !== null && !out.seekable()) return -EINVAL;
    if ((out.statusFlags & O_APPEND) !== 0) return -EINVAL;
    if (out.attrs().kind === 'dir') return -EINVAL;
    if (offOut !== null && offOut < 0) return -EINVAL;
    nonblock ||= (inp.statusFlags & O_NONBLOCK) !== 0;
    return pipeToFile(c, ipipe, out, len, offOut, nonblock, (n) => {
      if (offOut !== null) storeOffset(c, offOutPtr, offOut + n);
    });
  }
  return -EINVAL;
};

const tee: Syscall = (c) => {
  const len = c.a[2];
  const flags = c.u32(3);
  if ((flags & ~SPLICE_F_ALL) !== 0) return -EINVAL;
  if (len === 0) return 0;
  const inp = fileOf(c, 0);
  const out = fileOf(c, 1);
  if (!inp || !out) return -EBADF;
  if (!inp.readable || !out.writable) return -EBADF;
  if (!(inp instanceof PipeEnd) || !(out instanceof PipeEnd) || inp.samePipe(out)) return -EINVAL;
  const nonblock = (flags & SPLICE_F_NONBLOCK) !== 0 || ((inp.statusFlags | out.statusFlags) & O_NONBLOCK) !== 0;
  return pipeToPipe(c, inp, out, len, nonblock, true);
};

/** vmsplice: the iovec's memory into a pipe's write end, or a read end's bytes into the iovec. */
const vmsplice: Syscall = (c) => {
  const [, iovAddr, count] = c.a;
  const flags = c.u32(3);
  if ((flags & ~SPLICE_F_ALL) !== 0) return -EINVAL;
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  if (!f.writable && !f.readable) return -EBADF;
  if (count > IOV_MAX || count < 0) return -EINVAL;
  if (!(f instanceof PipeEnd)) return -EBADF;
  const iov = c.words(iovAddr, 2 * count);
  const nonblock = (flags & SPLICE_F_NONBLOCK) !== 0 || (f.statusFlags & O_NONBLOCK) !== 0;
  const parts: { base: number; len: number }[] = [];
  for (let i = 0; i < count; i++) if (iov[2 * i + 1] > 0) parts.push({ base: iov[2 * i], len: iov[2 * i + 1] });
  if (f.writable) return vmspliceIn(c, f, parts, nonblock);
  return vmspliceOut(c, f, parts, nonblock);
};

function vmspliceIn(c: Call, pipe: PipeEnd, parts: { base: number; len: number }[], nonblock: boolean): SyscallResult {
  const total = parts.reduce((s, p) => s + p.len, 0);
  if (total === 0) return 0;
  const attempt: Attempt = () => {
    if (pipe.readersGone) return epipe(c);
    if (pipe.room === 0) return nonblock ? -EAGAIN : BLOCKED;
    let moved = 0;
    for (const p of parts) {
      const n = Math.min(p.len, pipe.room);
      if (n === 0) break;
      moved += pipe.write(c.user.read(p.base, n));
      if (n < p.len) break;
    }
    return moved;
  };
  return c.block(attempt);
}

function vmspliceOut(c: Call, pipe: PipeEnd, parts: { base: number; len: number }[], nonblock: boolean): SyscallResult {
  const attempt: Attempt = () => {
    if (pipe.queued === 0) return pipe.writersGone ? 0 : nonblock ? -EAGAIN : BLOCKED;
    let moved = 0;
    for (const p of parts) {
      if (pipe.queued === 0) break;
      const data = pipe.read(Math.min(p.len, pipe.queued));
      if (typeof data === 'number') break;
      c.user.write(p.base, data);
      moved += data.length;
    }
    return moved;
  };
  return c.block(attempt);
}

const sendfile: Syscall = (c) => {
  const offPtr = c.a[2];
  let count = c.a[3];
  const inp = fileOf(c, 1);
  if (!inp || !inp.readable) return -EBADF;
  const pos = offsetAt(c, offPtr);
  if (pos !== null && !inp.seekable()) return -ESPIPE;
  const start = pos ?? inp.offset;
  if (start < 0 || count < 0) return -EINVAL;
  const out = fileOf(c, 0);
  if (!out || !out.writable) return -EBADF;
  if (start + count > OFF_MAX) {
    if (start >= OFF_MAX) return -EOVERFLOW;
    count = OFF_MAX - start;
  }
  if (inp instanceof PipeEnd || inp.attrs().kind === 'dir') return -EINVAL;
  const moved = (n: number): void => {
    if (pos !== null) storeOffset(c, offPtr, pos + n);
  };
  if (out instanceof PipeEnd) {
    const nonblock = ((inp.statusFlags | out.statusFlags) & O_NONBLOCK) !== 0;
    return fileToPipe(c, inp, out, count, pos, nonblock, moved);
  }
  if ((out.statusFlags & O_APPEND) !== 0) return -EINVAL;
  return fileToFile(c, inp, out, Math.min(count, MAX_RW_COUNT), pos, moved);
};

/**
 * sendfile into anything but a pipe: chunk by chunk, as do_splice_direct
 * goes on until count is moved, the input ends, or the output takes less
 * (an error after some bytes moved reports the bytes).
 */
function fileToFile(c: Call, inp: OpenFile, out: OpenFile, count: number, pos: number | null, moved: (n: number) => void): number {
  let done = 0;
  while (done < count) {
    const r = readFile(inp, count - done, pos === null ? null : pos + done);
    if (typeof r === 'number') return done > 0 ? done : r;
    if (r.length === 0) break;
    const w = out.write(r, null);
    if (w === -EPIPE && done === 0) return epipe(c);
    if (w < 0) {
      if (done === 0) return w;
      break;
    }
    done += w;
    if (w < r.length) {
      // The input went further than the output took: give back what was not written.
      if (pos === null) inp.offset -= r.length - w;
      break;
    }
  }
  moved(done);
  return done;
}

const copyFileRange: Syscall = (c) => {
  const [, offInPtr, , offOutPtr, len] = c.a;
  if (c.u32(5) !== 0) return -EINVAL;
  const inp = fileOf(c, 0);
  const out = fileOf(c, 2);
  if (!inp || !out) return -EBADF;
  const inPos = offsetAt(c, offInPtr);
  const outPos = offsetAt(c, offOutPtr);
  const ia = inp.attrs();
  const oa = out.attrs();
  if (ia.kind === 'dir' || oa.kind === 'dir') return -EISDIR;
  if (ia.kind !== 'file' || oa.kind !== 'file') return -EINVAL;
  if (!inp.readable || !out.writable || (out.statusFlags & O_APPEND) !== 0) return -EBADF;
  const from = inPos ?? inp.offset;
  const to = outPos ?? out.offset;
  if (from < 0 || to < 0) return -EINVAL;
  if (len >= 2 ** 63 || from + len > OFF_MAX || to + len > OFF_MAX) return -EOVERFLOW;
  const count = Math.min(len, Math.max(0, ia.size - from));
  if (count === 0) return 0;
  if (to + count > OFF_MAX) return -EFBIG;
  if (ia.ino === oa.ino && from < to + count && to < from + count) return -EINVAL;
  const data = inp.read(Math.min(count, MAX_CHUNK), from);
  if (typeof data === 'number') return data;
  const w = out.write(data, to);
  if (w < 0) return w;
  if (inPos === null) inp.offset = from + w;
  else storeOffset(c, offInPtr, from + w);
  if (outPos === null) out.offset = to + w;
  else storeOffset(c, offOutPtr, to + w);
  return w;
};

// Rows of syscall-table.ts name these handlers.
export { splice, tee, vmsplice, sendfile, copyFileRange };
