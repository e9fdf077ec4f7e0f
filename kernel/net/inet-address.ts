// IPv4 and IPv6 socket addresses: sockaddr_in (16 bytes) and sockaddr_in6
// (28 bytes) in guest memory, and the address strings Node's sockets use.
// Ports are big-endian in memory; everything else is the guest's little-endian.

export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCKADDR_IN_SIZE = 16;
export const SOCKADDR_IN6_SIZE = 28;
/** The RFC 2133 sockaddr_in6 without sin6_scope_id: the least Linux takes. */
export const SOCKADDR_IN6_MIN = 24;

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address and a port. */
export interface InetAddress {
  readonly ip: Uint8Array;
  readonly port: number;
  readonly flowinfo?: number;
  readonly scope?: number;
}

export const ANY4: InetAddress = { ip: new Uint8Array(4), port: 0 };
export const ANY6: InetAddress = { ip: new Uint8Array(16), port: 0 };

/** Decodes a sockaddr_in or sockaddr_in6 (the family already checked) of len bytes. */
export function decodeInet(b: Uint8Array, v6: boolean): InetAddress {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const port = v.getUint16(2, false);
  if (!v6) return { ip: b.slice(4, 8), port };
  return { ip: b.slice(8, 24), port, flowinfo: v.getUint32(4, true), scope: b.length >= 28 ? v.getUint32(24, true) : 0 };
}

export function encodeInet(a: InetAddress): Uint8Array {
  const v6 = a.ip.length === 16;
  const out = new Uint8Array(v6 ? SOCKADDR_IN6_SIZE : SOCKADDR_IN_SIZE);
  const v = new DataView(out.buffer);
  v.setUint16(0, v6 ? AF_INET6 : AF_INET, true);
  v.setUint16(2, a.port, false);
  if (v6) {
    v.setUint32(4, a.flowinfo ?? 0, true);
    out.set(a.ip, 8);
    v.setUint32(24, a.scope ?? 0, true);
  } else {
    out.set(a.ip, 4);
  }
  return out;
}

/** The address as Node takes it: dotted quad, or eight hex groups. */
export function hostString(ip: Uint8Array): string {
  if (ip.length === 4) return ip.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip[i] << 8) | ip[i + 1]).toString(16));
  return groups.join(':');
}

function parseIPv4(s: string): Uint8Array | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const n = Number(parts[i]);
    if (!/^\d{1,3}$/.test(parts[i]) || n > 255) return null;
    out[i] = n;
  }
  return out;
}

/** Node's spelling of an address back to bytes (v6 wants 16 bytes: an IPv4 one becomes ::ffff:a.b.c.d). */
export function parseHost(s: string, v6: boolean): Uint8Array {
  const four = parseIPv4(s);
  if (four) {
    if (!v6) return four;
    const out = new Uint8Array(16);
    out[10] = out[11] = 0xff;
    out.set(four, 12);
    return out;
  }
  const bytes = parseIPv6(s.replace(/%.*$/, ''));
  if (v6) return bytes;
  return bytes.slice(12, 16);
}

function parseIPv6(s: string): Uint8Array {
  const out = new Uint8Array(16);
  const [head, tail] = s.includes('::') ? s.split('::') : [s, null];
  const groups = (part: string): number[] => {
    const words: number[] = [];
    for (const g of part.split(':').filter((x) => x !== '')) {
      const four = parseIPv4(g);
      if (four) words.push((four[0] << 8) | four[1], (four[2] << 8) | four[3]);
      else words.push(parseInt(g, 16) & 0xffff);
    }
    return words;
  };
  const front = groups(head);
  const back = tail === null ? [] : groups(tail);
  const words = [...front, ...new Array<number>(Math.max(0, 8 - front.length - back.length)).fill(0), ...back].slice(0, 8);
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

export const isAny = (ip: Uint8Array): boolean => ip.every((b) => b === 0);

/** An IPv6 address that carries an IPv4 one (::ffff:a.b.c.d). */
export const isV4Mapped = (ip: Uint8Array): boolean => ip.length === 16 && ip.subarray(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff;

export function sameIp(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
