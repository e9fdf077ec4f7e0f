// The socket calls for AF_INET and AF_INET6 (TCP and UDP over the host's
// network, see kernel/net/). Each exported handler serves both families:
// a descriptor that is an InetSocket goes here, anything else to the AF_UNIX
// handler of sys-socket.ts.

import { HostNet } from '../net/host-net';
import { AF_INET, AF_INET6, ANY4, ANY6, decodeInet, encodeInet, isAny, SOCKADDR_IN6_MIN, SOCKADDR_IN_SIZE, type InetAddress } from '../net/inet-address';
import { InetSocket, IPPROTO_TCP, IPPROTO_UDP, SOCK_DGRAM, SOCK_STREAM } from '../net/inet-socket';
import { BLOCKED } from '../sched/thread';
import { O_CLOEXEC, O_NONBLOCK, O_PATH } from '../vfs/open-file';
import { EBADF, EINVAL } from './errno';
import { sendToThread } from './signal-delivery';
import { checkIov, gather, putInt, readMsgHeader, scatter } from './socket-messages';
import { gatherRange, SEND_MAX, SendBytes } from './send-bytes';
import * as unix from './sys-socket';
import { UnixSocket } from '../vfs/unix-socket';
import { Call, encodeU64s, type Syscall, type SyscallResult } from './syscall-context';

const AF_UNSPEC = 0;
const EACCES = 13;
const IPPROTO_UDPLITE = 136;
const SOCK_RAW = 3;
const EINTR = 4;
const EPERM = 1;
const EAGAIN = 11;
const EPIPE = 32;
const ENOTSOCK = 88;
const EPROTONOSUPPORT = 93;
const ESOCKTNOSUPPORT = 94;
const EOPNOTSUPP = 95;
const EAFNOSUPPORT = 97;
const ENOTCONN = 107;
const EINPROGRESS = 115;
const MSG_OOB = 1;
const MSG_PEEK = 2;
const MSG_TRUNC = 0x20;
const MSG_DONTWAIT = 0x40;
const MSG_WAITALL = 0x100;
const MSG_NOSIGNAL = 0x4000;
const MSG_MORE = 0x8000;
const MSG_ERRQUEUE = 0x2000;
const MSG_WAITFORONE = 0x10000;

/** The host network of each system, and the guest TCP sockets bound in it. */
const networks = new WeakMap<object, { net: HostNet; bound: Set<InetSocket> }>();

function network(c: Call): { net: HostNet; bound: Set<InetSocket> } {
  let n = networks.get(c.sys);
  if (!n) {
    n = { net: new HostNet(), bound: new Set() };
    networks.set(c.sys, n);
    c.sys.hostNet = n.net;
  }
  return n;
}

/** socket(AF_INET or AF_INET6, ...). */
function inetSocket(c: Call): SyscallResult {
  if (c.sys.options.network === false) return -EACCES;
  const v6 = c.int(0) === AF_INET6;
  const raw = c.int(1);
  if ((raw & ~(0xf | O_CLOEXEC | O_NONBLOCK)) !== 0) return -EINVAL;
  const type = raw & 0xf;
  const t = inetType(type, c.int(2));
  if (typeof t === 'number') return t;
  const { net, bound } = network(c);
  return c.p.fds.add(new InetSocket(net, bound, v6, type, t.protocol, raw & O_NONBLOCK), (raw & O_CLOEXEC) !== 0);
}

/** The protocol a socket of this type and protocol argument gets, or the errno socket(2) answers. */
function inetType(type: number, proto: number): { protocol: number } | number {
  // A raw socket names its protocol (0 matches none); salty has no raw sockets to give (EPERM, as to a user without CAP_NET_RAW).
  if (type === SOCK_RAW) return proto === 0 ? -EPROTONOSUPPORT : -EPERM;
  if (type !== SOCK_STREAM && type !== SOCK_DGRAM) return type === 5 || type === 4 || type === 10 ? -ESOCKTNOSUPPORT : -EINVAL;
  const want = type === SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
  // UDP-Lite (136) is carried as plain UDP by the host: guest peers see datagrams as UDP-Lite ones with full coverage.
  const udpLite = type === SOCK_DGRAM && proto === IPPROTO_UDPLITE;
  if (proto !== 0 && proto !== want && !udpLite) return -EPROTONOSUPPORT;
  return { protocol: udpLite ? proto : want };
}

