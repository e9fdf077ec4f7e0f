// One JavaScript function per hot block that calls the block's ops in a
// straight line, so each call site sees one closure and the JIT can inline
// it (the x86 twin of board/aarch64/block-function.ts). A block whose last
// instruction jumps back to its first repeats inside its function while the
// jump is taken, the budget lasts, no interrupt is pending, nothing asked to
// stop and no translation or code changed. Exceptions stay precise: the
// index of the op that threw is recorded before rethrowing. A store into
// the block's own page ends the function right after that instruction
// (b.smcIndex), so the stale rest of the block does not run.

import type { X86Block, X86BlockFunction } from './code-cache';
import type { X86Op } from './decoder';

/** The parts of the CPU a looping block function reads between iterations. */
export interface X86LoopGuards {
  rip: number;
  pageVa: number;
  retired: number;
  irqLine: boolean;
  stop: number;
  readonly mem: { readonly epoch: number };
}

let serial = 0;

export function compileX86Block(block: X86Block, cpu: X86LoopGuards): X86BlockFunction {
  const n = block.ops.length;
  const params: string[] = ['b', 'c', 'pg'];
  const calls: string[] = [];
  for (let i = 0; i < n; i++) {
    params.push(`o${i}`);
    calls.push(i === 0 ? 'o0();' : `i = ${i}; o${i}();`);
    // After an instruction that may store, stop if the store made this block's own code stale.
    if (i < n - 1 && mayStore(block, i)) calls.push(`if (!pg.valid) { b.smcIndex = ${i}; return; }`);
  }
  const header = `// x86 block ${serial++}\nreturn function (limit) {\n  let i = 0;\n`;
  const body = block.selfLoop
    ? `  const again = c.pageVa + ${block.startOff};\n` +
      `  const next = c.pageVa + ${block.endOff};\n` +
      `  const epoch = c.mem.epoch;\n` +
      `  try {\n` +
      `    for (;;) {\n` +
      `      ${calls.join(' ')}\n` +
      `      c.retired += ${n};\n` +
      `      if (c.rip !== again || c.retired >= limit || c.irqLine || c.stop !== 0 || c.mem.epoch !== epoch) return;\n` +
      `      c.rip = next;\n` +
      `      i = 0;\n` +
      `    }\n` +
      `  } catch (e) { b.faultIndex = i; throw e; }\n`
    : `  try { ${calls.join(' ')} } catch (e) { b.faultIndex = i; throw e; }\n` + `  c.retired += ${n};\n`;
  const make = new Function(...params, header + body + '};') as (b: X86Block, c: X86LoopGuards, pg: { valid: boolean }, ...ops: X86Op[]) => X86BlockFunction;
  return make(block, cpu, block.page ?? { valid: true }, ...block.ops);
}

/** Instructions with a memory operand, an implicit stack access, or a string operation. */
export function mayStore(block: X86Block, i: number): boolean {
  const insn = block.insns[i];
  return insn.isMem || insn.stack || (insn.map === 0 && insn.opcode >= 0xa4 && insn.opcode <= 0xaf);
}
