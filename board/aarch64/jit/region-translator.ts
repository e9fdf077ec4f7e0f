// Regions: a hot block and the hot blocks of its page that its direct
// branches reach, compiled as one function, so a loop of several blocks runs
// without returning to the dispatcher: registers stay in locals across the
// blocks, NZCV stays lazy across the edges (the Dyn state: the kind of the
// last setter in a local, computed by the module's flags function only when
// a block reads flags another set, or when the state is stored), and no
// block pays an entry and an exit.
//
//   block $dyn
//     block $exit
//       loop $top
//         block $b(n-1) ... block $b0
//           br_table idx            ;; the block to run
//         end  <code of block 0>   ;; an edge to block 1 falls through
//         end  <code of block 1>
//         ...
//       end
//     end
//     next = pageVa + exitOff      ;; an exit to a known PC
//   end                            ;; BR, BLR, RET set next themselves
//   retired, registers and flags stored; return next
//
// With `calls` (BlockCompiler.regionCalls), a BL goes to its target inside
// the region (X30 set as the instruction would) and the block after it joins
// the region; a RET whose register names such a block goes back to it
// there, else leaves like BR.
//
// Only the head is an entry (the function is the head block's). Every edge
// leaves the function when something called out (a store may have dropped
// this page's code, an interrupt line may be up) or the budget is spent (the
// run loop's rule: the next block runs while retired < budget). A fault anywhere leaves the interpreter's state: the fault
// index counts from the head, the retired count includes the blocks run.

import { bit, bits, sbits } from '../decoder';
import { isFpInstruction } from '../fp-access';
import { i64n, translateAlu } from './jit-alu';
import { translateBranch } from './jit-branch';
import { ExitLinks, Flags, Jit, P_BUDGET, P_PAGE_VA } from './jit-context';
import { OpNumber, translateFallback } from './jit-fallback';
import { translateSimd } from './jit-simd';
import { translateFpLoadStore } from './jit-fp-load-store';
import { translateLoadStore } from './jit-load-store';
import { BLOCK_TYPE, Translation, translateSystem } from './block-translator';
import { SLOT_EPOCH, SLOT_FLAGS, SLOT_LAZY_FLAGS, SLOT_RETIRED } from './cpu-slot';
import { DefinedFunc, Op, T } from '../../jit/wasm-module';
import { ENTRY_MODE, type EntryPlan } from '../../jit/reg-flow';

/** A block of a region: page offsets of its first instruction and of the one after its last. */
export interface RegionBlock {
  readonly start: number;
  readonly end: number;
}

/** Blocks in a region, at most. */
export const REGION_BLOCKS = 24;
/** Code pages a region spans, at most (the head's included), and how far from the head its blocks may lie (jit-context.ts WHERE_BITS). */
export const REGION_PAGES = 4;
const REGION_REACH = 16 << 20;
/** Edges to a later block of the region branch to it directly, not through the loop's br_table (measuring: SALTY_JIT_FORWARD=0 turns it off). */
const FORWARD_BR = typeof process === 'undefined' || process.env.SALTY_JIT_FORWARD !== '0';

/** Index of the page holding a region offset (relative to the head's page; negative before it). */
export const pageOf = (off: number): number => Math.floor(off / 4096);
/** Instructions of a region block when no branch ends it first (the interpreter's MAX_BLOCK). */
const MAX_INSNS = 256;

const enum Br {
  None,
  /** B: the target only. */
  Always,
  /** B.cond, CBZ/CBNZ, TBZ/TBNZ: the target or the next instruction. */
  Cond,
  /** BR, BLR: leaves the region. */
  Leave,
  /** BL: the target, with X30 set; the instruction after it is where the callee returns. */
  Call,
  /** RET: a block of the region that follows a BL when the register holds its address, else leaves. */
  Ret,
}

function branchKind(insn: number): Br {
  if ((insn & 0xfc000000) >>> 0 === 0x14000000) return Br.Always;
  if ((insn & 0xfc000000) >>> 0 === 0x94000000) return Br.Call;
  if ((insn & 0xff000010) >>> 0 === 0x54000000 || (insn & 0x7e000000) === 0x34000000 || (insn & 0x7e000000) === 0x36000000) return Br.Cond;
  const k = (insn & 0xfffffc1f) >>> 0;
  if (k === 0xd65f0000) return Br.Ret;
  return k === 0xd61f0000 || k === 0xd63f0000 ? Br.Leave : Br.None;
}

