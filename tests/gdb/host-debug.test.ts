// The CPU's side of the gdb stub (board/aarch64/host-debug.ts) on the virt
// board, without gdb: a breakpoint in the middle of a decoded block, a step of
// exactly one instruction, a watchpoint that stops before its store, a
// breakpoint while blocks compile after one run, and the same run with and without
// the debugger (a block compiler must keep all of these).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VirtBoard } from '../../board/virt/virt-board';
import { PROGRAMS } from './gdb-harness';

// bare.elf (aarch64-linux-gnu-nm, objdump): add() at 0x40100020 with `ldr x1, [x0]` at +0x10 and the
// store to total at +0x24; total at 0x40101ff0; the UART write in put().
const ADD = 0x40100020;
const TOTAL = 0x40101ff0;
const STORE = ADD + 0x24;

function boot(): { board: VirtBoard; out: string[] } {
  const out: string[] = [];
  const board = new VirtBoard({ ramSize: 128 << 20, console: { write: (b) => out.push(Buffer.from(b).toString()), writeErr: () => {}, readChar: () => -1 }, seed: new Uint8Array(40) });
  board.load(readFileSync(join(PROGRAMS, 'bare.elf')), { fileName: 'bare.elf' });
  return { board, out };
}

const total = (b: VirtBoard) => b.phys.read64lo(TOTAL);

describe('host breakpoints, steps and watchpoints on the A64 CPU', () => {
  it('stops at a breakpoint inside a block, then steps one instruction', () => {
    const { board } = boot();
    const cpu = board.cpus[0];
    const debug = cpu.enableHostDebug();
    debug.insertBreakpoint(ADD + 0x10);
    expect(board.run(1_000_000).kind).toBe('debug');
    expect(cpu.pc).toBe(ADD + 0x10);
    expect(debug.stop).toEqual({ kind: 'breakpoint', pc: ADD + 0x10 });
    // Running on stops there again (gdb steps over a breakpoint itself, with it removed).
    debug.resume(false);
    expect(board.run(1_000_000).kind).toBe('debug');
    expect(cpu.pc).toBe(ADD + 0x10);
    debug.removeBreakpoint(ADD + 0x10);
    const retired = cpu.retired;
    debug.resume(true);
    expect(board.run(1_000_000).kind).toBe('debug');
    expect(debug.stop).toEqual({ kind: 'step', pc: ADD + 0x14 });
    expect(cpu.retired - retired).toBe(1);
  });

  it('stops before a watched store, and again on the next one', () => {
    const { board } = boot();
    const cpu = board.cpus[0];
    const debug = cpu.enableHostDebug();
    debug.insertWatchpoint({ addr: TOTAL, len: 8, kind: 'write' });
    expect(board.run(1_000_000).kind).toBe('debug');
    expect(debug.stop).toMatchObject({ kind: 'watch', pc: STORE, addr: TOTAL });
    expect(total(board)).toBe(0);
    // gdb's way on: the watchpoint out, one step, the watchpoint back.
    debug.removeWatchpoint(TOTAL, 8, 'write');
    debug.resume(true);
    expect(board.run(1_000_000).kind).toBe('debug');
    expect(total(board)).toBe(1);
    debug.insertWatchpoint({ addr: TOTAL, len: 8, kind: 'write' });
    debug.resume(false);
    expect(board.run(1_000_000).kind).toBe('debug');
    expect(debug.stop).toMatchObject({ kind: 'watch', pc: STORE });
    expect(total(board)).toBe(1);
    // A read watchpoint stops at the next load of total: add's `return total` (+0x30).
    debug.removeWatchpoint(TOTAL, 8, 'write');
    debug.insertWatchpoint({ addr: TOTAL, len: 8, kind: 'read' });
    debug.resume(false);
    expect(board.run(1_000_000).kind).toBe('debug');
    expect(debug.stop).toMatchObject({ kind: 'watch', pc: ADD + 0x30, addr: TOTAL });
  });

  it('stops where it should while blocks get compiled after their first run', () => {
    const { board } = boot();
    const cpu = board.cpus[0];
    cpu.hotBlockRuns = 1;
    const debug = cpu.enableHostDebug();
    // Let add() run twice with every block compiled after its first run, then stop in the third call.
    debug.insertBreakpoint(ADD);
    for (let call = 1; call <= 3; call++) {
      debug.resume(false);
      expect(board.run(1_000_000).kind).toBe('debug');
      expect(cpu.pc).toBe(ADD);
      debug.removeBreakpoint(ADD);
      debug.resume(true);
      expect(board.run(1_000_000).kind).toBe('debug');
      debug.insertBreakpoint(ADD);
    }
    debug.insertBreakpoint(STORE);
    debug.resume(false);
    expect(board.run(1_000_000).kind).toBe('debug');
    expect(cpu.pc).toBe(STORE);
    expect(total(board)).toBe(1 + 2);
  });

  it('keeps a breakpoint in a block the block compiler takes at its first run', () => {
    const saved = process.env.SALTY_JIT;
    process.env.SALTY_JIT = 'always';
    try {
      const { board } = boot();
      const cpu = board.cpus[0];
      const debug = cpu.enableHostDebug();
      debug.insertBreakpoint(ADD + 0x10);
      for (let call = 1; call <= 3; call++) {
        debug.resume(false);
        expect(board.run(1_000_000).kind).toBe('debug');
        expect(cpu.pc).toBe(ADD + 0x10);
      }
      debug.removeBreakpoint(ADD + 0x10);
      debug.insertBreakpoint(STORE);
      debug.resume(false);
      expect(board.run(1_000_000).kind).toBe('debug');
      expect(cpu.pc).toBe(STORE);
    } finally {
      if (saved === undefined) delete process.env.SALTY_JIT;
      else process.env.SALTY_JIT = saved;
    }
  });

  it('changes nothing when armed without breakpoints', () => {
    const plain = boot();
    const armed = boot();
    armed.board.cpus[0].enableHostDebug().resume(false);
    expect(plain.board.run(10_000_000).kind).toBe('off');
    expect(armed.board.run(10_000_000).kind).toBe('off');
    expect(armed.board.cpus[0].retired).toBe(plain.board.cpus[0].retired);
    expect(armed.out.join('')).toBe('bare metal\n');
    expect(total(armed.board)).toBe(10);
  });
});
