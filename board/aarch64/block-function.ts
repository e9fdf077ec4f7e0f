// One JavaScript function per hot block that calls the block's ops in a
// straight line. Calling ops[i]() from the run loop is one megamorphic call
// site for every instruction of every block; here each call site sees a
// single closure, so the JIT can inline the ops into the block's function.
// A small step toward a block compiler: the ops still read and write the
// shared register file and RAM.
//
// Exceptions stay precise: the function records in `faultIndex` the index of
// the op that threw before rethrowing.

import type { Op } from './decoder';

/** What a compiled block needs: its ops, and a place to say which op threw. */
export interface BlockOps {
  readonly ops: Op[];
  faultIndex: number;
}

let serial = 0;

/**
 * The source is unique per block (a serial number in a comment): V8 caches
 * `new Function` by source and would otherwise let every block of the same
 * length share one set of call-site feedback, which is megamorphic again.
 */
export function compileBlock(block: BlockOps): () => void {
  const n = block.ops.length;
  const params: string[] = ['b'];
  const calls: string[] = [];
  for (let i = 0; i < n; i++) {
    params.push(`o${i}`);
    calls.push(i === 0 ? 'o0();' : `i = ${i}; o${i}();`);
  }
  const body =
    `// block ${serial++}\n` +
    `return function () {\n` +
    `  let i = 0;\n` +
    `  try { ${calls.join(' ')} } catch (e) { b.faultIndex = i; throw e; }\n` +
    `};`;
  const make = new Function(...params, body) as (b: BlockOps, ...ops: Op[]) => () => void;
  return make(block, ...block.ops);
}
