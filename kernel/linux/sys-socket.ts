// AF_UNIX socket calls on the in-memory layer: socket, socketpair, bind,
// listen, accept, accept4, connect, getsockname, getpeername, sendto,
// recvfrom, sendmsg, recvmsg, shutdown, getsockopt, setsockopt. AF_INET and
// AF_INET6 go to sys-inet.ts before they reach these; other families answer
// EAFNOSUPPORT.

import { mayAccess, MAY_WRITE } from './file-permission';
import { BLOCKED } from '../sched/thread';
import { FD_LIMIT } from '../vfs/fd-table';
import { O_CLOEXEC, O_NONBLOCK, type OpenFile } from '../vfs/open-file';
import { parentOf } from '../vfs/overlay-fs';
import { createSocketPair } from '../vfs/socket-pair';
import { Ancillary, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM, socketRoom, UnixSocket, type Credentials, type SocketMessage, type UnixAddress } from '../vfs/unix-socket';
import { EACCES, EAGAIN, EBADF, EINVAL, EMFILE, ENOENT, EPIPE, ESRCH } from './errno';
import { sendToThread } from './signal-delivery';
import {
  AF_UNIX, CMSG_HEADER_SIZE, controlMessage, credentialBytes, gather, putInt, readAddress, readControl, readMsgHeader, scatter, SCM_CREDENTIALS, SCM_RIGHTS, writeAddress, type AddressArg,
} from './socket-messages';
import { gatherRange, SEND_MAX, SendBytes } from './send-bytes';
import { resolveAt } from './sys-path';
import { encodeU64s, type Call, type Syscall, type SyscallResult } from './syscall-context';

const AF_INET = 2;
const AF_INET6 = 10;
const SOCK_RAW = 3;
const EAFNOSUPPORT = 97;
const EOPNOTSUPP = 95;
const EPROTONOSUPPORT = 93;
const ESOCKTNOSUPPORT = 94;
const ENOTSOCK = 88;
const EADDRINUSE = 98;
const ECONNREFUSED = 111;
const EPROTOTYPE = 91;
const EISCONN = 106;
const ENOTCONN = 107;
const EINTR = 4;
const MSG_PEEK = 2;
const MSG_CTRUNC = 8;
const MSG_TRUNC = 0x20;
const MSG_WAITALL = 0x100;
const MSG_DONTWAIT = 0x40;
const MSG_NOSIGNAL = 0x4000;
const MSG_CMSG_CLOEXEC = 0x40000000;

/** The abstract namespace of one system: names (latin1 of the bytes) to bound sockets. */
const abstractNames = new WeakMap<object, Map<string, UnixSocket>>();

function namespace(c: Call): Map<string, UnixSocket> {
  let m = abstractNames.get(c.sys);
  if (!m) abstractNames.set(c.sys, (m = new Map()));
  return m;
}

const abstractKey = (name: Uint8Array): string => Buffer.from(name).toString('latin1');

export function credentials(c: Call): Credentials {
  return { pid: c.p.pid, uid: 0, gid: 0 };
}

/** The credentials of whichever process is in a syscall now (a socket's plain write() sends them). */
function callerOf(c: Call): () => Credentials {
  const sys = c.sys;
  return () => ({ pid: sys.currentProcess?.pid ?? 0, uid: 0, gid: 0 });
}

export function socketOf(c: Call, i = 0): UnixSocket | number {
  const f = c.p.fds.get(c.int(i));
  return !f ? -EBADF : f instanceof UnixSocket ? f : -ENOTSOCK;
}

/** The socket type and flags of socket(2)'s second argument; a negative errno when they are not AF_UNIX's. */
function socketType(type: number): { type: number; flags: number } | number {
  if ((type & ~(0xf | O_CLOEXEC | O_NONBLOCK)) !== 0) return -EINVAL;
  const base = type & 0xf;
  if (base !== SOCK_STREAM && base !== SOCK_DGRAM && base !== SOCK_SEQPACKET && base !== SOCK_RAW) return -ESOCKTNOSUPPORT;
  return { type: base === SOCK_RAW ? SOCK_DGRAM : base, flags: type & (O_NONBLOCK | O_CLOEXEC) };
}

function familyError(domain: number): number {
  return domain === AF_INET || domain === AF_INET6 ? -EACCES : -EAFNOSUPPORT;
}

