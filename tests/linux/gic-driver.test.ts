// The kernel programs the board's GICv2 through MMIO: what it wrote reads back
// from the distributor and CPU interface, and interrupts go through IAR/EOIR.

import { describe, expect, it } from 'vitest';
import { GIC_CPU_BASE, GIC_DIST_BASE, UART_INTID, VIRT_TIMER_INTID } from '../../board/virt/memory-map';
import { VirtBoard } from '../../board/virt/virt-board';
import type { PhysicalMemory } from '../../board/memory/physical-memory';
import { HostedKernel } from '../../kernel/hosted-kernel';
import type { A64HostedMachine } from '../../kernel/arch/aarch64/hosted-machine';
import { GicV2Driver, SPURIOUS_INTID, type Mmio } from '../../kernel/arch/aarch64/gic-v2-driver';

function bus(phys: PhysicalMemory): Mmio {
  const at = (pa: number) => {
    const r = phys.findDevice(pa)!;
    return { d: r.device, off: pa - r.base };
  };
  return {
    read32: (pa) => at(pa).d.read(at(pa).off, 4) >>> 0,
    write32: (pa, v) => at(pa).d.write(at(pa).off, 4, v),
  };
}

const priorityOf = (b: Mmio, intid: number) => (b.read32(GIC_DIST_BASE + 0x400 + (intid & ~3)) >>> (8 * (intid & 3))) & 0xff;
const enabled = (b: Mmio, intid: number) => ((b.read32(GIC_DIST_BASE + 0x100 + 4 * (intid >>> 5)) >>> (intid & 31)) & 1) === 1;

describe('the hosted kernel programs the GIC as hardware', () => {
  it('the distributor and CPU interface read back what boot wrote: forwarding on, the virtual timer enabled above the mask', () => {
    const kernel = new HostedKernel(16 << 20);
    const b = bus(kernel.phys);
    expect(b.read32(GIC_DIST_BASE + 0x000) & 1).toBe(1);
    expect(b.read32(GIC_CPU_BASE + 0x00) & 1).toBe(1);
    const mask = b.read32(GIC_CPU_BASE + 0x04);
    expect(enabled(b, VIRT_TIMER_INTID)).toBe(true);
    expect(priorityOf(b, VIRT_TIMER_INTID)).toBeLessThan(mask);
    expect(enabled(b, UART_INTID)).toBe(false);
    // The board's own view of the same state.
    expect((kernel.machine as A64HostedMachine).board.gic.state.enabled[VIRT_TIMER_INTID]).toBe(1);
  });

  it('the timer interrupt of a slice is acknowledged and ended: nothing stays active or pending', () => {
    const kernel = new HostedKernel(16 << 20);
    kernel.idleUntil(kernel.timer.ticks() + 1000);
    const s = (kernel.machine as A64HostedMachine).board.gic.state;
    expect(kernel.interrupts.get(VIRT_TIMER_INTID)).toBe(1);
    expect(s.active[VIRT_TIMER_INTID]).toBe(0);
    expect(s.isPending(VIRT_TIMER_INTID)).toBe(false);
    expect((kernel.machine as A64HostedMachine).cpu.irqLine).toBe(false);
    expect(kernel.timer.ticks()).toBeGreaterThanOrEqual(1000);
  });

  it('the driver sets priorities byte by byte, enables and disables, and takes an SPI through IAR/EOIR', () => {
    const board = new VirtBoard({ ramSize: 1 << 20, console: { write: () => {}, writeErr: () => {}, readChar: () => -1 } });
    const b = bus(board.phys);
    const gic = new GicV2Driver(b, GIC_DIST_BASE, GIC_CPU_BASE);
    gic.init();
    gic.enable(UART_INTID, 0x40);
    gic.enable(UART_INTID + 1, 0x80);
    expect(priorityOf(b, UART_INTID)).toBe(0x40);
    expect(priorityOf(b, UART_INTID + 1)).toBe(0x80);
    expect(enabled(b, UART_INTID)).toBe(true);
    expect(gic.acknowledge()).toBe(SPURIOUS_INTID);
    board.gic.setLevel(UART_INTID, true);
    expect(board.cpu.irqLine).toBe(true);
    const iar = gic.acknowledge();
    expect(iar & 0x3ff).toBe(UART_INTID);
    expect(board.cpu.irqLine).toBe(false);
    board.gic.setLevel(UART_INTID, false);
    gic.end(iar);
    expect(board.gic.state.active[UART_INTID]).toBe(0);
    gic.disable(UART_INTID);
    expect(enabled(b, UART_INTID)).toBe(false);
    board.gic.setLevel(UART_INTID, true);
    expect(board.cpu.irqLine).toBe(false);
    expect(gic.acknowledge()).toBe(SPURIOUS_INTID);
  });
});