export const socket: Syscall = (c) => (c.int(0) === AF_INET || c.int(0) === AF_INET6 ? inetSocket(c) : unix.socket(c));

/** A handler that serves InetSockets and leaves other descriptors to AF_UNIX's. */
function either(unixHandler: Syscall, inet: (c: Call, s: InetSocket) => SyscallResult): Syscall {
  return (c) => {
    const f = c.p.fds.get(c.int(0));
    if (f && (f.statusFlags & O_PATH) !== 0) return -EBADF;
    return f instanceof InetSocket ? inet(c, f) : unixHandler(c);
  };
}

/** The sockaddr at addr for socket s: an address, null for AF_UNSPEC when allowed, or a negative errno. */
function readInet(c: Call, s: InetSocket, addr: number, len: number, unspec: boolean): InetAddress | null | number {
  if (len < 0) return -EINVAL;
  if (unspec && len >= 2 && (c.user.read(addr, 2)[0] | (c.user.read(addr, 2)[1] << 8)) === AF_UNSPEC) return null;
  if (len < (s.v6 ? SOCKADDR_IN6_MIN : SOCKADDR_IN_SIZE)) return -EINVAL;
  const b = c.user.read(addr, Math.min(len, 128));
  const family = b[0] | (b[1] << 8);
  const a = decodeInet(b, s.v6);
  if (family === (s.v6 ? AF_INET6 : AF_INET)) return a;
  // bind(2) of AF_UNSPEC with INADDR_ANY on an IPv4 socket: taken as AF_INET for old programs.
  if (!s.v6 && family === AF_UNSPEC && isAny(a.ip)) return a;
  return -EAFNOSUPPORT;
}

/** Writes an address as getsockname does: truncated to *lenAddr, the whole length stored back. */
function writeInet(c: Call, addr: number, lenAddr: number, a: InetAddress): number {
  const room = new DataView(c.user.read(lenAddr, 4).buffer).getInt32(0, true);
  if (room < 0) return -EINVAL;
  const bytes = encodeInet(a);
  c.user.write(addr, bytes.subarray(0, Math.min(room, bytes.length)));
  putInt(c, lenAddr, bytes.length);
  return 0;
}

const nonBlocking = (s: InetSocket, flags = 0): boolean => (s.statusFlags & O_NONBLOCK) !== 0 || (flags & MSG_DONTWAIT) !== 0;
const deadlineOf = (c: Call, ms: number): number | undefined => (ms > 0 ? c.sys.now() + ms : undefined);
const expired = (c: Call, d: number | undefined): boolean => d !== undefined && c.sys.now() >= d;

/** net.ipv4.ip_unprivileged_port_start: lower ports need CAP_NET_BIND_SERVICE. */
const UNPRIVILEGED_PORT_START = 1024;
const CAP_NET_BIND_SERVICE = 10;

/** Whether the caller may bind a port below 1024 (the process's credentials, where it has them; root otherwise). */
function mayBindPrivileged(c: Call): boolean {
  const creds = (c.p as { creds?: { capable(cap: number): boolean } }).creds;
  return creds === undefined || creds.capable(CAP_NET_BIND_SERVICE);
}

export const bind = either(unix.bind, (c, s) => {
  const a = readInet(c, s, c.a[1], c.int(2), false);
  if (typeof a === 'number') return a;
  if (a!.port !== 0 && a!.port < UNPRIVILEGED_PORT_START && !mayBindPrivileged(c)) return -EACCES;
  return s.bind(a!);
});

export const listen = either(unix.listen, (c, s) => s.listen(c.int(1)));