export const socket: Syscall = (c) => {
  if (c.int(0) !== AF_UNIX) return familyError(c.int(0));
  const t = socketType(c.int(1));
  if (typeof t === 'number') return t;
  if (c.int(2) !== 0 && c.int(2) !== AF_UNIX) return -EPROTONOSUPPORT;
  const room = socketRoom(1);
  if (room < 0) return room;
  return c.p.fds.add(new UnixSocket(t.type, t.flags & O_NONBLOCK, credentials(c), callerOf(c)), (t.flags & O_CLOEXEC) !== 0);
};

/** The two lowest descriptor numbers free in c's table, or -EMFILE. */
function twoFree(c: Call): [number, number] | number {
  const free = c.p.fds.lowestFreeNumbers(2);
  return free.length === 2 ? [free[0], free[1]] : -EMFILE;
}

/**
 * Linux's order: the flag bits are checked first; then the two lowest free
 * descriptors are reserved and their numbers written to sv before any socket
 * is made, so a later refusal (AF_INET's EOPNOTSUPP, an unknown family, type
 * or protocol) still leaves them in sv. The sockets go at exactly those numbers.
 */
export const socketpair: Syscall = (c) => {
  if ((c.int(1) & ~(0xf | O_CLOEXEC | O_NONBLOCK)) !== 0) return -EINVAL;
  const reserved = twoFree(c);
  if (typeof reserved === 'number') return reserved;
  const out = new Uint8Array(8);
  new DataView(out.buffer).setInt32(0, reserved[0], true);
  new DataView(out.buffer).setInt32(4, reserved[1], true);
  c.user.write(c.a[3], out);
  if (c.int(0) !== AF_UNIX) return c.int(0) === AF_INET || c.int(0) === AF_INET6 ? -EOPNOTSUPP : -EAFNOSUPPORT;
  if (c.int(2) !== 0 && c.int(2) !== AF_UNIX) return -EPROTONOSUPPORT;
  const t = socketType(c.int(1));
  if (typeof t === 'number') return t;
  const room = socketRoom(2);
  if (room < 0) return room;
  const [a, b] = createSocketPair(t.type, t.flags & O_NONBLOCK, credentials(c), callerOf(c));
  const cloexec = (t.flags & O_CLOEXEC) !== 0;
  c.p.fds.put(reserved[0], a, cloexec);
  c.p.fds.put(reserved[1], b, cloexec);
  return 0;
};

let autobindCounter = 0;

/** A name no socket of this system holds: Linux's five hex digits after a NUL. */
function autobindName(names: Map<string, UnixSocket>): Uint8Array {
  for (;;) {
    const name = new Uint8Array(Buffer.from((autobindCounter++ & 0xfffff).toString(16).padStart(5, '0'), 'latin1'));
    if (!names.has(abstractKey(name))) return name;
  }
}

function bindAbstract(c: Call, s: UnixSocket, name: Uint8Array): number {
  const names = namespace(c);
  const key = abstractKey(name);
  if (names.has(key)) return -EADDRINUSE;
  names.set(key, s);
  s.local = { kind: 'abstract', name };
  s.onClose = () => names.delete(key);
  return 0;
}

function bindPath(c: Call, s: UnixSocket, path: string): number {
  const r = resolveAt(c, -100, path, false);
  if (typeof r === 'number') return r;
  if (r.node) return -EADDRINUSE;
  if (c.sys.fs.lstat(parentOf(r.path))?.kind !== 'dir') return -ENOENT;
  if (s.local.kind !== 'unnamed') return -EINVAL;
  const node = c.sys.fs.bindSocket(r.path, 0o777 & ~c.p.umask, s);
  if (typeof node === 'number') return node === -17 ? -EADDRINUSE : node;
  s.node = node;
  s.local = { kind: 'path', path };
  return 0;
}

export const bind: Syscall = (c) => {
  const s = socketOf(c);
  if (typeof s === 'number') return s;
  const a = readAddress(c, c.a[1], c.int(2));
  if (typeof a === 'number') return a;
  if (a.kind === 'unspec' || a.kind === 'unnamed') return -EINVAL;
  // A path is made (or found taken) before the socket is checked, as Linux's mknod comes first.
  if (a.kind === 'path') return bindPath(c, s, a.path);
  if (s.local.kind !== 'unnamed') return -EINVAL;
  return bindAbstract(c, s, a.kind === 'autobind' ? autobindName(namespace(c)) : a.name);
};

export const listen: Syscall = (c) => {
  const s = socketOf(c);
  return typeof s === 'number' ? s : s.listen(c.int(1), credentials(c));
};

