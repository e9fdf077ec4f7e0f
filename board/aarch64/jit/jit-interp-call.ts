// A compiled block calling the interpreter for one of its instructions: the
// slow or unusual cases of an instruction compiled inline (an access that
// misses the TLB or crosses a page, an FP operand the fast path does not
// handle, a non-default FPCR) run the interpreter's own decoded op, so they
// are exact by construction. The block compiler registers the op and passes
// its id; the call is a call out like a slow memory access (registers and
// flags stored before it, the instruction index recorded, so a fault it
// raises is precise), and the registers the instruction writes are read back.

import { P_PAGE_VA, type Jit } from './jit-context';
import { SLOT_FAULT_INDEX, SLOT_RETIRED } from './cpu-slot';
import { Host } from './jit-memory';
import { Op } from './wasm-module';

/**
 * Set by the block compiler around each block's translation: gives the id of
 * the interpreter's op for instruction `index` of the block being translated
 * (undefined: no interpreter calls, those instructions are not compiled).
 */
export const interpreterOps: { register: ((index: number) => number) | undefined } = { register: undefined };

/** Whether translators may emit interpreter calls for the block being translated. */
export function canCallInterpreter(): boolean {
  return interpreterOps.register !== undefined;
}

/**
 * Emits a call running the current instruction in the interpreter; `writes`
 * are the general registers it may write. `pure`: the op only computes on
 * registers, FPCR and FPSR (AdvSIMD and FP data processing), so it can
 * neither raise an interrupt line nor drop code, and the block need not
 * return to the run loop after it (self-loops and chains go on); it may
 * still throw (an UNDEFINED encoding), precisely.
 */
export function callInterpreter(j: Jit, writes: readonly number[] = [], writesFlags = false, pure = false): void {
  const id = interpreterOps.register!(j.index);
  if (pure) {
    const c = j.code;
    c.i32(0).i32(j.index).mem(Op.I32Store, j.slot + SLOT_FAULT_INDEX);
    c.i32(0).get(j.done).i32(j.index).op(Op.I32Add).mem(Op.I32Store, j.slot + SLOT_RETIRED);
    j.spill();
  } else j.beforeCall();
  j.code.i32(id).get(P_PAGE_VA).call(Host.Interp);
  for (const r of writes) j.reload(r);
  if (writesFlags) j.reloadFlags();
}