export const connect = either(unix.connect, (c, s) => {
  const a = readInet(c, s, c.a[1], c.int(2), true);
  if (typeof a === 'number') return a;
  const r = s.connect(a);
  if (r !== -EINPROGRESS || nonBlocking(s)) return r;
  const deadline = deadlineOf(c, s.sendTimeout);
  return c.block(() => s.connectResult() ?? (expired(c, deadline) ? -EINPROGRESS : BLOCKED), { deadline, interruptResult: -EINTR });
});

function acceptWith(c: Call, s: InetSocket, flags: number): SyscallResult {
  if ((flags & ~(O_NONBLOCK | O_CLOEXEC)) !== 0) return -EINVAL;
  if (!s.stream) return -EOPNOTSUPP;
  const deadline = deadlineOf(c, s.recvTimeout);
  return c.block(
    () => {
      const r = s.accept();
      if (typeof r === 'number') return r === -EAGAIN && !nonBlocking(s) && !expired(c, deadline) ? BLOCKED : r;
      r.statusFlags |= flags & O_NONBLOCK;
      if (c.a[1] !== 0) {
        const w = writeInet(c, c.a[1], c.a[2], r.peer!);
        if (w < 0) {
          r.release();
          return w;
        }
      }
      const fd = c.p.fds.add(r, (flags & O_CLOEXEC) !== 0);
      if (fd < 0) r.release();
      return fd;
    },
    { deadline, interruptResult: -EINTR },
  );
}

export const accept = either(unix.accept, (c, s) => acceptWith(c, s, 0));
export const accept4 = either(unix.accept4, (c, s) => acceptWith(c, s, c.int(3)));

export const getsockname = either(unix.getsockname, (c, s) => writeInet(c, c.a[1], c.a[2], s.local ?? (s.v6 ? ANY6 : ANY4)));

export const getpeername = either(unix.getpeername, (c, s) => {
  if (!s.peer || (s.stream && s.state !== 'connected')) return -ENOTCONN;
  return writeInet(c, c.a[1], c.a[2], s.peer);
});

/** Sends data (all of it on a blocking stream), raising SIGPIPE for EPIPE unless MSG_NOSIGNAL. */
function sendData(c: Call, s: InetSocket, bytes: SendBytes, dest: InetAddress | null, flags: number): SyscallResult {
  if ((flags & MSG_OOB) !== 0 && !s.stream) return -EOPNOTSUPP;
  let sent = 0;
  const deadline = deadlineOf(c, s.sendTimeout);
  const finish = (r: number): number => {
    if (r === -EPIPE && s.stream && (flags & MSG_NOSIGNAL) === 0) sendToThread(c.sys, c.t, { signo: 13, code: 0, pid: c.p.pid, uid: 0 });
    return r;
  };
  const wait = (): typeof BLOCKED => (bytes.drop(), BLOCKED);
  return c.block(
    () => {
      for (;;) {
        const chunk = bytes.at(sent);
        const r = s.send(chunk, dest, (flags & MSG_MORE) !== 0);
        if (r === -EAGAIN) return nonBlocking(s, flags) || expired(c, deadline) ? finish(sent > 0 ? sent : r) : wait();
        if (r < 0) return finish(sent > 0 ? sent : r);
        sent += r;
        if (!s.stream || sent >= bytes.total) return sent;
        // A window taken whole: the next one goes at once.
        if (r < chunk.length) return nonBlocking(s, flags) || expired(c, deadline) ? sent : wait();
      }
    },
    { deadline, interruptResult: -EINTR },
  );
}

function destination(c: Call, s: InetSocket, addr: number, len: number): InetAddress | null | number {
  if (addr === 0 || s.stream) return null;
  const a = readInet(c, s, addr, len, false);
  return a;
}

export const sendto = either(unix.sendto, (c, s) => {
  const data = c.user.read(c.a[1], Math.min(c.a[2], SEND_MAX));
  const dest = destination(c, s, c.a[4], c.int(5));
  if (typeof dest === 'number') return dest;
  return sendData(c, s, new SendBytes(data, 0, (from, len) => c.user.read(c.a[1] + from, len), s.stream), dest, c.int(3));
});

