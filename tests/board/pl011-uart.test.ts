import { describe, expect, it } from 'vitest';
import { INT_RX, INT_TX, Pl011Uart } from '../../board/virt/pl011-uart';

function uart() {
  const out: number[] = [];
  const levels: boolean[] = [];
  const u = new Pl011Uart((b) => out.push(b));
  u.irq = (l) => levels.push(l);
  return { u, out, levels };
}

describe('PL011 UART', () => {
  it('sends DR writes to the host, low byte only', () => {
    const { u, out } = uart();
    for (const c of 'hi\n') u.write(0, 4, c.charCodeAt(0) | 0x100);
    expect(String.fromCharCode(...out)).toBe('hi\n');
  });

  it('reports TX empty and RX empty at reset (FR = 0x90), and the reset CR and IFLS', () => {
    const { u } = uart();
    expect(u.read(0x18, 4)).toBe(0x90);
    expect(u.read(0x30, 4)).toBe(0x300);
    expect(u.read(0x34, 4)).toBe(0x12);
  });

  it('takes one byte at a time with the FIFO off and sixteen with it on', () => {
    const { u } = uart();
    expect(u.receive([1, 2, 3])).toBe(1);
    expect(u.read(0x18, 4) & 0x50).toBe(0x40); // RXFF set, RXFE clear
    expect(u.read(0, 4)).toBe(1);
    expect(u.read(0x18, 4) & 0x10).toBe(0x10);
    u.write(0x2c, 4, 0x70); // 8 bits, FIFO enabled
    expect(u.receive(new Array(20).fill(7))).toBe(16);
    expect(u.receiveRoom).toBe(0);
  });

  it('raises its interrupt only for unmasked sources and drops it on ICR or when RX drains', () => {
    const { u, levels } = uart();
    u.write(0, 4, 65);
    expect(u.read(0x3c, 4) & INT_TX).toBe(INT_TX);
    expect(levels).toEqual([]); // masked
    u.write(0x38, 4, INT_TX | INT_RX);
    expect(levels).toEqual([true]);
    expect(u.read(0x40, 4)).toBe(INT_TX);
    u.write(0x44, 4, INT_TX);
    expect(levels).toEqual([true, false]);
    u.receive([0x41]);
    expect(levels).toEqual([true, false, true]);
    expect(u.read(0x40, 4)).toBe(INT_RX);
    expect(u.read(0, 4)).toBe(0x41);
    expect(levels).toEqual([true, false, true, false]);
  });

  it('has the PL011 peripheral and PrimeCell ids', () => {
    const { u } = uart();
    const ids = [];
    for (let off = 0xfe0; off < 0x1000; off += 4) ids.push(u.read(off, 4));
    expect(ids).toEqual([0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]);
  });
});
