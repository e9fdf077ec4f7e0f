// One decoded block's instructions to one WebAssembly function, up to the
// first instruction outside the compiled subset (the interpreter runs the
// rest of the block). A block whose last instruction branches back to its
// first repeats inside the function while the branch is taken, the budget
// lasts and nothing called out to the host (which could raise an interrupt
// line, ask to stop or drop decoded code), as the run loop would have picked
// the same block again.
//
// The function stores the instructions it retired in the CPU slot and
// returns the next PC; registers and NZCV are in the slot when it returns or
// when a call to the host throws.

import { translateAlu } from './jit-alu';
import { translateBranch } from './jit-branch';
import { ExitLinks, Flags, Jit, P_BUDGET, P_PAGE_VA } from './jit-context';
import { translateLoadStore } from './jit-load-store';
import { translateFpLoadStore } from './jit-fp-load-store';
import { translateSimd } from './jit-simd';
import { SLOT_RETIRED, SLOT_TPIDR } from './cpu-slot';
import { OpNumber, translateFallback } from './jit-fallback';
import { Code, DefinedFunc, Op, T } from '../../jit/wasm-module';
import { ENTRY_MODE, type EntryPlan } from '../../jit/reg-flow';

export const BLOCK_TYPE = { params: [T.F64, T.I32], results: [T.F64] } as const;

export interface Translation {
  readonly func: DefinedFunc;
  /** Instructions compiled (a prefix of the block). */
  readonly count: number;
}

/**
 * `words`: the block's instruction words; `startOff`: the page offset of the
 * first. Returns null when not even the first instruction is in the subset,
 * with the encoding that stopped it in `stoppedAt`.
 */
export function translateBlock(
  words: ArrayLike<number>,
  startOff: number,
  slot: number,
  stoppedAt?: { insn: number },
  /** Instructions the interpreter runs as no-ops (NOP and the other hints without effect, DMB, DSB). */
  isNop: (insn: number) => boolean = () => false,
  /** Numbers interpreter ops for instructions outside the subset (jit-fallback.ts); without it they end the compiled part. */
  opNumber?: OpNumber,
  /** The module's flags function (region-translator.ts): with it a handler stores the state when a call throws, not every slow path. */
  flagsFunc = -1,
  /** The links of the exits of a whole block (Jit.links; jump-cache.ts); needs the flags function. */
  links?: ExitLinks,
  /** Slow memory accesses leave the function (Jit.missExits); needs the flags function. */
  missExits = false,
  /** The code may access the kernel's half of the address space (Jit.kernelData). */
  kernelData = true,
): Translation | null {
  // Each instruction's op is numbered once, whatever the passes.
  const numbered = new Map<number, number>();
  const number: OpNumber | undefined = opNumber && ((insn, off) => numbered.get(off) ?? (numbered.set(off, opNumber(insn, off)).get(off) as number));
  let first = translateOnce(words, startOff, slot, stoppedAt, isNop, number, flagsFunc, links, missExits, kernelData, undefined, false, [], ENTRY_MODE === 'all' ? null : undefined);
  if (first === null) return null;
  // An interpreter op may change the code after it, which the rest of the block (as the interpreter runs it) does
  // not see: a miss must not hand the rest to the interpreter's fresh decode. Such blocks call the host.
  if (missExits && first.throws) {
    first.func.code.release();
    missExits = false;
    first = translateOnce(words, startOff, slot, stoppedAt, isNop, number, flagsFunc, links, missExits, kernelData, undefined, false, [], ENTRY_MODE === 'all' ? null : undefined);
    if (first === null) return null;
  }
  // (A plan that does not hold: translated again, loading every register.)
  if (!first.loops && !first.interprets) {
    if (!first.planFailed) return first;
    first.func.code.release();
    return translateOnce(words, startOff, slot, undefined, isNop, number, flagsFunc, links, missExits, kernelData, undefined, false, [], null);
  }
  first.func.code.release();
  // A self-loop: translate again with everything the body writes dirty from the start, so the back
  // edge needs no stores (a fault in a later iteration still finds the earlier iterations' values stored).
  // An interpreted instruction: again, reloading every register the block uses after it.
  const again = (plan: EntryPlan | null) => translateOnce(words, startOff, slot, undefined, isNop, number, flagsFunc, links, missExits, kernelData, first.loops ? first.written : undefined, first.loops && first.writesFlags, first.used, plan);
  const second = again(ENTRY_MODE === 'all' ? null : first.plan);
  // (Its code differs from what the plan saw: once more, loading every register.)
  if (second?.planFailed !== true) return second;
  second.func.code.release();
  return again(null);
}

