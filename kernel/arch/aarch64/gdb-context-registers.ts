// A thread's saved aarch64 context as gdb's remote protocol numbers it (the
// core and FP features of board/aarch64/gdb-registers.ts; EL0 state only).

import { a64TargetDescription, GDB_G_COUNT, GDB_PC, readGdbRegister, writeGdbRegister, type A64Registers } from '../../../board/aarch64/gdb-registers';
import type { UserContext } from '../arch-cpu';
import type { DebugRegisters } from '../machine-debug';
import type { A64Context } from './user-context';

function view(ctx: A64Context): A64Registers {
  return {
    x: ctx.x,
    v: ctx.v,
    get pc() {
      return ctx.pc;
    },
    set pc(v: number) {
      ctx.pc = v;
    },
    // EL0t: PSTATE as SPSR would hold it is NZCV alone.
    get cpsr() {
      return ctx.nzcv;
    },
    set cpsr(v: number) {
      ctx.nzcv = v & 0xf0000000;
    },
    get fpsr() {
      return ctx.fpsr;
    },
    set fpsr(v: number) {
      ctx.fpsr = v >>> 0;
    },
    get fpcr() {
      return ctx.fpcr;
    },
    set fpcr(v: number) {
      ctx.fpcr = v >>> 0;
    },
  };
}

export const A64_DEBUG_REGISTERS: DebugRegisters = {
  description: a64TargetDescription(false),
  gCount: GDB_G_COUNT,
  pcNumber: GDB_PC,
  read: (ctx: UserContext, n: number) => readGdbRegister(view(ctx as A64Context), n),
  write: (ctx: UserContext, n: number, bytes: Uint8Array) => writeGdbRegister(view(ctx as A64Context), n, bytes),
};
