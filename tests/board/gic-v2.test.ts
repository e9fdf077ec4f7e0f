import { describe, expect, it } from 'vitest';
import { GicV2 } from '../../board/virt/gic-v2';

const D = (g: GicV2) => g.distributor;
const C = (g: GicV2) => g.cpuInterface;

function gic() {
  const cpu = { irqLine: false, fiqLine: false };
  const g = new GicV2(cpu);
  D(g).write(0x000, 4, 1);
  C(g).write(0x00, 4, 1);
  C(g).write(0x04, 4, 0xff);
  return { g, cpu };
}

function enable(g: GicV2, id: number, prio: number) {
  D(g).write(0x400 + id, 1, prio);
  D(g).write(0x100 + 4 * (id >> 5), 4, 1 << (id & 31));
}

describe('GICv2', () => {
  it('describes 256 SPIs and QEMU ids', () => {
    const { g } = gic();
    expect(D(g).read(0x004, 4)).toBe(8);
    expect(D(g).read(0x008, 4)).toBe(0x43b);
    expect(C(g).read(0xfc, 4)).toBe(0x2043b);
  });

  it('signals a level interrupt while its line is high and it is enabled, unmasked by PMR', () => {
    const { g, cpu } = gic();
    g.setLevel(33, true);
    expect(cpu.irqLine).toBe(false); // not enabled yet
    enable(g, 33, 0x80);
    expect(cpu.irqLine).toBe(true);
    C(g).write(0x04, 4, 0x80); // priority must be strictly higher than the mask
    expect(cpu.irqLine).toBe(false);
    C(g).write(0x04, 4, 0x81);
    expect(cpu.irqLine).toBe(true);
    g.setLevel(33, false);
    expect(cpu.irqLine).toBe(false);
    expect(C(g).read(0x0c, 4)).toBe(1023);
  });

  it('acknowledges the highest priority first, blocks equal priority until EOI, lets a higher one preempt', () => {
    const { g, cpu } = gic();
    enable(g, 40, 0x80);
    enable(g, 41, 0x40);
    enable(g, 42, 0x20);
    g.setLevel(40, true);
    g.setLevel(41, true);
    expect(C(g).read(0x18, 4)).toBe(41); // HPPIR
    expect(C(g).read(0x0c, 4)).toBe(41);
    expect(C(g).read(0x14, 4)).toBe(0x40); // running priority
    expect(cpu.irqLine).toBe(false); // 40 has lower priority than the running 41
    g.setLevel(42, true);
    expect(cpu.irqLine).toBe(true); // 0x20 preempts 0x40
    expect(C(g).read(0x0c, 4)).toBe(42);
    g.setLevel(42, false);
    C(g).write(0x10, 4, 42);
    g.setLevel(41, false);
    C(g).write(0x10, 4, 41);
    expect(C(g).read(0x14, 4)).toBe(0xff); // idle
    expect(C(g).read(0x0c, 4)).toBe(40);
  });

  it('latches edge-triggered interrupts until acknowledged', () => {
    const { g, cpu } = gic();
    D(g).write(0xc08, 4, 2 << 2); // ICFGR2: INTID 33 edge
    enable(g, 33, 0x10);
    g.setLevel(33, true);
    g.setLevel(33, false);
    expect(cpu.irqLine).toBe(true);
    expect(D(g).read(0x204, 4) & 2).toBe(2);
    expect(C(g).read(0x0c, 4)).toBe(33);
    expect(D(g).read(0x204, 4) & 2).toBe(0);
    expect(D(g).read(0x304, 4) & 2).toBe(2); // active
    C(g).write(0x10, 4, 33);
    expect(cpu.irqLine).toBe(false);
  });

  it('delivers SGIs through GICD_SGIR with the source CPU in IAR', () => {
    const { g, cpu } = gic();
    D(g).write(0x400 + 3, 1, 0x10);
    D(g).write(0xf00, 4, (2 << 24) | 3);
    expect(cpu.irqLine).toBe(true);
    expect(D(g).read(0xf10, 4)).toBe(1 << 24); // SGI 3 pending from CPU 0
    expect(C(g).read(0x0c, 4)).toBe(3);
    D(g).write(0xf00, 4, (1 << 24) | 4); // all but self: nobody on one CPU
    expect(D(g).read(0xf10, 4) >>> 0).toBe(0);
  });

  it('keeps a disabled interrupt pending without signalling, and ITARGETSR is RAZ/WI on one CPU', () => {
    const { g, cpu } = gic();
    enable(g, 30, 0x10);
    D(g).write(0x180, 4, 1 << 30);
    g.setLevel(30, true);
    expect(cpu.irqLine).toBe(false);
    expect((D(g).read(0x200, 4) >>> 30) & 1).toBe(1);
    D(g).write(0x820, 4, 0x01010101);
    expect(D(g).read(0x820, 4)).toBe(0);
  });

  it('follows enable bits that change while an interrupt is pending (ICENABLER drops the line, ISENABLER raises it again)', () => {
    const { g, cpu } = gic();
    enable(g, 27, 0x40);
    enable(g, 50, 0x80);
    g.setLevel(50, true);
    expect(C(g).read(0x18, 4)).toBe(50);
    g.setPrivateLevel(0, 27, true);
    expect(C(g).read(0x18, 4)).toBe(27);
    D(g).write(0x180, 4, 1 << 27);
    expect(C(g).read(0x18, 4)).toBe(50);
    D(g).write(0x184, 4, 1 << (50 - 32));
    expect(cpu.irqLine).toBe(false);
    expect(C(g).read(0x18, 4)).toBe(1023);
    D(g).write(0x104, 4, 1 << (50 - 32));
    expect(cpu.irqLine).toBe(true);
    expect(C(g).read(0x0c, 4)).toBe(50);
  });

  it('signals group 0 as FIQ when FIQEn is set', () => {
    const { g, cpu } = gic();
    C(g).write(0x00, 4, 1 | (1 << 3));
    enable(g, 50, 0x10);
    g.setLevel(50, true);
    expect(cpu).toEqual({ irqLine: false, fiqLine: true });
  });
});
