// ioctl on AF_INET and AF_INET6 sockets: FIONREAD (SIOCINQ), SIOCOUTQ,
// SIOCATMARK, and the interface queries programs make before they bind
// (SIOCGIFCONF, SIOCGIFFLAGS, SIOCGIFADDR). Interfaces are the host's IPv4
// ones as node's os.networkInterfaces() lists them, as qemu-user passes these
// calls to the host; nothing changes them (SIOCSIFFLAGS is EPERM).

import { networkInterfaces } from 'node:os';
import { InetSocket } from '../net/inet-socket';
import { EINVAL } from './errno';
import { putInt } from './socket-messages';
import type { Call } from './syscall-context';

const FIONREAD = 0x541b;
const SIOCOUTQ = 0x5411;
const SIOCATMARK = 0x8905;
const SIOCGIFCONF = 0x8912;
const SIOCGIFFLAGS = 0x8913;
const SIOCSIFFLAGS = 0x8914;
const SIOCGIFADDR = 0x8915;
const EPERM = 1;
const ENOTTY = 25;
const ENODEV = 19;
/** struct ifreq: a 16-byte name and a 24-byte union; struct ifconf: ifc_len, padding, a pointer. */
const IFREQ_SIZE = 40;
const IFNAMSIZ = 16;
const IFF_UP = 0x1;
const IFF_BROADCAST = 0x2;
const IFF_LOOPBACK = 0x8;
const IFF_RUNNING = 0x40;
const IFF_MULTICAST = 0x1000;

interface Interface {
  readonly name: string;
  readonly ip: number[];
  readonly loopback: boolean;
}

/** The host's interfaces with an IPv4 address, in the host's order. */
function interfaces(): Interface[] {
  const out: Interface[] = [];
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    const v4 = addrs?.find((a) => a.family === 'IPv4');
    if (v4) out.push({ name, ip: v4.address.split('.').map(Number), loopback: v4.internal });
  }
  return out;
}

/** One struct ifreq holding name and an AF_INET sockaddr. */
function ifreqWithAddress(i: Interface): Uint8Array {
  const b = new Uint8Array(IFREQ_SIZE);
  b.set(Buffer.from(i.name.slice(0, IFNAMSIZ - 1), 'latin1'));
  b[IFNAMSIZ] = 2; // AF_INET
  b.set(i.ip, IFNAMSIZ + 4);
  return b;
}

function interfaceNamed(c: Call, ifr: number): Interface | number {
  const raw = c.user.read(ifr, IFREQ_SIZE);
  const end = raw.indexOf(0);
  const name = Buffer.from(raw.subarray(0, end < 0 || end > IFNAMSIZ ? IFNAMSIZ : end)).toString('latin1');
  return interfaces().find((i) => i.name === name) ?? -ENODEV;
}

function ifconf(c: Call, arg: number): number {
  const head = c.user.read(arg, 16);
  const v = new DataView(head.buffer);
  const room = v.getInt32(0, true);
  const buf = v.getUint32(8, true) + v.getUint32(12, true) * 4294967296;
  const all = interfaces();
  if (buf === 0) {
    putInt(c, arg, all.length * IFREQ_SIZE);
    return 0;
  }
  const fit = all.slice(0, Math.max(0, Math.floor(room / IFREQ_SIZE)));
  fit.forEach((i, k) => c.user.write(buf + k * IFREQ_SIZE, ifreqWithAddress(i)));
  putInt(c, arg, fit.length * IFREQ_SIZE);
  return 0;
}

/** The ioctl's result for an InetSocket. */
export function inetIoctl(c: Call, s: InetSocket, req: number, arg: number): number {
  switch (req) {
    case FIONREAD: {
      const n = s.queued;
      if (n < 0) return n;
      putInt(c, arg, n);
      return 0;
    }
    case SIOCOUTQ:
      if (s.state === 'listening') return -EINVAL;
      putInt(c, arg, s.unsent);
      return 0;
    case SIOCATMARK:
      // No urgent data is ever queued (MSG_OOB is not carried), so never at the mark.
      // Linux: UDP has no such request (ENOTTY); a listener has no urgent pointer (EINVAL).
      if (!s.stream) return -ENOTTY;
      if (s.state === 'listening') return -EINVAL;
      putInt(c, arg, 0);
      return 0;
    case SIOCGIFCONF:
      return ifconf(c, arg);
    case SIOCGIFFLAGS:
    case SIOCGIFADDR: {
      const i = interfaceNamed(c, arg);
      if (typeof i === 'number') return i;
      if (req === SIOCGIFADDR) {
        c.user.write(arg + IFNAMSIZ, ifreqWithAddress(i).subarray(IFNAMSIZ));
        return 0;
      }
      const flags = i.loopback ? IFF_UP | IFF_LOOPBACK | IFF_RUNNING : IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST;
      c.user.write(arg + IFNAMSIZ, new Uint8Array([flags & 0xff, flags >> 8]));
      return 0;
    }
    case SIOCSIFFLAGS:
      c.user.read(arg, IFREQ_SIZE);
      return -EPERM;
    default:
      return -ENOTTY;
  }
}