/** The socket an address names: ENOENT for a missing path, ECONNREFUSED where nobody is bound, EPROTOTYPE for another type. */
function findSocket(c: Call, a: AddressArg, type: number): UnixSocket | number {
  let s: UnixSocket | undefined;
  if (a.kind === 'abstract') {
    s = namespace(c).get(abstractKey(a.name));
    if (!s) return -ECONNREFUSED;
  } else if (a.kind === 'path') {
    const r = resolveAt(c, -100, a.path, true);
    if (typeof r === 'number') return r;
    if (!r.node) return -ENOENT;
    // Linux's unix_find_bsd: write permission on the socket's inode comes first.
    if (!mayAccess(c.p.creds, c.sys.fs.attrs(r.node), MAY_WRITE)) return -EACCES;
    if (r.node.kind !== 'sock' || r.node.layer !== 'mem' || !(r.node.bound instanceof UnixSocket)) return -ECONNREFUSED;
    s = r.node.bound;
  } else {
    return -EINVAL;
  }
  if (s.closed) return -ECONNREFUSED;
  return s.type === type ? s : -EPROTOTYPE;
}

const wouldBlock = (s: OpenFile, flags = 0): boolean => (s.statusFlags & O_NONBLOCK) !== 0 || (flags & MSG_DONTWAIT) !== 0;

/** When a blocked call gives up (SO_RCVTIMEO, SO_SNDTIMEO), or undefined to wait for ever. */
function deadlineOf(c: Call, timeoutMs: number): number | undefined {
  return timeoutMs > 0 ? c.sys.now() + timeoutMs : undefined;
}

const expired = (c: Call, deadline: number | undefined): boolean => deadline !== undefined && c.sys.now() >= deadline;

export const connect: Syscall = (c) => {
  const s = socketOf(c);
  if (typeof s === 'number') return s;
  const a = readAddress(c, c.a[1], c.int(2));
  if (typeof a === 'number') return a;
  if (!s.connectionOriented) {
    if (a.kind === 'unspec') return s.connectDatagram(null);
    const to = findSocket(c, a, s.type);
    return typeof to === 'number' ? to : s.connectDatagram(to);
  }
  const to = findSocket(c, a, s.type);
  if (typeof to === 'number') return to;
  const creds = credentials(c);
  return c.block(
    () => {
      const r = s.connectTo(to, creds);
      return r === -EAGAIN && !wouldBlock(s) ? BLOCKED : r;
    },
    { interruptResult: -EINTR },
  );
};

function acceptWith(c: Call, flags: number): SyscallResult {
  const s = socketOf(c);
  if (typeof s === 'number') return s;
  if ((flags & ~(O_NONBLOCK | O_CLOEXEC)) !== 0) return -EINVAL;
  const deadline = deadlineOf(c, s.recvTimeout);
  return c.block(
    () => {
      const r = s.accept();
      if (typeof r === 'number') return r === -EAGAIN && !wouldBlock(s) && !expired(c, deadline) ? BLOCKED : r;
      r.statusFlags |= flags & O_NONBLOCK;
      const fd = c.p.fds.add(r, (flags & O_CLOEXEC) !== 0);
      if (fd >= 0 && r.peer) writeAddress(c, c.a[1], c.a[2], r.peer.local);
      return fd;
    },
    { deadline, interruptResult: -EINTR },
  );
}

export const accept: Syscall = (c) => acceptWith(c, 0);
export const accept4: Syscall = (c) => acceptWith(c, c.int(3));

function nameOf(c: Call, peer: boolean): number {
  const s = socketOf(c);
  if (typeof s === 'number') return s;
  let a: UnixAddress = s.local;
  if (peer) {
    if (!s.peer || (s.connectionOriented && s.state !== 'connected')) return -ENOTCONN;
    a = s.peer.local;
  }
  return writeAddress(c, c.a[1], c.a[2], a);
}

export const getsockname: Syscall = (c) => nameOf(c, false);
export const getpeername: Syscall = (c) => nameOf(c, true);

/** Sends data (with files and credentials) to the peer or dest, blocking while the receiver is full; a stream sends it all. */
const EMPTY = new Uint8Array(0);

