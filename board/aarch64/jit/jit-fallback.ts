// An instruction outside the compiled subset run by the interpreter from
// inside compiled code (interpreter-ops.ts): the block stores its state,
// calls the interpreter's op through the host, and reloads its locals.

import { Jit, P_PAGE_VA } from './jit-context';
import { Host } from './jit-memory';
import { forgetPages } from './jit-page-cache';
import { Op } from '../../jit/wasm-module';

/** Gives the module-local number of the interpreter op for `insn` at page offset `off`, or -1 when it must not run inside compiled code. */
export type OpNumber = (insn: number, off: number) => number;

/** Emits the call; false when the instruction is not one the interpreter may run here. `later`: registers the rest of the block uses. */
export function translateFallback(j: Jit, insn: number, off: number, opNumber: OpNumber | undefined, later: Iterable<number>): boolean {
  if (opNumber === undefined) return false;
  const id = opNumber(insn, off);
  if (id < 0) return false;
  const c = j.code;
  j.beforeCall(false, true);
  c.get(P_PAGE_VA).i32(id).call(Host.InterpretOp);
  c.op(Op.If, 0x40);
  j.markCalledOut();
  c.op(Op.End);
  forgetPages(j);
  j.reload(later);
  return true;
}
