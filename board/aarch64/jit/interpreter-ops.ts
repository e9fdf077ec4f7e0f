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
import type { DecodeTable, Op as InterpreterOp } from '../decoder';
import type { InstructionFacts } from './translation-job';
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

/** Whether compiled code must leave an instruction of encoding `name` to the interpreter's own block (see REFUSED). */
export function refusedInside(name: string | undefined, insn: number): boolean {
  return name === undefined || (REFUSED.has(name) && !isDcZva(insn));
}

/** HINTs other than WFE, WFI, SEV and SEVL, and DMB/DSB, do nothing in the interpreter (isa/system.ts). */
export function isNopHint(insn: number, encodingName: (insn: number) => string | undefined): boolean {
  // Both encodings lie in 1101010100 0 00 011 001x xxxx xxx 11111 (isa/system.ts): nothing else asks the decoder.
  if ((insn & 0xffffe01f) >>> 0 !== 0xd503201f) return false;
  const name = encodingName(insn);
  if (name === 'HINT') return ((insn >>> 5) & 0x7f) < 2 || ((insn >>> 5) & 0x7f) > 5;
  return name === 'CLREX/DSB/DMB/ISB/SB' && (((insn >>> 5) & 7) === 4 || ((insn >>> 5) & 7) === 5);
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
      if (refusedInside(cpu.encodingName(insn), insn)) return undefined;
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

// Handlers keep parts of the CPU for their op (cpu.x, cpu.state.vw, cpu.vm...): here every part is this stand-in.
const standIn: object = new Proxy(function () {}, { get: () => standIn, apply: () => standIn });

/**
 * The translator's answers from a decode table alone, with a stand-in for the CPU (a handler that fails with
 * it counts as no): what a thread without the CPU knows (tools/cli/jit-worker.ts). They match interpreterOps'
 * decode (tests/cpu/jit-translation-job.test.ts).
 */
export function tableFacts(table: DecodeTable): InstructionFacts {
  const name = (insn: number): string | undefined => table.lookup(insn)?.name;
  const known = new Map<number, boolean>();
  return {
    interpretable(insn) {
      let yes = known.get(insn);
      if (yes === undefined) {
        const enc = table.lookup(insn);
        yes = false;
        if (enc !== undefined && !refusedInside(enc.name, insn)) {
          const ctx = { cpu: standIn as Cpu, pageOff: 0, endsBlock: false };
          try {
            yes = enc.handler(insn, ctx) !== null && !ctx.endsBlock;
          } catch {
            yes = false;
          }
        }
        known.set(insn, yes);
      }
      return yes;
    },
    isNop: (insn) => isNopHint(insn, name),
  };
}