function sendData(c: Call, s: UnixSocket, bytes: SendBytes, att: Ancillary, dest: UnixSocket | null, flags: number): SyscallResult {
  let sent = 0;
  const deadline = deadlineOf(c, s.sendTimeout);
  const finish = (r: number): number => {
    if (r < 0) att.release();
    if (r === -EPIPE && s.connectionOriented && (flags & MSG_NOSIGNAL) === 0) sendToThread(c.sys, c.t, { signo: 13, code: 0, pid: c.p.pid, uid: 0 });
    return r;
  };
  const wait = (): typeof BLOCKED => (bytes.drop(), BLOCKED);
  return c.block(
    () => {
      for (;;) {
        // A waiting stream sender reads its bytes again only once the peer has room.
        const full = bytes.dropped && s.type === SOCK_STREAM && !s.pollOut();
        const chunk = full ? EMPTY : bytes.at(sent);
        const r = full ? -EAGAIN : s.send(chunk, att, dest);
        if (r === -EAGAIN) return wouldBlock(s, flags) || expired(c, deadline) ? finish(sent > 0 ? sent : r) : wait();
        if (r < 0) return finish(sent > 0 ? sent : r);
        sent += r;
        if (s.type !== SOCK_STREAM || sent >= bytes.total) return sent;
        // A window taken whole: the next one goes at once.
        if (r < chunk.length) return wouldBlock(s, flags) || expired(c, deadline) ? sent : wait();
      }
    },
    { deadline, interruptResult: -EINTR },
  );
}

function destination(c: Call, s: UnixSocket, addr: number, len: number): UnixSocket | null | number {
  if (addr === 0 || len === 0) return null;
  const a = readAddress(c, addr, len);
  if (typeof a === 'number') return a;
  if (s.connectionOriented) return s.state === 'connected' ? -EISCONN : -EOPNOTSUPP;
  return findSocket(c, a, s.type);
}

export const sendto: Syscall = (c) => {
  const s = socketOf(c);
  if (typeof s === 'number') return s;
  const total = Math.min(c.a[2], SEND_MAX);
  // A stream sender that will wait reads its bytes once there is room (Linux blocks for its buffer before the copy).
  const waits = s.type === SOCK_STREAM && total > 0 && !wouldBlock(s, c.int(3)) && !s.pollOut() && c.user.accessOk(c.a[1], total);
  const data = waits ? undefined : c.user.read(c.a[1], total);
  const dest = destination(c, s, c.a[4], c.int(5));
  if (typeof dest === 'number') return dest;
  const bytes = new SendBytes(data, total, (from, len) => c.user.read(c.a[1] + from, len), s.type === SOCK_STREAM);
  return sendData(c, s, bytes, new Ancillary([], credentials(c), s.local), dest, c.int(3));
};

export const sendmsg: Syscall = (c) => {
  const s = socketOf(c);
  if (typeof s === 'number') return s;
  const h = readMsgHeader(c, c.a[1]);
  if (typeof h === 'number') return h;
  const dest = destination(c, s, h.name, h.nameLen);
  if (typeof dest === 'number') return dest;
  const ctl = readControl(c, h.control, h.controlLen);
  if (typeof ctl === 'number') return ctl;
  // Root may send any credentials, but of a process that exists.
  if (ctl.creds && !c.sys.processes.has(ctl.creds.pid)) return -ESRCH;
  const files: OpenFile[] = [];
  for (const fd of ctl.fds) {
    const f = c.p.fds.get(fd);
    if (!f) {
      for (const g of files) g.release();
      return -EBADF;
    }
    files.push(f.retain());
  }
  const bytes = new SendBytes(gather(c, h.iov), 0, (from, len) => gatherRange(c, h.iov, from, len), s.type === SOCK_STREAM);
  return sendData(c, s, bytes, new Ancillary(files, ctl.creds ?? credentials(c), s.local), dest, c.int(2));
};

/** Receives into buf (recvfrom) or the iovecs (recvmsg); done writes what else the call reports. */
function receiveWith(c: Call, s: UnixSocket, max: number, flags: number, done: (m: SocketMessage) => number): SyscallResult {
  const peek = (flags & MSG_PEEK) !== 0;
  // MSG_WAITALL on a stream: keep reading until max bytes, end of file, or files that end a read.
  const waitAll = (flags & MSG_WAITALL) !== 0 && s.type === SOCK_STREAM && !peek;
  const parts: SocketMessage[] = [];
  let got = 0;
  const deadline = deadlineOf(c, s.recvTimeout);
  return c.block(
    () => {
      const r = s.receive(max - got, peek);
      if (typeof r === 'number') {
        if (r === -EAGAIN && !wouldBlock(s, flags) && !expired(c, deadline)) return BLOCKED;
        return got > 0 ? done(joined(parts)) : r;
      }
      if (!waitAll) return done(r);
      parts.push(r);
      got += r.data.length;
      if (got < max && r.data.length > 0 && r.files.length === 0 && !expired(c, deadline)) return BLOCKED;
      return done(joined(parts));
    },
    { deadline, interruptResult: -EINTR },
  );
}

