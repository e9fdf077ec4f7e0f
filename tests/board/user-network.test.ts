// The user-mode network's answers, frame by frame: ARP for the gateway with
// slirp's MAC, DHCP offer and acknowledge with valid IP and UDP checksums,
// ping, TFTP's error, and silence for everything else. (U-Boot's dhcp, ping
// and TFTP against QEMU are in tests/uboot; Linux's udhcpc in tests/virtio-root.)
import { describe, expect, it } from 'vitest';
import { UserNetwork } from '../../board/virt/user-network';

const GUEST_MAC = [0x52, 0x54, 0, 0x12, 0x34, 0x56];

function sum16(b: Uint8Array, from: number, to: number, initial = 0): number {
  let s = initial;
  for (let i = from; i < to; i += 2) s += (b[i] << 8) | (i + 1 < to ? b[i + 1] : 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

function ipv4(proto: number, src: number[], dst: number[], payload: number[]): Uint8Array {
  const f = new Uint8Array(34 + payload.length);
  f.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, ...GUEST_MAC, 0x08, 0x00, 0x45, 0, (20 + payload.length) >> 8, (20 + payload.length) & 0xff, 0, 0, 0, 0, 64, proto, 0, 0, ...src, ...dst]);
  f.set(payload, 34);
  return f;
}

function udp(sport: number, dport: number, data: number[]): number[] {
  const len = 8 + data.length;
  return [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, len >> 8, len & 0xff, 0, 0, ...data];
}

function dhcp(type: number): number[] {
  const bp = new Array<number>(240).fill(0);
  bp[0] = 1;
  bp[1] = 1;
  bp[2] = 6;
  bp.splice(4, 4, 0xde, 0xad, 0xbe, 0xef);
  bp.splice(28, 6, ...GUEST_MAC);
  bp.splice(236, 4, 99, 130, 83, 99);
  return [...bp, 53, 1, type, 255];
}

function exchange(frame: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  new UserNetwork((f) => out.push(f)).receive(frame);
  return out;
}

describe('the user-mode network (slirp inside 10.0.2.0/24)', () => {
  it('answers ARP for 10.0.2.2 with 52:55:0a:00:02:02, and not for other addresses', () => {
    const arp = (ip: number[]) => Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, ...GUEST_MAC, 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1, ...GUEST_MAC, 10, 0, 2, 15, 0, 0, 0, 0, 0, 0, ...ip]);
    const [r] = exchange(arp([10, 0, 2, 2]));
    expect([...r.subarray(0, 14)]).toEqual([...GUEST_MAC, 0x52, 0x55, 10, 0, 2, 2, 0x08, 0x06]);
    expect([...r.subarray(20, 42)]).toEqual([0, 2, 0x52, 0x55, 10, 0, 2, 2, 10, 0, 2, 2, ...GUEST_MAC, 10, 0, 2, 15]);
    expect(exchange(arp([10, 0, 2, 9]))).toEqual([]);
  });

  it('offers and acknowledges 10.0.2.15 over DHCP with valid checksums', () => {
    for (const [ask, answer] of [[1, 2], [3, 5]]) {
      const [r] = exchange(ipv4(17, [0, 0, 0, 0], [255, 255, 255, 255], udp(68, 67, dhcp(ask))));
      expect(sum16(r, 14, 34)).toBe(0xffff); // IP header
      const len = (r[38] << 8) | r[39];
      const pseudo = sum16(Uint8Array.from([...r.subarray(26, 34), 0, 17, len >> 8, len & 0xff]), 0, 12);
      expect(sum16(r, 34, 34 + len, pseudo)).toBe(0xffff); // UDP
      const bp = r.subarray(42);
      expect([bp[0], ...bp.subarray(4, 8), ...bp.subarray(16, 24)]).toEqual([2, 0xde, 0xad, 0xbe, 0xef, 10, 0, 2, 15, 10, 0, 2, 2]);
      expect([...bp.subarray(240, 243)]).toEqual([53, 1, answer]);
    }
    expect(exchange(ipv4(17, [0, 0, 0, 0], [255, 255, 255, 255], udp(68, 67, dhcp(7))))).toEqual([]); // RELEASE: no answer
  });

  it('answers a ping of 10.0.2.2 and refuses a TFTP read with "Access violation"', () => {
    const echo = [8, 0, 0, 0, 0, 1, 0, 1, 1, 2, 3];
    const [p] = exchange(ipv4(1, [10, 0, 2, 15], [10, 0, 2, 2], echo));
    expect([p[34], ...p.subarray(38)]).toEqual([0, 0, 1, 0, 1, 1, 2, 3]);
    expect(sum16(p, 34, p.length)).toBe(0xffff);
    const rrq = [0, 1, ...new TextEncoder().encode('x.img'), 0, ...new TextEncoder().encode('octet'), 0];
    const [t] = exchange(ipv4(17, [10, 0, 2, 15], [10, 0, 2, 2], udp(1234, 69, rrq)));
    expect([(t[34] << 8) | t[35], (t[36] << 8) | t[37]]).toEqual([69, 1234]);
    expect(new TextDecoder().decode(t.subarray(42))).toBe('\u0000\u0005\u0000\u0002Access violation\u0000');
  });

  it('drops what slirp would route out: a ping elsewhere, UDP to other ports, IPv6', () => {
    expect(exchange(ipv4(1, [10, 0, 2, 15], [8, 8, 8, 8], [8, 0, 0, 0, 0, 1, 0, 1]))).toEqual([]);
    expect(exchange(ipv4(17, [10, 0, 2, 15], [10, 0, 2, 3], udp(1234, 53, [1, 2, 3])))).toEqual([]);
    expect(exchange(Uint8Array.from([...GUEST_MAC, ...GUEST_MAC, 0x86, 0xdd, 0x60, 0, 0, 0]))).toEqual([]);
  });
});
