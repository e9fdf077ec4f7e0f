// Descriptor operations: close, dup, dup3, fcntl, ioctl, pipe2, getdents64,
// fstat, ftruncate, fsync.

import { DeviceFile, DirectoryFile, O_APPEND, O_CLOEXEC, O_DIRECT, O_NONBLOCK, RegularFile } from '../vfs/open-file';
import { createPipe, PIPE_CAPACITY, PipeEnd, roundPipeSize } from '../vfs/pipe';
import { dropPagesPastEnd } from './file-extent';
import { chargePipe, newPipeBytes } from './pipe-accounting';
import { CAP_SYS_RESOURCE } from './credentials';
import { pipeMaxSize } from './proc-sys';
import { UnixSocket } from '../vfs/unix-socket';
import { encodeStat } from '../vfs/stat-buffer';
import { EBADF, EINVAL, ENOTDIR, ENOTTY, EPERM } from './errno';

const ENFILE = 23;
const ENOPKG = 65;
/** O_NOTIFICATION_PIPE is O_EXCL's bit. */
const O_NOTIFICATION_PIPE = 0o200;
import type { Call, Syscall, SyscallResult } from './syscall-context';
import { FS_APPEND_FL, fileFlagsIoctl, inodeFlags } from './file-attr-flags';
import { growthAllowed } from './file-size-limit';
import { InotifyFile } from '../vfs/inotify';
import { fileEvent, IN_MODIFY } from './fs-events';
import { O_ASYNC, ownerCommand, setAsync } from './async-io';
import { fileOf, rawFileOf } from './sys-io';
import { InetSocket } from '../net/inet-socket';
import { inetIoctl } from './sys-inet-ioctl';
import { isRandomDevice, randomIoctl } from './random-ioctl';
import { isTunDevice, tunIoctl } from './tun-device';
import { lockCommand } from './sys-locks';
import { dnotifyCommand } from './dnotify';
import { forget, listingOf } from './dir-listing';
import { fileCommand } from './sys-fcntl-seals';
import { openFlagsFromUser, openFlagsToUser } from './arch-abi';
import { KERNEL_TERMIOS_BYTES } from './terminal-modes';

const F_DUPFD = 0;
const F_GETFD = 1;
const F_SETFD = 2;
const F_GETFL = 3;
const F_SETFL = 4;
const F_DUPFD_CLOEXEC = 1030;
const F_SETPIPE_SZ = 1031;
const F_GETPIPE_SZ = 1032;
const FD_CLOEXEC = 1;

const close: Syscall = (c) => (c.p.fds.close(c.int(0)) ? 0 : -EBADF);

const dup: Syscall = (c) => {
  const f = rawFileOf(c, 0);
  return f ? c.p.fds.add(f.retain(), false) : -EBADF;
};

const dup3: Syscall = (c) => {
  const f = rawFileOf(c, 0);
  const to = c.int(1);
  if (to === c.int(0) || (c.int(2) & ~O_CLOEXEC) !== 0) return -EINVAL;
  if (to < 0 || to >= c.p.fds.limit || !f) return -EBADF;
  c.p.fds.put(to, f.retain(), (c.int(2) & O_CLOEXEC) !== 0);
  return to;
};

const fcntl: Syscall = (c) => {
  const fd = c.int(0);
  const f = rawFileOf(c, 0);
  if (!f) return -EBADF;
  const arg = c.int(2);
  if (f.pathOnly && ![F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL].includes(c.int(1))) return -EBADF;
  switch (c.int(1)) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
      if (arg < 0 || arg >= c.p.fds.limit) return -EINVAL;
      return c.p.fds.add(f.retain(), c.int(1) === F_DUPFD_CLOEXEC, arg);
    case F_GETFD:
      return c.p.fds.cloexec(fd) ? FD_CLOEXEC : 0;
    case F_SETFD:
      c.p.fds.setCloexec(fd, (arg & FD_CLOEXEC) !== 0);
      return 0;
    case F_GETFL:
      return openFlagsToUser(c.sys.kernel.arch, f.statusFlags);
    case F_SETFL: {
      // O_DIRECT switches a pipe's write end to packets (elsewhere it changes nothing here: there is no page cache to bypass).
      const settable = O_APPEND | O_NONBLOCK | O_ASYNC | (f instanceof PipeEnd ? O_DIRECT : 0);
      f.statusFlags = (f.statusFlags & ~settable) | (openFlagsFromUser(c.sys.kernel.arch, arg) & settable);
      setAsync(f, (arg & O_ASYNC) !== 0);
      return 0;
    }
    case F_GETPIPE_SZ:
      return f instanceof PipeEnd ? f.pipeSize : -EBADF;
    case F_SETPIPE_SZ: {
      if (!(f instanceof PipeEnd)) return -EBADF;
      // Growing past /proc/sys/fs/pipe-max-size needs CAP_SYS_RESOURCE.
      const size = roundPipeSize(c.u32(2));
      if (size > f.pipeSize && size > pipeMaxSize(c.sys) && !c.p.creds.capable(CAP_SYS_RESOURCE)) return -EPERM;
      return f.setPipeSize(c.u32(2));
    }
    default:
      return lockCommand(c, f, c.int(1)) ?? fileCommand(c, f, c.int(1)) ?? ownerCommand(c, f, c.int(1)) ?? dnotifyCommand(c, f, c.int(1)) ?? -EINVAL;
  }
};