/** BL and RET leave the region unless regions follow calls. */
function leaveUnless(kind: Br, calls: boolean): Br {
  return !calls && (kind === Br.Call || kind === Br.Ret) ? Br.Leave : kind;
}

/** Whether the block at `start` follows a BL in its page (a return address). */
function followsCall(word: (off: number) => number, start: number): boolean {
  return (start & 4095) >= 4 && branchKind(word(start - 4)) === Br.Call;
}

/** Page offset of a direct branch's target. */
function branchTarget(insn: number, off: number): number {
  if ((insn & 0x7c000000) === 0x14000000) return off + sbits(insn, 25, 0) * 4;
  if ((insn & 0x7e000000) === 0x36000000) return off + sbits(insn, 18, 5) * 4;
  return off + sbits(insn, 23, 5) * 4;
}

/**
 * The region of the block [startOff, endOff): the head, then the blocks its direct branches reach in
 * the page for which `include` says yes, breadth first, up to REGION_BLOCKS. Blocks with SIMD&FP
 * instructions join only when the head has one (a CPACR trap keeps the head, and so the region, out of chains).
 */
export function findRegion(word: (off: number) => number, startOff: number, endOff: number, include: (off: number) => boolean, loopsOnly = true, calls = false, pages = false): RegionBlock[] {
  const blocks: RegionBlock[] = [{ start: startOff, end: endOff }];
  const hasFp = (b: RegionBlock): boolean => {
    for (let off = b.start; off < b.end; off += 4) if (isFpInstruction(word(off))) return true;
    return false;
  };
  // Whether the head has an FP instruction: asked only when a successor joins (most heads have none).
  let headFp: boolean | undefined;
  const successors: number[][] = [];
  for (let k = 0; k < blocks.length; k++) {
    const last = blocks[k].end - 4;
    const insn = word(last);
    const kind = leaveUnless(branchKind(insn), calls);
    // A call's successors are its target and the return address (a RET in the region may go back to it).
    successors.push(kind === Br.Cond || kind === Br.Call ? [branchTarget(insn, last), last + 4] : kind === Br.Always ? [branchTarget(insn, last)] : []);
    for (const to of successors[k]) {
      // Other pages only with `pages` (traces.ts: their mapping is checked where the code crosses into them).
      const elsewhere = to < 0 || to >= 4096;
      if ((elsewhere && (!pages || Math.abs(to - startOff) >= REGION_REACH || !newPageFits(blocks, to))) || blocks.some((b) => b.start === to) || blocks.length >= REGION_BLOCKS || !include(to)) continue;
      const limit = to - (to & 4095) + 4096;
      let end = to;
      while (end < limit && end - to < 4 * MAX_INSNS) {
        end += 4;
        if (branchKind(word(end - 4)) !== Br.None) break;
      }
      const b = { start: to, end };
      headFp ??= hasFp(blocks[0]);
      if (headFp || !hasFp(b)) blocks.push(b);
    }
  }
  if (blocks.length === 1) return blocks;
  // Only the blocks on a cycle through the head (a loop) are worth compiling twice: the others run once
  // per entry, as well chained as their own functions.
  const onCycle = new Set<number>([startOff]);
  for (let grew = true; grew; ) {
    grew = false;
    blocks.forEach((b, k) => {
      if (!onCycle.has(b.start) && successors[k].some((to) => onCycle.has(to))) {
        onCycle.add(b.start);
        grew = true;
      }
    });
  }
  if (loopsOnly && !successors[0].some((to) => onCycle.has(to))) return [blocks[0]];
  const loop = blocks.slice(1).filter((b) => !loopsOnly || onCycle.has(b.start));
  // After the head, in page order from it: a loop's body then mostly falls through from block to block.
  // Blocks of other pages after those of the head's page.
  const key = (b: RegionBlock): number => (b.start >= 0 && b.start < 4096 ? (b.start - startOff + 4096) % 4096 : 2 * REGION_REACH + b.start);
  return [blocks[0], ...loop.sort((a, b) => key(a) - key(b))];
}

/** Whether a block at `to` keeps the region within REGION_PAGES pages. */
function newPageFits(blocks: readonly RegionBlock[], to: number): boolean {
  const pages = new Set(blocks.map((b) => pageOf(b.start)));
  return pages.has(pageOf(to)) || pages.size < REGION_PAGES;
}

