// One JavaScript function per hot block that calls the block's ops in a
// straight line. Calling ops[i]() from the run loop is one megamorphic call
// site for every instruction of every block; here each call site sees a
// single closure, so the JIT can inline the ops into the block's function.
// A small step toward a block compiler: the ops still read and write the
// shared register file and RAM.
//
// A block whose last instruction branches back to its own first one (a tight
// loop) repeats inside its function while the branch is taken, the budget
// lasts, no interrupt line is up, nothing asked to stop and no translation or
// code changed, which is exactly when the run loop would have picked the same
// block again.
//
// The function counts what it retires (in the CPU's counter, which the
// generic timer may read between iterations). Exceptions stay precise: it
// records the index of the op that threw before rethrowing.

import type { Op } from './decoder';

/** What a compiled block needs: its ops, and where to say which op threw. */
export interface BlockOps {
  readonly ops: Op[];
  /** Page offset of the first instruction, and of the instruction after the last. */
  readonly startOff: number;
  readonly endOff: number;
  /** The last instruction is a direct branch to the first. */
  readonly selfLoop: boolean;
  faultIndex: number;
}

/** The parts of the CPU a looping block function reads between iterations. */
export interface LoopGuards {
  pc: number;
  pageVa: number;
  retired: number;
  irqLine: boolean;
  fiqLine: boolean;
  stop: number;
  readonly vm: { readonly epoch: number };
}

/** Runs the block (repeatedly if it loops, while the retired count is below `limit`), counting retired instructions. */
export type BlockFunction = (limit: number) => void;

let serial = 0;

/**
 * The source is unique per block (a serial number in a comment): V8 caches
 * `new Function` by source and would otherwise let every block of the same
 * length share one set of call-site feedback, which is megamorphic again.
 */
export function compileBlock(block: BlockOps, cpu: LoopGuards): BlockFunction {
  const n = block.ops.length;
  const params: string[] = ['b', 'c'];
  const calls: string[] = [];
  for (let i = 0; i < n; i++) {
    params.push(`o${i}`);
    calls.push(i === 0 ? 'o0();' : `i = ${i}; o${i}();`);
  }
  const header = `// block ${serial++}\nreturn function (limit) {\n  let i = 0;\n`;
  const body = block.selfLoop
    ? `  const again = c.pageVa + ${block.startOff};\n` +
      `  const next = c.pageVa + ${block.endOff};\n` +
      `  const epoch = c.vm.epoch;\n` +
      `  try {\n` +
      `    for (;;) {\n` +
      `      ${calls.join(' ')}\n` +
      `      c.retired += ${n};\n` +
      `      if (c.pc !== again || c.retired >= limit || c.irqLine || c.fiqLine || c.stop !== 0 || c.vm.epoch !== epoch) return;\n` +
      `      c.pc = next;\n` +
      `      i = 0;\n` +
      `    }\n` +
      `  } catch (e) { b.faultIndex = i; throw e; }\n`
    : `  try { ${calls.join(' ')} } catch (e) { b.faultIndex = i; throw e; }\n` + `  c.retired += ${n};\n`;
  const make = new Function(...params, header + body + '};') as (b: BlockOps, c: LoopGuards, ...ops: Op[]) => BlockFunction;
  return make(block, cpu, ...block.ops);
}
