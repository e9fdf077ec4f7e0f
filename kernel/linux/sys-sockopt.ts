// getsockopt and setsockopt at SOL_SOCKET for AF_UNIX sockets: the options
// a program asks about (SO_TYPE, SO_ERROR, buffer sizes, credentials passing,
// SO_PEERCRED, ...). Other levels are EOPNOTSUPP, as for AF_UNIX on Linux;
// options salty does not keep are ENOPROTOOPT.

import type { UnixSocket } from '../vfs/unix-socket';
import { EINVAL } from './errno';
import { credentialBytes, putInt } from './socket-messages';
import { socketOf } from './sys-socket';
import { encodeU64s, type Call, type Syscall } from './syscall-context';

const SOL_SOCKET = 1;
const SO_REUSEADDR = 2;
const SO_TYPE = 3;
const SO_ERROR = 4;
const SO_BROADCAST = 6;
const SO_SNDBUF = 7;
const SO_RCVBUF = 8;
const SO_KEEPALIVE = 9;
const SO_PASSCRED = 16;
const SO_PEERCRED = 17;
const SO_RCVTIMEO = 20;
const SO_SNDTIMEO = 21;
const SO_ACCEPTCONN = 30;
const SO_PROTOCOL = 38;
const SO_DOMAIN = 39;
const EOPNOTSUPP = 95;
const EDOM = 33;
const ENOPROTOOPT = 92;
/** net.core.wmem_max and rmem_max. */
const BUF_MAX = 212992;
/** SOCK_MIN_SNDBUF and SOCK_MIN_RCVBUF on a 64-bit kernel (2 KiB plus an aligned sk_buff, twice for sends). */
const MIN_SNDBUF = 4608;
const MIN_RCVBUF = 2304;

/** Flags Linux stores for every socket though AF_UNIX never looks at them. */
const stored = new WeakMap<UnixSocket, Map<number, number>>();

function storedFlags(s: UnixSocket): Map<number, number> {
  let m = stored.get(s);
  if (!m) stored.set(s, (m = new Map()));
  return m;
}

/** An int option's value, or null when this socket has no such option. */
function intOption(s: UnixSocket, name: number): number | null {
  switch (name) {
    case SO_TYPE: return s.type;
    case SO_ERROR: return 0;
    case SO_SNDBUF: return s.sndbuf;
    case SO_RCVBUF: return s.rcvbuf;
    case SO_PASSCRED: return s.passCred ? 1 : 0;
    case SO_ACCEPTCONN: return s.state === 'listening' ? 1 : 0;
    case SO_PROTOCOL: return 0;
    case SO_DOMAIN: return 1;
    case SO_REUSEADDR:
    case SO_KEEPALIVE:
    case SO_BROADCAST:
      return storedFlags(s).get(name) ?? 0;
    default: return null;
  }
}

export const getsockopt: Syscall = (c) => {
  const s = socketOf(c);
  if (typeof s === 'number') return s;
  if (c.int(1) !== SOL_SOCKET) return -EOPNOTSUPP;
  const name = c.int(2);
  const lenAddr = c.a[4];
  const room = new DataView(c.user.read(lenAddr, 4).buffer).getInt32(0, true);
  if (room < 0) return -EINVAL;
  let bytes: Uint8Array;
  if (name === SO_RCVTIMEO || name === SO_SNDTIMEO) {
    bytes = timeval(name === SO_RCVTIMEO ? s.recvTimeout : s.sendTimeout);
  } else if (name === SO_PEERCRED) {
    bytes = credentialBytes(s.peerCred ?? { pid: 0, uid: -1, gid: -1 });
  } else {
    const v = intOption(s, name);
    if (v === null) return -ENOPROTOOPT;
    bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setInt32(0, v, true);
  }
  const n = Math.min(room, bytes.length);
  c.user.write(c.a[3], bytes.subarray(0, n));
  putInt(c, lenAddr, n);
  return 0;
};

const READ_ONLY = new Set([SO_TYPE, SO_ERROR, SO_ACCEPTCONN, SO_PROTOCOL, SO_DOMAIN]);

/** struct timeval { tv_sec, tv_usec } of a timeout in milliseconds. */
function timeval(ms: number): Uint8Array {
  const sec = Math.floor(ms / 1000);
  return encodeU64s([sec, Math.round((ms - sec * 1000) * 1000)]);
}

/** SO_RCVTIMEO/SO_SNDTIMEO's struct timeval in milliseconds (0: wait for ever, also for a negative time); EINVAL when short, EDOM for tv_usec out of range. */
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

function readInt(c: Call): number | null {
  if (c.int(4) < 4) return null;
  return new DataView(c.user.read(c.a[3], 4).buffer).getInt32(0, true);
}

export const setsockopt: Syscall = (c) => {
  const s = socketOf(c);
  if (typeof s === 'number') return s;
  if (c.int(1) !== SOL_SOCKET) return -EOPNOTSUPP;
  const name = c.int(2);
  if (name === SO_RCVTIMEO || name === SO_SNDTIMEO) {
    const ms = timeoutMs(c);
    if (ms < 0) return ms;
    if (name === SO_RCVTIMEO) s.recvTimeout = ms;
    else s.sendTimeout = ms;
    return 0;
  }
  if (intOption(s, name) === null || READ_ONLY.has(name)) return -ENOPROTOOPT;
  const v = readInt(c);
  if (v === null) return -EINVAL;
  switch (name) {
    case SO_SNDBUF:
      // Reported as Linux reports it; the queues keep their 212992 bytes.
      s.sndbuf = Math.max(Math.min(v >>> 0, BUF_MAX) * 2, MIN_SNDBUF);
      return 0;
    case SO_RCVBUF:
      s.rcvbuf = Math.max(Math.min(v >>> 0, BUF_MAX) * 2, MIN_RCVBUF);
      return 0;
    case SO_PASSCRED:
      s.passCred = v !== 0;
      return 0;
    default:
      storedFlags(s).set(name, v !== 0 ? 1 : 0);
      return 0;
  }
};

