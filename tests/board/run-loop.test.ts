// The board's run loop: deterministic time in instructions, WFI skipping to the
// next timer event, and an idle CPU with nothing armed.
import { describe, expect, it } from 'vitest';
import type { GicV2 } from '../../board/virt/gic-v2';
import { bootImage } from './boot-harness';

describe('the virt board run loop', () => {
  it('is deterministic: the same image retires the same instruction count and sees the same time', () => {
    const a = bootImage('timer');
    const b = bootImage('timer');
    expect(a.board.cpu.retired).toBe(b.board.cpu.retired);
    expect(a.board.time.now()).toBe(b.board.time.now());
  });

  it('skips WFI time: the timer image sleeps for more guest time than it executes instructions', () => {
    const r = bootImage('timer');
    // Three 6250-tick and one 12500-tick waits at least.
    expect(r.board.time.now()).toBeGreaterThan(3 * 6250 + 12500);
    expect(r.board.time.now() - r.board.cpu.retired).toBeGreaterThan(20_000);
  });

  it('stops as idle on WFI with nothing armed and resumes when input arrives', () => {
    const r = bootImage('timer', { budget: 1 });
    expect(r.state).toEqual({ kind: 'running' });
    const board = r.board;
    // Park the CPU in a WFI loop of its own: reuse the image's power_off-free path by masking the timer.
    board.cpu.daif = 0x3c0;
    board.phys.write32(0x4000_1000, 0xd503207f); // wfi
    board.phys.write32(0x4000_1004, 0x17ffffff); // b .-4
    board.cpu.pc = 0x4000_1000;
    expect(board.run(1000)).toEqual({ kind: 'idle' });
    board.uart.write(0x38, 4, 1 << 4); // RX interrupt enabled
    const gic = board.gic as GicV2;
    gic.distributor.write(0, 4, 1);
    gic.cpuInterface.write(0, 4, 1);
    gic.cpuInterface.write(4, 4, 0xff);
    gic.distributor.write(0x104, 4, 1 << 1); // INTID 33
    board.pushInput([0x41]);
    board.resume();
    expect(board.cpu.irqLine).toBe(true);
    expect(board.run(1000)).toEqual({ kind: 'running' }); // WFI wakes even with IRQs masked
  });
});