const TCGETS = 0x5401;
const TCSETS = 0x5402;
const TCSETSW = 0x5403;
const TCSETSF = 0x5404;
const TIOCGPGRP = 0x540f;
const TIOCSPGRP = 0x5410;
const TIOCGWINSZ = 0x5413;
const TIOCSWINSZ = 0x5414;
const FIONBIO = 0x5421;
const FIONREAD = 0x541b;
const FIOCLEX = 0x5451;
const FIONCLEX = 0x5450;

const ioctl: Syscall = (c) => {
  const fd = c.int(0);
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  const req = c.u32(1);
  const arg = c.a[2];
  if (req === FIOCLEX || req === FIONCLEX) {
    c.p.fds.setCloexec(fd, req === FIOCLEX);
    return 0;
  }
  if (req === FIONBIO) {
    const on = c.user.read(arg, 4).some((b) => b !== 0);
    f.statusFlags = on ? f.statusFlags | O_NONBLOCK : f.statusFlags & ~O_NONBLOCK;
    return 0;
  }
  if (f instanceof InetSocket) return inetIoctl(c, f, req, arg);
  if (f instanceof DeviceFile && isRandomDevice(f)) return randomIoctl(c, req, arg);
  if (f instanceof DeviceFile && isTunDevice(f)) return tunIoctl(c, req, arg);
  if (req === FIONREAD && (f instanceof PipeEnd || f instanceof UnixSocket || f instanceof InotifyFile)) {
    const n = f.queued;
    if (n < 0) return n;
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, n, true);
    c.user.write(arg, b);
    return 0;
  }
  const inodeFlags = fileFlagsIoctl(c, f, req, arg);
  if (inodeFlags !== null) return inodeFlags;
  if (!f.isTty) return -ENOTTY;
  // A terminal is a console stream or /dev/tty: the host's terminal behind it.
  const host = (f instanceof DeviceFile ? f.device.hostFd : undefined) ?? 0;
  switch (req) {
    case TCGETS:
      c.user.write(arg, c.sys.terminal.get(host));
      return 0;
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
      c.sys.terminal.set(host, c.user.read(arg, KERNEL_TERMIOS_BYTES));
      return 0;
    case TIOCSWINSZ:
    case TIOCSPGRP:
      return 0;
    case TIOCGWINSZ: {
      // The host terminal's size (qemu-user passes the ioctl through), else the classic 24 by 80.
      const size = c.sys.io.windowSize?.(host) ?? { rows: 24, cols: 80 };
      const ws = new Uint8Array(8);
      new DataView(ws.buffer).setUint16(0, size.rows, true);
      new DataView(ws.buffer).setUint16(2, size.cols, true);
      c.user.write(arg, ws);
      return 0;
    }
    case TIOCGPGRP: {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setInt32(0, c.p.pgid, true);
      c.user.write(arg, b);
      return 0;
    }
    default:
      return -ENOTTY;
  }
};