function translateOnce(
  words: ArrayLike<number>,
  startOff: number,
  slot: number,
  stoppedAt: { insn: number } | undefined,
  isNop: (insn: number) => boolean,
  opNumber: OpNumber | undefined,
  flagsFunc: number,
  links: ExitLinks | undefined,
  missExits: boolean,
  kernelData: boolean,
  loopWrites?: Iterable<number>,
  loopWritesFlags = false,
  used: readonly number[] = [],
  plan?: EntryPlan | null,
): (Translation & { loops: boolean; written: Set<number>; writesFlags: boolean; interprets: boolean; used: number[]; plan: EntryPlan | null; planFailed: boolean; throws: boolean }) | null {
  const j = new Jit(slot);
  j.plan = plan;
  if (plan !== null && ENTRY_MODE === 'slot') j.slotReads = plan === undefined ? 'straight' : 'planned';
  j.flagsFunc = flagsFunc;
  if (flagsFunc >= 0) j.links = links;
  j.missExits = missExits && flagsFunc >= 0;
  j.kernelData = kernelData;
  j.entryOff = startOff;
  // With a flags function the block starts from the slot's lazy NZCV (the previous block's, Jit.storeFlagsLazy).
  if (flagsFunc >= 0) j.flags = Flags.Dyn;
  if (loopWrites !== undefined) j.markWritten(loopWrites);
  if (loopWritesFlags) j.flagsDirty = true;
  const c = j.code;
  const n = words.length;
  const next = j.local(T.F64);
  // The loop is opened speculatively; a block that does not loop never branches to it.
  c.op(Op.Loop, 0x40);
  let count = 0;
  let exitTarget: number | undefined;
  let branched = false;
  let interprets = false;
  for (let i = 0; i < n; i++) {
    const insn = words[i] >>> 0;
    const off = startOff + 4 * i;
    j.index = i;
    if (i === n - 1) {
      const exit = translateBranch(j, insn, off);
      if (exit !== null) {
        c.set(next);
        exitTarget = exit.target;
        branched = true;
        count++;
        break;
      }
    }
    if (!isNop(insn) && !translateAlu(j, insn, off) && !translateLoadStore(j, insn, off) && !translateFpLoadStore(j, insn, off) && !translateSystem(j, insn) && !translateSimd(j, insn, off, opNumber)) {
      if (!translateFallback(j, insn, off, opNumber, used)) {
        if (stoppedAt) stoppedAt.insn = insn;
        break;
      }
      interprets = true;
    }
    count++;
  }
  if (count === 0) return null;
  if (!branched) {
    if (count === n) j.exitSite(`t${startOff + 4 * count}`);
    j.pcF64(startOff + 4 * count);
    c.set(next);
  }
  // Only a whole block's function goes on to the next (a partial one returns to the run loop's interpreter).
  j.chains = count === n;
  c.get(j.done).i32(count).op(Op.I32Add).set(j.done);
  const loops = branched && count === n && exitTarget === startOff;
  const writesFlags = j.flagsDirty;
  // The next pass repeats the body (its recording here has no back edge).
  if (loops) j.flow.linkBlock(0);
  // Not a loop after all: a plain block (a loop header costs a stack check and, in Liftoff, every local spilled).
  if (!(loops && loopWrites !== undefined)) c.b[0] = Op.Block;
  if (loops && loopWrites !== undefined) {
    // Repeat while the branch went back to the start, budget is left and nothing called out.
    c.get(next).get(P_PAGE_VA).f64(startOff).op(Op.F64Add, Op.F64Eq);
    c.get(j.done).get(P_BUDGET).op(Op.I32LtS, Op.I32And);
    c.get(j.calledOut).op(Op.I32Eqz, Op.I32And);
    c.op(Op.If, 0x40);
    const flags = j.flags;
    const dirty = j.flagsDirty;
    // The loop's top starts in the entry's form: Dyn with a flags function, else the locals.
    if (flagsFunc >= 0) j.toDyn();
    else j.materialize();
    c.op(Op.Br, 1, Op.End);
    j.flags = flags;
    j.flagsDirty = dirty;
  }
  c.op(Op.End);
  c.i32(0).get(j.done).mem(Op.I32Store, slot + SLOT_RETIRED);
  j.storeCalledOut();
  const flagsWritten = j.flagsDirty;
  j.exitPoint(true);
  // A whole block leaves NZCV lazy for the next block of the chain; a partial one hands over to the interpreter.
  if (flagsFunc >= 0 && count === n) {
    j.spillRegs();
    j.storeFlagsLazy();
  } else j.spill(false, 'tail');
  c.get(next);
  const body = j.wrapThrows(flagsWritten);
  return { func: { type: BLOCK_TYPE, locals: j.locals, code: body }, count, loops, written: j.written, writesFlags, interprets, used: j.usedRegs(), plan: j.nextPlan(), planFailed: j.planFailed, throws: j.throwingCalls };
}

/** MRS Xt, TPIDR_EL0 (readable at EL0 and EL1; the slot keeps its value, see SysRegStore.mirrorTpidr). */
export function translateSystem(j: Jit, insn: number): boolean {
  if ((insn & 0xffffffe0) >>> 0 !== 0xd53bd040) return false;
  j.code.i32(0).mem(Op.I64Load, j.slot + SLOT_TPIDR);
  j.setX(insn & 31, 1);
  return true;
}