export const sendmsg = either(unix.sendmsg, (c, s) => {
  const h = readMsgHeader(c, c.a[1]);
  if (typeof h === 'number') return h;
  if (h.nameLen < 0) return -EINVAL;
  const dest = destination(c, s, h.name, h.nameLen);
  if (typeof dest === 'number') return dest;
  return sendData(c, s, new SendBytes(gather(c, h.iov), 0, (from, len) => gatherRange(c, h.iov, from, len), s.stream), dest, c.int(2));
});

type Message = { data: Uint8Array; length: number; from: InetAddress | null };

/** Receives up to max bytes; done writes the results the call reports. */
function receiveWith(c: Call, s: InetSocket, max: number, flags: number, done: (m: Message) => number): SyscallResult {
  if ((flags & MSG_ERRQUEUE) !== 0) return -EAGAIN;
  if ((flags & MSG_OOB) !== 0) return s.stream ? -EINVAL : -EOPNOTSUPP;
  const peek = (flags & MSG_PEEK) !== 0;
  const waitAll = (flags & MSG_WAITALL) !== 0 && s.stream && !peek;
  const parts: Uint8Array[] = [];
  let got = 0;
  const deadline = deadlineOf(c, s.recvTimeout);
  const joined = (): Message => ({ data: new Uint8Array(Buffer.concat(parts)), length: got, from: s.peer });
  return c.block(
    () => {
      const r = s.receive(max - got, peek);
      if (typeof r === 'number') {
        if (r === -EAGAIN && !nonBlocking(s, flags) && !expired(c, deadline)) return BLOCKED;
        return got > 0 ? done(joined()) : r;
      }
      if (!waitAll) return done(r);
      parts.push(r.data);
      got += r.data.length;
      if (got < max && r.data.length > 0 && !expired(c, deadline)) return BLOCKED;
      return done(joined());
    },
    { deadline, interruptResult: -EINTR },
  );
}

/** The sender of a datagram, written where the call asked; a stream reports no address (length 0). EINVAL for a negative *lenAddr. */
function writeSender(c: Call, s: InetSocket, addr: number, lenAddr: number, from: InetAddress | null): number {
  if (addr === 0) return 0;
  if (new DataView(c.user.read(lenAddr, 4).buffer).getInt32(0, true) < 0) return -EINVAL;
  if (s.stream || !from) putInt(c, lenAddr, 0);
  else return writeInet(c, addr, lenAddr, from);
  return 0;
}

export const recvfrom = either(unix.recvfrom, (c, s) => {
  const flags = c.int(3);
  return receiveWith(c, s, Math.min(c.a[2], 1 << 24), flags, (m) => {
    c.user.write(c.a[1], m.data);
    const w = writeSender(c, s, c.a[4], c.a[5], m.from);
    if (w < 0) return w;
    return (flags & MSG_TRUNC) !== 0 && !s.stream ? m.length : m.data.length;
  });
});

export const recvmsg = either(unix.recvmsg, (c, s) => recvmsgAt(c, s, c.a[1], c.int(2)));

function recvmsgAt(c: Call, s: InetSocket, msgAddr: number, flags: number): SyscallResult {
  const h = readMsgHeader(c, msgAddr);
  if (typeof h === 'number') return h;
  if (h.nameLen < 0) return -EINVAL;
  checkIov(h.iov);
  const max = Math.min(h.iov.reduce((n, v) => n + v.len, 0), 1 << 24);
  return receiveWith(c, s, max, flags, (m) => {
    scatter(c, h.iov, m.data);
    if (h.name !== 0) {
      if (s.stream || !m.from) putInt(c, msgAddr + 8, 0);
      else {
        const bytes = encodeInet(m.from);
        c.user.write(h.name, bytes.subarray(0, Math.min(Math.max(h.nameLen, 0), bytes.length)));
        putInt(c, msgAddr + 8, bytes.length);
      }
    }
    c.user.write(msgAddr + 40, encodeU64s([0]));
    putInt(c, msgAddr + 48, m.data.length < m.length && !s.stream ? MSG_TRUNC : 0);
    return (flags & MSG_TRUNC) !== 0 && !s.stream ? m.length : m.data.length;
  });
}

