// Instructions compiled code leaves to the interpreter without leaving the
// block: the function stores its registers and flags (the state is then the
// interpreter's), calls the interpreter's op for the instruction through the
// host, and reloads what it keeps in locals. This keeps blocks whole (and
// chains going) across instructions the compiler does not translate:
// exclusives and atomics (the exclusive monitor stays the interpreter's),
// DC ZVA, CRC32, RBIT/CLS and the SIMD&FP data processing.
//
// Not taken: anything that ends a block (branches, exceptions, ERET, system
// register writes), MRS (counters read the retired count, which is only
// exact at block boundaries), hints (WFI/WFE stop the CPU), other SYS
// operations (cache and TLB maintenance, AT) and unallocated encodings.

import type { Cpu } from '../cpu';
import type { Op as InterpreterOp } from '../decoder';
import { StopReason } from '../cpu';

const REFUSED = new Set([
  'B.cond',
  'B/BL',
  'BLR',
  'BR',
  'RET',
  'CBZ/CBNZ',
  'TBZ/TBNZ',
  'BRK',
  'HLT',
  'HVC',
  'SMC',
  'SVC',
  'ERET',
  'MRS',
  'MSR (immediate)',
  'MSR (register)',
  'SYS/SYSL',
  'HINT',
  'CLREX/DSB/DMB/ISB/SB',
  'LDTR/STTR (unprivileged)',
]);

/** DC ZVA, Xt (SYS #3, C7, C4, #1): zeroes a block of memory, an ordinary store as far as the compiler cares. */
function isDcZva(insn: number): boolean {
  return (insn & 0xffffffe0) >>> 0 === 0xd50b7420;
}

export interface InterpreterOps {
  /** The interpreter's op for `insn` at page offset `pageOff`, or undefined when compiled code must not run it. */
  decode(insn: number, pageOff: number): InterpreterOp | undefined;
  /** Runs `op` as the block at pageVa would; 1 when compiled code must return to the run loop first. */
  run(op: InterpreterOp, pageVa: number): number;
  /** Regions read instructions the interpreter has not decoded: not while the host debugger has breakpoints (which are ops). */
  regionsAllowed(): boolean;
}

export function interpreterOps(cpu: Cpu): InterpreterOps {
  return {
    decode(insn, pageOff) {
      const name = cpu.encodingName(insn);
      if (name === undefined || (REFUSED.has(name) && !isDcZva(insn))) return undefined;
      const ctx = { cpu, pageOff, endsBlock: false };
      const op = cpu.decodeOne(insn, ctx);
      return ctx.endsBlock ? undefined : op;
    },
    regionsAllowed() {
      return cpu.hostDebug === undefined || cpu.hostDebug.breakpointCount === 0;
    },
    run(op, pageVa) {
      const epoch = cpu.vm.epoch;
      const irq = cpu.irqLine;
      const fiq = cpu.fiqLine;
      cpu.pageVa = pageVa;
      op();
      return cpu.stop !== StopReason.None || cpu.vm.epoch !== epoch || cpu.irqLine !== irq || cpu.fiqLine !== fiq ? 1 : 0;
    },
  };
}
