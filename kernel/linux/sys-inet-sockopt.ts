// getsockopt and setsockopt for AF_INET and AF_INET6 sockets: SOL_SOCKET,
// IPPROTO_TCP, IPPROTO_IP, IPPROTO_IPV6 and IPPROTO_UDP. The options that
// change what the host does (TCP_NODELAY, SO_KEEPALIVE, SO_BROADCAST) are
// passed on; the rest read back as set, from Linux's defaults. Unknown
// options are ENOPROTOOPT, as Linux answers.

import { InetSocket } from '../net/inet-socket';
import { EINVAL } from './errno';
import { putInt } from './socket-messages';
import * as unixOpts from './sys-sockopt';
import { encodeU64s, type Call, type Syscall } from './syscall-context';

const SOL_SOCKET = 1;
const IPPROTO_IP = 0;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_IPV6 = 41;
const ENOPROTOOPT = 92;
const EOPNOTSUPP = 95;
const EDOM = 33;
/** net.core.wmem_max and rmem_max. */
const BUF_MAX = 212992;
const MIN_SNDBUF = 4608;
const MIN_RCVBUF = 2304;

const SO = {
  DEBUG: 1, REUSEADDR: 2, TYPE: 3, ERROR: 4, DONTROUTE: 5, BROADCAST: 6, SNDBUF: 7, RCVBUF: 8, KEEPALIVE: 9, OOBINLINE: 10, NO_CHECK: 11, PRIORITY: 12,
  LINGER: 13, REUSEPORT: 15, PASSCRED: 16, RCVLOWAT: 18, SNDLOWAT: 19, RCVTIMEO: 20, SNDTIMEO: 21, TIMESTAMP: 29, ACCEPTCONN: 30, SNDBUFFORCE: 32,
  RCVBUFFORCE: 33, PROTOCOL: 38, DOMAIN: 39,
};
const TCP_NODELAY = 1;
const IPV6_V6ONLY = 26;

/** Plain int options each level keeps, with Linux's value for a new socket. */
const DEFAULTS: Record<number, Record<number, number>> = {
  [SOL_SOCKET]: { [SO.DEBUG]: 0, [SO.DONTROUTE]: 0, [SO.BROADCAST]: 0, [SO.KEEPALIVE]: 0, [SO.OOBINLINE]: 0, [SO.NO_CHECK]: 0, [SO.PRIORITY]: 0, [SO.PASSCRED]: 0, [SO.RCVLOWAT]: 1, [SO.TIMESTAMP]: 0 },
  // TCP_NODELAY, TCP_MAXSEG, TCP_CORK, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_SYNCNT, TCP_LINGER2, TCP_DEFER_ACCEPT, TCP_WINDOW_CLAMP, TCP_QUICKACK, TCP_USER_TIMEOUT.
  [IPPROTO_TCP]: { 1: 0, 2: 536, 3: 0, 4: 7200, 5: 75, 6: 9, 7: 6, 8: 60, 9: 0, 10: 0, 12: 1, 18: 0 },
  // IP_TOS, IP_TTL, IP_HDRINCL, IP_RECVERR, IP_MTU_DISCOVER, IP_MULTICAST_TTL, IP_MULTICAST_LOOP, IP_PKTINFO, IP_RECVTTL, IP_RECVTOS, IP_FREEBIND.
  [IPPROTO_IP]: { 1: 0, 2: 64, 3: 0, 11: 0, 10: 1, 33: 1, 34: 1, 8: 0, 12: 0, 13: 0, 15: 0 },
  // IPV6_UNICAST_HOPS, IPV6_MULTICAST_HOPS, IPV6_MULTICAST_LOOP, IPV6_RECVPKTINFO, IPV6_TCLASS, IPV6_RECVERR.
  [IPPROTO_IPV6]: { 16: 64, 18: 1, 19: 1, 49: 0, 67: 0, 25: 0 },
  // UDP_CORK, UDP_SEGMENT, UDP_GRO.
  [IPPROTO_UDP]: { 1: 0, 103: 0, 104: 0 },
};

/** A level this socket answers at all (TCP's level on a UDP socket, IPv6's on an IPv4 one, do not). */
function levelOk(s: InetSocket, level: number): boolean {
  if (level === IPPROTO_TCP) return s.stream;
  if (level === IPPROTO_UDP) return !s.stream;
  if (level === IPPROTO_IPV6) return s.v6;
  return level === SOL_SOCKET || level === IPPROTO_IP;
}

function intBytes(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, true);
  return b;
}

/** struct timeval of a timeout in ms. */
function timeval(ms: number): Uint8Array {
  const sec = Math.floor(ms / 1000);
  return encodeU64s([sec, Math.round((ms - sec * 1000) * 1000)]);
}

/** The option's bytes, or a negative errno. */
function optionBytes(s: InetSocket, level: number, name: number): Uint8Array | number {
  if (level === SOL_SOCKET) {
    switch (name) {
      case SO.TYPE: return intBytes(s.type);
      case SO.ERROR: return intBytes(s.takeError());
      case SO.SNDBUF: return intBytes(s.sndbuf);
      case SO.RCVBUF: return intBytes(s.rcvbuf);
      case SO.REUSEADDR: return intBytes(s.reuseAddr ? 1 : 0);
      case SO.REUSEPORT: return intBytes(s.reusePort ? 1 : 0);
      case SO.ACCEPTCONN: return intBytes(s.state === 'listening' ? 1 : 0);
      case SO.PROTOCOL: return intBytes(s.protocol);
      case SO.DOMAIN: return intBytes(s.v6 ? 10 : 2);
      case SO.SNDLOWAT: return intBytes(1);
      case SO.LINGER: return new Uint8Array([...intBytes(s.linger.on ? 1 : 0), ...intBytes(s.linger.seconds)]);
      case SO.RCVTIMEO: return timeval(s.recvTimeout);
      case SO.SNDTIMEO: return timeval(s.sendTimeout);
    }
  }
  if (level === IPPROTO_IPV6 && name === IPV6_V6ONLY && s.v6) return intBytes(s.v6only ? 1 : 0);
  if (!levelOk(s, level)) return -EOPNOTSUPP;
  const dflt = DEFAULTS[level]?.[name];
  if (dflt === undefined) return -ENOPROTOOPT;
  return intBytes(s.stored.get(`${level}:${name}`) ?? dflt);
}

