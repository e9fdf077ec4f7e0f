// A hosted board (the TypeScript kernel is EL1): exceptions from EL0 end run()
// with the kind the CPU took, so a kernel can tell the timer's IRQ from an SVC.

import { describe, expect, it } from 'vitest';
import { ExceptionKind } from '../../board/aarch64/cpu';
import { VirtBoard } from '../../board/virt/virt-board';
import { GIC_CPU_BASE, GIC_DIST_BASE, RAM_BASE, VIRT_TIMER_INTID } from '../../board/virt/memory-map';

const SVC0 = 0xd4000001;
const NOP = 0xd503201f;
const LOOP = 0x14000000; // b .

function hostedBoard(code: number[]): VirtBoard {
  const board = new VirtBoard({ ramSize: 1 << 20, hosted: true, console: { write: () => {}, writeErr: () => {}, readChar: () => -1 } });
  code.forEach((w, i) => board.phys.write32(RAM_BASE + 4 * i, w));
  board.cpu.setCpacr(3 << 20);
  board.cpu.setEl(0);
  board.cpu.pc = RAM_BASE;
  return board;
}

function mmioWrite(board: VirtBoard, pa: number, value: number): void {
  const r = board.phys.findDevice(pa)!;
  r.device.write(pa - r.base, 4, value);
}

describe('hosted exceptions', () => {
  it('an SVC from EL0 stops the board as a synchronous exception, with ELR past it', () => {
    const board = hostedBoard([NOP, SVC0, LOOP]);
    board.cpu.daif = 0;
    expect(board.run(1000)).toEqual({ kind: 'exception' });
    expect(board.cpu.lastException).toBe(ExceptionKind.Sync);
    expect(board.cpu.sysregs.getLo('ESR_EL1') >>> 26).toBe(0x15);
    expect(board.cpu.elr).toBe(RAM_BASE + 8);
    expect(board.cpu.el).toBe(0);
  });

  it('the virtual timer through the GIC stops EL0 code as an IRQ at the programmed count, leaving ESR_EL1 alone', () => {
    const board = hostedBoard([SVC0, LOOP]);
    board.cpu.daif = 0;
    expect(board.run(1000)).toEqual({ kind: 'exception' });
    const esr = board.cpu.sysregs.getLo('ESR_EL1');
    board.cpu.pc = RAM_BASE + 4;
    mmioWrite(board, GIC_DIST_BASE, 1);
    mmioWrite(board, GIC_CPU_BASE + 4, 0xf0);
    mmioWrite(board, GIC_CPU_BASE, 1);
    mmioWrite(board, GIC_DIST_BASE + 0x100, 1 << VIRT_TIMER_INTID);
    const fireAt = board.time.now() + 5000;
    board.timer.writeTimerRegister(board.cpu, 1, 'cval', fireAt, 0);
    board.timer.writeTimerRegister(board.cpu, 1, 'ctl', 1, 0);
    expect(board.run(1_000_000)).toEqual({ kind: 'exception' });
    expect(board.cpu.lastException).toBe(ExceptionKind.Irq);
    expect(board.time.now()).toBeGreaterThanOrEqual(fireAt);
    expect(board.time.now()).toBeLessThan(fireAt + 16);
    expect(board.cpu.elr).toBe(RAM_BASE + 4);
    expect(board.cpu.sysregs.getLo('ESR_EL1')).toBe(esr);
  });

  it('with IRQs masked (PSTATE.I) the pending line waits and the budget ends the run', () => {
    const board = hostedBoard([LOOP]);
    board.cpu.daif = 0x80;
    board.cpu.irqLine = true;
    expect(board.run(2000)).toEqual({ kind: 'running' });
    board.cpu.daif = 0;
    board.cpu.irqLine = true;
    expect(board.cpu.run(2000)).toBe(2); // StopReason.Exception
    expect(board.cpu.lastException).toBe(ExceptionKind.Irq);
  });

  it('an FIQ is reported as one', () => {
    const board = hostedBoard([LOOP]);
    board.cpu.daif = 0;
    board.cpu.fiqLine = true;
    expect(board.cpu.run(100)).toBe(2);
    expect(board.cpu.lastException).toBe(ExceptionKind.Fiq);
  });
});