/** The module's flags function: NZCV of the lazy state in SLOT_LAZY_FLAGS into the slot's flag words (the kind then 0). */
export function flagsFunction(slot: number): DefinedFunc {
  const j = new Jit(slot);
  const c = j.code;
  c.i32(0).mem(Op.I64Load, slot + SLOT_LAZY_FLAGS).set(j.fa);
  c.i32(0).mem(Op.I64Load, slot + SLOT_LAZY_FLAGS + 8).set(j.fb);
  const kinds: Array<[Flags, number]> = [
    [Flags.Sub, 64],
    [Flags.Sub, 32],
    [Flags.Add, 64],
    [Flags.Add, 32],
    [Flags.Logic, 64],
    [Flags.Logic, 32],
  ];
  for (let k = 0; k <= kinds.length; k++) c.op(Op.Block, 0x40);
  c.i32(0).mem(Op.I32Load, slot + SLOT_LAZY_FLAGS + 16).op(Op.BrTable).u(kinds.length + 1);
  for (let k = 0; k <= kinds.length; k++) c.u(k);
  c.u(0);
  c.op(Op.End, Op.Return);
  kinds.forEach(([flags, width], i) => {
    c.op(Op.End);
    j.flags = flags;
    j.flagWidth = width;
    for (let k = 0; k < 4; k++) {
      c.i32(0);
      j.flag(k);
      c.mem(Op.I32Store, slot + SLOT_FLAGS + 4 * k);
    }
    c.i32(0).i32(0).mem(Op.I32Store, slot + SLOT_LAZY_FLAGS + 16);
    if (i < kinds.length - 1) c.op(Op.Return);
  });
  return { type: { params: [T.F64, T.I32], results: [] }, locals: j.locals, code: c };
}

export interface RegionOptions {
  readonly slot: number;
  readonly isNop: (insn: number) => boolean;
  readonly opNumber: OpNumber | undefined;
  /** Function index of the module's flags function. */
  readonly flagsFunc: number;
  /** BL goes to its target inside the region, RET to a block after a BL of the region when X30 names it (findRegion's `calls`). */
  readonly calls?: boolean;
  /**
   * Memory offset of the region's check word when its blocks span pages (traces.ts): an edge into another page
   * than the head's goes on only while the word equals the slot's epoch, else it leaves for the dispatcher.
   */
  readonly crossCheck?: number;
  /** The links of the region's exits (Jit.links; jump-cache.ts). */
  readonly links?: ExitLinks;
  /** Slow memory accesses leave the function (Jit.missExits). */
  readonly missExits?: boolean;
  /** The code may access the kernel's half of the address space (Jit.kernelData; the default). */
  readonly kernelData?: boolean;
}

interface Pass {
  readonly written: Set<number>;
  readonly writesFlags: boolean;
  readonly used: number[];
  /** The registers' analysis for the next pass (null: the next loads every register). */
  readonly plan: EntryPlan | null;
  /** The function calls something that may throw (an interpreter op, or the host). */
  readonly throws: boolean;
}

/**
 * The region as one function, or null when its head does not compile whole (the caller then compiles the block alone).
 * The second pass knows from the start every register the region writes, whether it writes NZCV, the registers it
 * keeps in locals and the first pass's analysis of which an entry must load (reg-flow.ts).
 */
export function translateRegion(word: (off: number) => number, blocks: readonly RegionBlock[], o: RegionOptions): Translation | null {
  let first = regionPass(word, blocks, o);
  if (first === null) return null;
  first.t.func.code.release();
  // (As translateBlock: an interpreter op may change the code after it; such regions call the host.)
  if (o.missExits === true && first.pass.throws) {
    o = { ...o, missExits: false };
    first = regionPass(word, blocks, o);
    if (first === null) return null;
    first.t.func.code.release();
  }
  const second = regionPass(word, blocks, o, first.pass);
  if (second?.failed !== true) return second?.t ?? null;
  // (The second pass's code differs from the plan's: translate again, loading every register.)
  second.t.func.code.release();
  return regionPass(word, blocks, o, { ...first.pass, plan: null })?.t ?? null;
}