/** The pieces of one MSG_WAITALL receive as one message. */
function joined(parts: readonly SocketMessage[]): SocketMessage {
  if (parts.length === 1) return parts[0];
  const data = new Uint8Array(Buffer.concat(parts.map((p) => p.data)));
  return { data, length: data.length, files: parts.flatMap((p) => p.files), creds: parts[0].creds, from: parts[0].from };
}

export const recvfrom: Syscall = (c) => {
  const s = socketOf(c);
  if (typeof s === 'number') return s;
  const flags = c.int(3);
  return receiveWith(c, s, c.size(2, 1 << 24), flags, (m) => {
    for (const f of m.files) f.release();
    c.user.write(c.a[1], m.data);
    if (c.a[4] !== 0) writeSender(c, c.a[4], c.a[5], m.from);
    return (flags & MSG_TRUNC) !== 0 && !s.connectionOriented ? m.length : m.data.length;
  });
};

export const recvmsg: Syscall = (c) => {
  const s = socketOf(c);
  if (typeof s === 'number') return s;
  const h = readMsgHeader(c, c.a[1]);
  if (typeof h === 'number') return h;
  const flags = c.int(2);
  const max = Math.min(h.iov.reduce((n, v) => n + v.len, 0), 1 << 24);
  return receiveWith(c, s, max, flags, (m) => {
    scatter(c, h.iov, m.data);
    if (h.name !== 0) writeSender(c, h.name, c.a[1] + 8, m.from);
    let outFlags = m.data.length < m.length && s.type !== SOCK_STREAM ? MSG_TRUNC : 0;
    const { used, truncated } = writeControl(c, s, h.control, h.controlLen, m, (flags & MSG_CMSG_CLOEXEC) !== 0);
    if (truncated) outFlags |= MSG_CTRUNC;
    c.user.write(c.a[1] + 40, encodeU64s([used]));
    putInt(c, c.a[1] + 48, outFlags);
    return (flags & MSG_TRUNC) !== 0 && !s.connectionOriented ? m.length : m.data.length;
  });
};

/** A receive's source address: as getsockname gives it, except that an unnamed sender has length 0. */
function writeSender(c: Call, addr: number, lenAddr: number, from: UnixAddress): void {
  if (from.kind === 'unnamed') putInt(c, lenAddr, 0);
  else writeAddress(c, addr, lenAddr, from);
}

/** recvmsg's control messages: credentials (SO_PASSCRED) first, then the passed files as new descriptors. */
function writeControl(c: Call, s: UnixSocket, addr: number, room: number, m: SocketMessage, cloexec: boolean): { used: number; truncated: boolean } {
  const parts: Uint8Array[] = [];
  let used = 0;
  let truncated = false;
  if (s.passCred) {
    const cm = controlMessage(SCM_CREDENTIALS, credentialBytes(m.creds ?? { pid: 0, uid: 65534, gid: 65534 }));
    if (addr !== 0 && room - used >= cm.len) {
      parts.push(cm.bytes.subarray(0, Math.min(cm.bytes.length, room - used)));
      used += Math.min(cm.bytes.length, room - used);
    } else truncated = true;
  }
  if (m.files.length > 0) {
    const fit = addr === 0 ? 0 : Math.max(0, Math.floor((room - used - CMSG_HEADER_SIZE) / 4));
    const fds: number[] = [];
    m.files.forEach((f, i) => {
      if (i < fit) {
        const fd = c.p.fds.add(f, cloexec);
        if (fd >= 0) fds.push(fd);
      } else f.release();
    });
    if (fit < m.files.length) truncated = true;
    if (fds.length > 0) {
      const data = new Uint8Array(4 * fds.length);
      fds.forEach((fd, i) => new DataView(data.buffer).setInt32(4 * i, fd, true));
      const cm = controlMessage(SCM_RIGHTS, data);
      const n = Math.min(cm.bytes.length, room - used);
      parts.push(cm.bytes.subarray(0, n));
      used += n;
    }
  }
  if (parts.length > 0) c.user.write(addr, new Uint8Array(Buffer.concat(parts)));
  return { used, truncated };
}

export const shutdown: Syscall = (c) => {
  const s = socketOf(c);
  if (typeof s === 'number') return s;
  const how = c.int(1);
  if (how < 0 || how > 2) return -EINVAL;
  s.shutdown(how);
  return 0;
};