function inetGetsockopt(c: Call, s: InetSocket): number {
  const lenAddr = c.a[4];
  const room = new DataView(c.user.read(lenAddr, 4).buffer).getInt32(0, true);
  if (room < 0) return -EINVAL;
  const bytes = optionBytes(s, c.int(1), c.int(2));
  if (typeof bytes === 'number') return bytes;
  const n = Math.min(room, bytes.length);
  c.user.write(c.a[3], bytes.subarray(0, n));
  putInt(c, lenAddr, n);
  return 0;
}

/** SO_RCVTIMEO/SO_SNDTIMEO's struct timeval in ms (0: for ever); EINVAL when short, EDOM for tv_usec out of range. */
function timeoutMs(c: Call): number {
  if (c.int(4) < 16) return -EINVAL;
  const [secWord, usecWord] = c.words(c.a[3], 2);
  const sec = secWord >= 2 ** 63 ? secWord - 2 ** 64 : secWord;
  const usec = usecWord >= 2 ** 63 ? usecWord - 2 ** 64 : usecWord;
  if (usec < 0 || usec >= 1_000_000) return -EDOM;
  if (sec < 0) return 0;
  const ms = sec * 1000 + usec / 1000;
  return ms > 0 && ms < 1 ? 1 : ms;
}

const bufSize = (v: number, min: number): number => Math.max(Math.min(v >>> 0, BUF_MAX) * 2, min);

function setSocketLevel(c: Call, s: InetSocket, name: number, v: number): number | null {
  switch (name) {
    case SO.REUSEADDR: s.reuseAddr = v !== 0; return 0;
    case SO.REUSEPORT: s.reusePort = v !== 0; return 0;
    case SO.SNDBUF: case SO.SNDBUFFORCE: s.sndbuf = bufSize(v, MIN_SNDBUF); return 0;
    case SO.RCVBUF: case SO.RCVBUFFORCE: s.rcvbuf = bufSize(v, MIN_RCVBUF); return 0;
    case SO.KEEPALIVE: c.sys.hostNet?.post('option', { id: s.id, name: 'keepalive', on: v !== 0 }); return null;
    case SO.BROADCAST: c.sys.hostNet?.post('option', { id: s.id, name: 'broadcast', on: v !== 0 }); return null;
    case SO.RCVLOWAT: s.stored.set(`${SOL_SOCKET}:${name}`, v <= 0 ? 1 : v); return 0;
    case SO.TYPE: case SO.ERROR: case SO.ACCEPTCONN: case SO.PROTOCOL: case SO.DOMAIN: case SO.SNDLOWAT:
      return -ENOPROTOOPT;
  }
  return null;
}

function inetSetsockopt(c: Call, s: InetSocket): number {
  const level = c.int(1);
  const name = c.int(2);
  if (level === SOL_SOCKET && (name === SO.RCVTIMEO || name === SO.SNDTIMEO)) {
    const ms = timeoutMs(c);
    if (ms < 0) return ms;
    if (name === SO.RCVTIMEO) s.recvTimeout = ms;
    else s.sendTimeout = ms;
    return 0;
  }
  if (level === SOL_SOCKET && name === SO.LINGER) {
    if (c.int(4) < 8) return -EINVAL;
    const v = new DataView(c.user.read(c.a[3], 8).buffer);
    s.linger = { on: v.getInt32(0, true) !== 0, seconds: Math.max(0, v.getInt32(4, true)) };
    return 0;
  }
  // Linux's set side answers ENOPROTOOPT for a level the socket lacks (the get side EOPNOTSUPP).
  if (!levelOk(s, level)) return -ENOPROTOOPT;
  if (c.int(4) < 4) return -EINVAL;
  const v = new DataView(c.user.read(c.a[3], 4).buffer).getInt32(0, true);
  if (level === SOL_SOCKET) {
    const r = setSocketLevel(c, s, name, v);
    if (r !== null) return r;
  }
  if (level === IPPROTO_IPV6 && name === IPV6_V6ONLY && s.v6) {
    if (s.local) return -EINVAL;
    s.v6only = v !== 0;
    return 0;
  }
  if (DEFAULTS[level]?.[name] === undefined) return -ENOPROTOOPT;
  if (level === IPPROTO_TCP && name === TCP_NODELAY) c.sys.hostNet?.post('option', { id: s.id, name: 'nodelay', on: v !== 0 });
  s.stored.set(`${level}:${name}`, level === SOL_SOCKET || (level === IPPROTO_TCP && name === TCP_NODELAY) ? (v !== 0 ? 1 : 0) : v);
  return 0;
}

export const getsockopt: Syscall = (c) => {
  const f = c.p.fds.get(c.int(0));
  return f instanceof InetSocket ? inetGetsockopt(c, f) : unixOpts.getsockopt(c);
};

export const setsockopt: Syscall = (c) => {
  const f = c.p.fds.get(c.int(0));
  return f instanceof InetSocket ? inetSetsockopt(c, f) : unixOpts.setsockopt(c);
};