export const shutdown = either(unix.shutdown, (c, s) => {
  const how = c.int(1);
  if (how < 0 || how > 2) return -EINVAL;
  return s.shutdown(how);
});

// sendmmsg and recvmmsg: struct mmsghdr is a msghdr (56 bytes) and msg_len (4), padded to 64.
const MMSG = 64;
const UIO_MAXIOV = 1024;

/** A Call for one message of an mmsg call: the same thread, the single-message arguments. */
const single = (c: Call, args: number[]): Call => new Call(c.sys, c.t, args);

export const sendmmsg: Syscall = (c) => {
  const f = c.p.fds.get(c.int(0));
  if (!f) return -EBADF;
  if (!(f instanceof InetSocket) && !(f instanceof UnixSocket)) return -ENOTSOCK;
  const vlen = Math.min(c.u32(2), UIO_MAXIOV);
  const flags = c.int(3);
  const at = (i: number): number => c.a[1] + i * MMSG;
  let done = 0;
  const step = (): number | typeof BLOCKED => {
    for (; done < vlen; done++) {
      const r = sendmsg(single(c, [c.a[0], at(done), flags | MSG_DONTWAIT]));
      if (typeof r !== 'number') return done;
      if (r < 0) {
        if (done > 0) return done;
        if (r === -EAGAIN && (f.statusFlags & O_NONBLOCK) === 0 && (flags & MSG_DONTWAIT) === 0) return BLOCKED;
        return r;
      }
      putInt(c, at(done) + 56, r);
    }
    return done;
  };
  return c.block(step, { interruptResult: -EINTR });
};

export const recvmmsg: Syscall = (c) => {
  const f = c.p.fds.get(c.int(0));
  if (!f) return -EBADF;
  if (!(f instanceof InetSocket) && !(f instanceof UnixSocket)) return -ENOTSOCK;
  const vlen = Math.min(c.u32(2), UIO_MAXIOV);
  const flags = c.int(3);
  if (c.a[4] !== 0) {
    const [sec, nsec] = c.words(c.a[4], 2);
    if (sec >= 2 ** 63 || nsec >= 1e9) return -EINVAL;
  }
  const timeout = c.timespecMs(c.a[4]);
  const deadline = timeout === null ? undefined : c.sys.now() + timeout;
  const blocking = (f.statusFlags & O_NONBLOCK) === 0 && (flags & MSG_DONTWAIT) === 0;
  const at = (i: number): number => c.a[1] + i * MMSG;
  let done = 0;
  const step = (): number | typeof BLOCKED => {
    for (; done < vlen; done++) {
      const r = recvmsg(single(c, [c.a[0], at(done), (flags & ~MSG_WAITFORONE) | MSG_DONTWAIT]));
      if (typeof r !== 'number') return done;
      if (r < 0) {
        if (r !== -EAGAIN) return done > 0 ? done : r;
        const more = blocking && (done === 0 || (flags & MSG_WAITFORONE) === 0) && !expired(c, deadline);
        return more ? BLOCKED : done > 0 ? done : r;
      }
      putInt(c, at(done) + 56, r);
    }
    return done;
  };
  return c.block(step, { deadline, interruptResult: -EINTR });
};

/** socketpair(2) is AF_UNIX's alone: AF_INET answers EOPNOTSUPP, after the type and protocol checks socket(2) makes. */
export const socketpair: Syscall = (c) => {
  const r = unix.socketpair(c);
  if (r !== -EOPNOTSUPP || (c.int(0) !== AF_INET && c.int(0) !== AF_INET6)) return r;
  const t = inetType(c.int(1) & 0xf, c.int(2));
  return typeof t === 'number' ? t : r;
};
