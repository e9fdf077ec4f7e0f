// The slow cases of instructions compiled inline (an LD1/ST1 that misses the
// TLB or crosses a page, an FP operand or FPCR the fast path does not take)
// run the interpreter's op for the instruction through the compiler's one
// interpreter-call mechanism (jit-fallback.ts, interpreter-ops.ts: the state
// stored, the op called, the run loop asked for when the op changed what
// compiled code depends on), so result, flags and faults are the
// interpreter's by construction.

import { P_PAGE_VA, type Jit } from './jit-context';
import type { OpNumber } from './jit-fallback';
import { Host } from './jit-memory';
import { forgetPages } from './jit-page-cache';
import { Op } from '../../jit/wasm-module';

/** The instruction translateSimd is translating, and its block's op numbering. */
const current: { insn: number; off: number; opNumber: OpNumber | undefined } = { insn: 0, off: 0, opNumber: undefined };

/** Called by translateSimd for each instruction. */
export function beginInstruction(insn: number, off: number, opNumber: OpNumber | undefined): void {
  current.insn = insn;
  current.off = off;
  current.opNumber = opNumber;
}

/** Whether the current instruction may call the interpreter (translators emit nothing when not). */
export function canCallInterpreter(): boolean {
  return current.opNumber !== undefined && current.opNumber(current.insn, current.off) >= 0;
}

/**
 * Emits the call running the current instruction in the interpreter; `writes`
 * are the general registers it may write (read back), `writesFlags` when it
 * may set NZCV. Otherwise the flags keep the form they had before the call
 * (the op did not change them), so both sides of a fast/slow branch agree.
 */
export function callInterpreter(j: Jit, writes: readonly number[] = [], writesFlags = false): void {
  const id = current.opNumber!(current.insn, current.off);
  const c = j.code;
  const flags = j.flags;
  const width = j.flagWidth;
  const dirty = j.flagsDirty;
  // The interpreter runs the instruction from its start: the fast way's writes are not on this path.
  const fast = j.alternative();
  j.beforeCall(false, true);
  c.get(P_PAGE_VA).i32(id).call(Host.InterpretOp);
  c.op(Op.If, 0x40);
  j.markCalledOut();
  c.op(Op.End);
  forgetPages(j);
  j.reload(writes);
  j.join(fast);
  if (writesFlags) j.flagsDirty = true;
  else {
    j.flags = flags;
    j.flagWidth = width;
    j.flagsDirty = dirty;
  }
}