/** pipe2(fds, flags): O_DIRECT makes the write end packetized; no descriptor stays behind when the call fails. */
const pipe2: Syscall = (c) => {
  const flags = openFlagsFromUser(c.sys.kernel.arch, c.int(1));
  if ((flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT | O_NOTIFICATION_PIPE)) !== 0) return -EINVAL;
  // Notification pipes need CONFIG_WATCH_QUEUE, which this kernel has not.
  if ((flags & O_NOTIFICATION_PIPE) !== 0) return -ENOPKG;
  const bytes = newPipeBytes(c.sys, c.p, PIPE_CAPACITY);
  if (bytes === 0) return -ENFILE;
  const [r, w] = createPipe(flags & O_NONBLOCK, bytes);
  w.statusFlags |= flags & O_DIRECT;
  chargePipe(c.sys, c.p, w);
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const rfd = c.p.fds.add(r, cloexec);
  if (rfd < 0) {
    w.release();
    return rfd;
  }
  const wfd = c.p.fds.add(w, cloexec);
  if (wfd < 0) {
    c.p.fds.close(rfd);
    return wfd;
  }
  const out = new Uint8Array(8);
  new DataView(out.buffer).setInt32(0, rfd, true);
  new DataView(out.buffer).setInt32(4, wfd, true);
  try {
    c.user.write(c.a[0], out);
  } catch (e) {
    c.p.fds.close(rfd);
    c.p.fds.close(wfd);
    throw e;
  }
  return 0;
};

/** One directory record in a getdents layout, given the name's bytes and the entry's fields. */
export type DirentEncoder = (name: Uint8Array, ino: number, next: number, type: number) => Uint8Array;

const dirent64: DirentEncoder = (name, ino, next, type) => {
  const rec = new Uint8Array((19 + name.length + 1 + 7) & ~7);
  const v = new DataView(rec.buffer);
  v.setUint32(0, ino >>> 0, true);
  v.setUint32(8, next, true);
  v.setUint16(16, rec.length, true);
  rec[18] = type;
  rec.set(name, 19);
  return rec;
};

/** Fills the buffer (a[1], a[2] bytes) with the directory a[0]'s next entries. */
export function readDirents(c: Call, encode: DirentEncoder): SyscallResult {
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  const all = listingOf(c.sys, f);
  if (all === -1) return -ENOTDIR;
  const max = c.a[2];
  const chunks: Uint8Array[] = [];
  let used = 0;
  let i = f.offset;
  for (; i < all.length; i++) {
    const rec = encode(Buffer.from(all[i].name), all[i].ino, i + 1, all[i].type);
    if (used + rec.length > max) break;
    chunks.push(rec);
    used += rec.length;
  }
  if (used === 0 && i < all.length) return -EINVAL;
  f.offset = i;
  if (i >= all.length) forget(f);
  const out = new Uint8Array(used);
  let at = 0;
  for (const ch of chunks) {
    out.set(ch, at);
    at += ch.length;
  }
  c.user.write(c.a[1], out);
  return used;
}

const getdents64: Syscall = (c) => readDirents(c, dirent64);

const fstat: Syscall = (c) => {
  const f = rawFileOf(c, 0);
  if (!f) return -EBADF;
  c.user.write(c.a[1], encodeStat({ uid: c.p.creds.euid, gid: c.p.creds.egid, ...f.attrs() }, c.sys.kernel.arch));
  return 0;
};

const ftruncate: Syscall = (c) => {
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  if (c.a[1] < 0) return -EINVAL;
  // Only a regular file open for writing (a socket, or a read-only descriptor: EINVAL).
  if (!(f instanceof RegularFile) || !f.writable) return -EINVAL;
  if ((inodeFlags(f.inode) & FS_APPEND_FL) !== 0) return -EPERM;
  const big = growthAllowed(c, f.attrs().size, c.a[1]);
  const r = big < 0 ? big : f.truncate(c.a[1]);
  if (r === 0) {
    dropPagesPastEnd(c.sys, f.attrs().ino, c.a[1]);
    fileEvent(c.sys.fs, f.path, f.inode, IN_MODIFY);
  }
  return r;
};

/** Files and directories can be synced; pipes, sockets and devices have no fsync in Linux: EINVAL. */
const fsync: Syscall = (c) => {
  const f = fileOf(c, 0);
  if (!f) return -EBADF;
  return f instanceof RegularFile || f instanceof DirectoryFile ? 0 : -EINVAL;
};

// Rows of syscall-table.ts name these handlers.
export { close, dup, dup3, fcntl, ioctl, pipe2, getdents64, fstat, ftruncate, fsync };