function regionPass(word: (off: number) => number, blocks: readonly RegionBlock[], o: RegionOptions, before?: Pass): { t: Translation; pass: Pass; failed: boolean } | null {
  const j = new Jit(o.slot);
  j.plan = ENTRY_MODE === 'all' ? null : before?.plan;
  // The second pass (whose code is kept) reads a register from the slot where the first saw it clean.
  if (before !== undefined && before.plan !== null && ENTRY_MODE === 'slot') j.slotReads = 'planned';
  const c = j.code;
  j.flagsFunc = o.flagsFunc;
  j.links = o.links;
  j.missExits = o.missExits === true;
  j.kernelData = o.kernelData !== false;
  j.entryOff = blocks[0].start;
  // The function is the head block's, whole: every exit may go on through its link.
  j.chains = true;
  const idx = j.local(T.I32);
  const next = j.local(T.F64);
  // An exit to a known PC sets its page offset here; the tail adds the page's address once (an f64 sum per exit
  // inside the loop is loop-invariant, and TurboFan computed and spilled every one at the function's entry).
  const exitOff = j.local(T.I32);
  const cnd = j.local(T.I32);
  if (before !== undefined) {
    j.markWritten(before.written);
    j.flagsDirty = before.writesFlags;
  }
  let writesFlags = j.flagsDirty;
  const used = before?.used ?? [];
  const n = blocks.length;
  const head = blocks[0].start;
  const indexOf = (off: number): number => blocks.findIndex((b) => b.start === off);
  // Blocks a RET may return to: those after a BL.
  // (A loop: `map` then `filter` here handed TurboFan's code of this function an array of another map in later
  // runs, a deoptimisation and a second 45 ms compile of it.)
  const returns: number[] = [];
  for (let m = 0; m < n; m++) if (followsCall(word, blocks[m].start)) returns.push(m);
  c.op(Op.Block, 0x40, Op.Block, 0x40, Op.Loop, 0x40);
  for (let k = 0; k < n; k++) c.op(Op.Block, 0x40);
  c.get(idx).op(Op.BrTable).u(n);
  for (let k = 0; k < n; k++) c.u(k);
  c.u(0);
  for (let k = 0; k < n; k++) {
    c.op(Op.End);
    const b = blocks[k];
    const len = (b.end - b.start) >>> 2;
    j.flags = Flags.Dyn;
    j.faultBase = (b.start - head) >> 2;
    j.flow.enterBlock(k);
    // Depths of $top and $exit from this block's top level.
    const top = n - 1 - k;
    const exit = (d: number, to: number): void => {
      j.exitSite(`t${to}`);
      j.exitPoint();
      c.i32(to).set(exitOff).op(Op.Br, top + 1 + d);
    };
    // Pushes whether an edge to block m must leave: something called out, the budget is spent (the run
    // loop's rule), or m lies in another page than the head's and that page's mapping is not checked this epoch.
    const mustLeave = (m: number): void => {
      c.get(j.calledOut).get(j.done).get(P_BUDGET).op(Op.I32GeS, Op.I32Or);
      const p = pageOf(blocks[m].start);
      if (o.crossCheck !== undefined && p !== 0 && p !== pageOf(b.start)) {
        c.i32(0).mem(Op.I32Load, o.crossCheck).i32(0).mem(Op.I32Load, o.slot + SLOT_EPOCH).op(Op.I32Ne, Op.I32Or);
      }
    };
    const edge = (d: number, to: number): void => {
      const m = indexOf(to);
      if (m < 0) return exit(d, to);
      const back = m <= k;
      j.flow.linkBlock(m);
      mustLeave(m);
      c.op(Op.If, 0x40);
      exit(d + 1, to);
      c.op(Op.End);
      if (back) c.i32(m).set(idx).op(Op.Br, top + d);
      else if (m !== k + 1) forward(d, m);
    };
    // A later block directly: its code follows the end of the wasm block $b(m), which encloses this block's code
    // (the loop's top, with its br_table, merges every local from every edge: only edges back go there).
    const forward = (d: number, m: number): void => {
      if (!FORWARD_BR) c.i32(m).set(idx).op(Op.Br, top + d);
      else c.op(Op.Br, m - k - 1 + d);
    };
    // To block m of the region (an edge taken inside a test does not fall through).
    const jump = (d: number, m: number): void => {
      j.flow.linkBlock(m);
      mustLeave(m);
      c.op(Op.If, 0x40);
      exit(d + 1, blocks[m].start);
      c.op(Op.End);
      if (m <= k) c.i32(m).set(idx).op(Op.Br, top + d);
      else forward(d, m);
    };
    let count = 0;
    let ended = false;
    for (let i = 0; i < len; i++) {
      const insn = word(b.start + 4 * i) >>> 0;
      const off = b.start + 4 * i;
      j.index = i;
      const kind = i === len - 1 ? leaveUnless(branchKind(insn), o.calls === true) : Br.None;
      if (kind === Br.Cond) {
        pushCondition(j, insn);
        c.set(cnd);
        retire(j, len);
        j.toDyn();
        c.get(cnd).op(Op.If, 0x40);
        edge(1, branchTarget(insn, off));
        c.op(Op.Else);
        edge(1, off + 4);
        c.op(Op.End);
        ended = true;
      } else if (kind === Br.Always) {
        retire(j, len);
        j.toDyn();
        edge(0, branchTarget(insn, off));
        ended = true;
      } else if (kind === Br.Call) {
        c.get(j.pageVa64);
        i64n(j, off + 4);
        c.op(Op.I64Add);
        j.setX(30, 1);
        retire(j, len);
        j.toDyn();
        edge(0, branchTarget(insn, off));
        ended = true;
      } else if (kind === Br.Ret && returns.length > 0) {
        // A return predicted among the region's return addresses, else the run loop's way.
        const t = j.tmp(T.I64);
        j.x(bits(insn, 9, 5)).code.set(t);
        retire(j, len);
        j.toDyn();
        for (const m of returns) {
          c.get(t).get(j.pageVa64);
          i64n(j, blocks[m].start);
          c.op(Op.I64Add, Op.I64Eq, Op.If, 0x40);
          jump(1, m);
          c.op(Op.End);
        }
        j.exitSite(`d${off}`);
        j.exitPoint();
        c.get(t).op(Op.F64ConvertI64S).set(next).op(Op.Br, top + 2);
        j.free(T.I64, t);
        ended = true;
      } else if (kind === Br.Leave || kind === Br.Ret) {
        translateBranch(j, insn, off);
        c.set(next);
        retire(j, len);
        j.toDyn();
        j.exitPoint();
        c.op(Op.Br, top + 2);
        ended = true;
      } else if (o.isNop(insn) || translateAlu(j, insn, off) || translateLoadStore(j, insn, off) || translateFpLoadStore(j, insn, off) || translateSystem(j, insn) || translateSimd(j, insn, off, o.opNumber) || translateFallback(j, insn, off, o.opNumber, used)) {
        count++;
        continue;
      }
      if (!ended && k === 0) return null;
      break;
    }
    writesFlags ||= j.flagsDirty;
    if (!ended) {
      // Stopped at an instruction outside the subset, or the block ends without a branch: leave at the next.
      retire(j, count);
      j.toDyn();
      exit(0, b.start + 4 * count);
    }
  }
  c.op(Op.End, Op.End);
  c.get(P_PAGE_VA).get(exitOff).op(Op.F64ConvertI32S, Op.F64Add).set(next);
  c.op(Op.End);
  c.i32(0).get(j.done).mem(Op.I32Store, o.slot + SLOT_RETIRED);
  j.storeCalledOut();
  j.flags = Flags.Dyn;
  j.flagsDirty = writesFlags;
  j.spillRegs();
  j.storeFlagsLazy();
  c.get(next);
  // (The first pass's code is thrown away: only its recording counts, so it skips the prologue, the handler and
  // the patching of miss branches.)
  const body = before === undefined ? c : j.wrapThrows(writesFlags);
  const headLen = (blocks[0].end - blocks[0].start) >>> 2;
  const pass = { written: new Set(j.written), writesFlags, used: j.usedRegs(), plan: j.nextPlan(), throws: j.throwingCalls };
  return { t: { func: { type: BLOCK_TYPE, locals: j.locals, code: body }, count: headLen }, pass, failed: j.planFailed };
}

function retire(j: Jit, count: number): void {
  j.code.get(j.done).i32(count).op(Op.I32Add).set(j.done);
}

/** Pushes whether a conditional branch (B.cond, CBZ/CBNZ, TBZ/TBNZ) is taken, as an i32 0/1. */
function pushCondition(j: Jit, insn: number): void {
  const c = j.code;
  if ((insn & 0xff000010) >>> 0 === 0x54000000) {
    j.condition(bits(insn, 3, 0));
    return;
  }
  const rt = bits(insn, 4, 0);
  if ((insn & 0x7e000000) === 0x34000000) (bit(insn, 31) === 1 ? j.x(rt) : j.wz(rt)).code.op(Op.I64Eqz);
  else {
    const pos = (bit(insn, 31) << 5) | bits(insn, 23, 19);
    j.x(rt).code.i64(pos).op(Op.I64ShrU).i64(1).op(Op.I64And, Op.I64Eqz);
  }
  if (bit(insn, 24) === 1) c.op(Op.I32Eqz);
}
