// A few answers of QEMU's user-mode network (slirp) for the NIC, with no host
// traffic: the virtual network 10.0.2.0/24 whose gateway and host is 10.0.2.2
// (DNS 10.0.2.3). It answers ARP for those two addresses (with slirp's MACs,
// 52:55 followed by the address), DHCP (offer and acknowledge 10.0.2.15 with
// slirp's mask, router, DNS and one-day lease), ICMP echo to 10.0.2.2, and a
// TFTP read request with slirp's error when no -tftp directory is given
// (2, "Access violation"). Everything else the guest sends is dropped: there
// is no route out, no DNS answer, no TCP.

const GUEST = [10, 0, 2, 15];
const HOST = [10, 0, 2, 2];
const DNS = [10, 0, 2, 3];
const NETMASK = [255, 255, 255, 0];
const BROADCAST_MAC = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
const LEASE_SECONDS = 86400;
const DHCP_MAGIC = [99, 130, 83, 99];

const slirpMac = (ip: readonly number[]) => [0x52, 0x55, ...ip];
const sameIp = (a: Uint8Array, at: number, ip: readonly number[]) => ip.every((b, i) => a[at + i] === b);

/** The ones'-complement sum used by IP, ICMP and UDP. */
function checksum(b: Uint8Array, from: number, to: number, initial = 0): number {
  let sum = initial;
  for (let i = from; i < to; i += 2) sum += (b[i] << 8) | (i + 1 < to ? b[i + 1] : 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

const put16 = (b: Uint8Array, at: number, v: number) => {
  b[at] = v >>> 8;
  b[at + 1] = v & 0xff;
};

export class UserNetwork {
  /** `send` delivers a frame to the guest. */
  constructor(private readonly send: (frame: Uint8Array) => void) {}

  /** A frame the guest transmitted (Ethernet header first). */
  receive(f: Uint8Array): void {
    if (f.length < 14) return;
    const type = (f[12] << 8) | f[13];
    if (type === 0x0806) this.arp(f);
    else if (type === 0x0800) this.ipv4(f);
  }

  private arp(f: Uint8Array): void {
    // Ethernet/IPv4 request for one of slirp's addresses.
    if (f.length < 42 || f[20] !== 0 || f[21] !== 1) return;
    const target = sameIp(f, 38, HOST) ? HOST : sameIp(f, 38, DNS) ? DNS : undefined;
    if (target === undefined) return;
    const r = new Uint8Array(42);
    r.set(f.subarray(6, 12), 0);
    r.set(slirpMac(target), 6);
    r.set([0x08, 0x06, 0, 1, 0x08, 0x00, 6, 4, 0, 2], 12);
    r.set(slirpMac(target), 22);
    r.set(target, 28);
    r.set(f.subarray(22, 32), 32); // the asker's MAC and IP
    this.send(r);
  }

  private ipv4(f: Uint8Array): void {
    const ihl = (f[14] & 0xf) * 4;
    if ((f[14] >>> 4) !== 4 || ihl < 20 || f.length < 14 + ihl) return;
    const total = Math.min((f[16] << 8) | f[17], f.length - 14);
    const proto = f[23];
    const l4 = 14 + ihl;
    const end = 14 + total;
    if (proto === 1 && sameIp(f, 30, HOST) && f[l4] === 8) return this.echoReply(f, l4, end);
    if (proto !== 17 || end < l4 + 8) return;
    const dport = (f[l4 + 2] << 8) | f[l4 + 3];
    const sport = (f[l4] << 8) | f[l4 + 1];
    const data = f.subarray(l4 + 8, end);
    if (dport === 67) this.dhcp(f, data);
    else if (dport === 69 && sameIp(f, 30, HOST) && data.length >= 2 && data[1] === 1) {
      const err = new TextEncoder().encode('Access violation');
      const p = new Uint8Array(4 + err.length + 1);
      p.set([0, 5, 0, 2], 0);
      p.set(err, 4);
      this.udp(f.subarray(6, 12), HOST, 69, f.subarray(26, 30), sport, p);
    }
  }

  private echoReply(f: Uint8Array, l4: number, end: number): void {
    const icmp = Uint8Array.from(f.subarray(l4, end));
    icmp[0] = 0;
    put16(icmp, 2, 0);
    put16(icmp, 2, checksum(icmp, 0, icmp.length));
    this.ip(f.subarray(6, 12), HOST, f.subarray(26, 30), 1, icmp);
  }

  private dhcp(f: Uint8Array, bp: Uint8Array): void {
    if (bp.length < 240 || bp[0] !== 1 || !DHCP_MAGIC.every((b, i) => bp[236 + i] === b)) return;
    let type = 0;
    for (let i = 240; i < bp.length && bp[i] !== 255; ) {
      if (bp[i] === 0) {
        i++;
        continue;
      }
      if (bp[i] === 53 && i + 2 < bp.length) type = bp[i + 2];
      i += 2 + (bp[i + 1] ?? 0);
    }
    const reply = type === 1 ? 2 : type === 3 ? 5 : 0; // DISCOVER -> OFFER, REQUEST -> ACK
    if (reply === 0) return;
    const r = new Uint8Array(300);
    r.set([2, 1, 6, 0], 0);
    r.set(bp.subarray(4, 8), 4); // xid
    r.set(GUEST, 16); // yiaddr
    r.set(HOST, 20); // siaddr: the TFTP server
    r.set(bp.subarray(28, 44), 28); // chaddr
    r.set(DHCP_MAGIC, 236);
    const lease = [LEASE_SECONDS >>> 24, (LEASE_SECONDS >>> 16) & 0xff, (LEASE_SECONDS >>> 8) & 0xff, LEASE_SECONDS & 0xff];
    r.set([53, 1, reply, 54, 4, ...HOST, 51, 4, ...lease, 1, 4, ...NETMASK, 3, 4, ...HOST, 6, 4, ...DNS, 255], 240);
    this.udp(BROADCAST_MAC, HOST, 67, [255, 255, 255, 255], 68, r);
  }

  private udp(dstMac: ArrayLike<number>, src: readonly number[], sport: number, dst: ArrayLike<number>, dport: number, payload: Uint8Array): void {
    const u = new Uint8Array(8 + payload.length);
    put16(u, 0, sport);
    put16(u, 2, dport);
    put16(u, 4, u.length);
    u.set(payload, 8);
    const pseudo = new Uint8Array(12);
    pseudo.set(src, 0);
    pseudo.set(Array.from(dst), 4);
    pseudo[9] = 17;
    put16(pseudo, 10, u.length);
    const sum = checksum(u, 0, u.length, ~checksum(pseudo, 0, 12) & 0xffff);
    put16(u, 6, sum === 0 ? 0xffff : sum);
    this.ip(dstMac, src, dst, 17, u);
  }

  private ip(dstMac: ArrayLike<number>, src: readonly number[], dst: ArrayLike<number>, proto: number, payload: Uint8Array): void {
    const f = new Uint8Array(14 + 20 + payload.length);
    f.set(Array.from(dstMac), 0);
    f.set(slirpMac(src), 6);
    f.set([0x08, 0x00, 0x45, 0], 12);
    put16(f, 16, 20 + payload.length);
    f[22] = 64; // TTL
    f[23] = proto;
    f.set(src, 26);
    f.set(Array.from(dst), 30);
    put16(f, 24, checksum(f, 14, 34));
    f.set(payload, 34);
    this.send(f);
  }
}
