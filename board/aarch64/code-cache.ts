// The A64 CPU's decoded blocks, in the shared per-page code cache
// (board/memory/code-cache.ts): a page holds a slot per 4-byte instruction.

import type { BlockFunction } from './block-function';
import { JitState, type CompiledBlock } from './jit/block-compiler';
import type { Op } from './decoder';
import type { Trace } from './jit/traces';
import { CodeCache as PageCodeCache, type CodePage as PageOfCode } from '../memory/code-cache';

export class Block {
  /**
   * Up to two successors (taken and fall-through) found by earlier runs, valid
   * while the translation epoch they were linked in lasts: following a link
   * skips the TLB and code-page lookups.
   */
  linkEpoch = -1;
  link0Pc = NaN;
  link0: Block | undefined;
  link1Pc = NaN;
  link1: Block | undefined;
  /** Times the block ran through the op loop; at HOT_BLOCK_RUNS it gets its own function. */
  runs = 0;
  /** The straight-line function of a hot block (see block-function.ts). */
  fn: BlockFunction | undefined;
  /** Index of the op that threw, set by `fn`. */
  faultIndex = 0;
  /** The last instruction is a direct branch back to the first. */
  selfLoop = false;
  /** The block (or its first compiledCount instructions) as WebAssembly (jit/block-compiler.ts). */
  compiled: CompiledBlock | undefined;
  compiledCount = 0;
  tableIndex = -1;
  /** When `compiled` is a region spanning code pages: what the run loop checks before entering it (jit/traces.ts). */
  trace: Trace | undefined = undefined;
  jitState: number = JitState.Cold;
  /** Times its compiled function left at a slow memory access, and whether it now compiles with host calls instead. */
  jitMisses = 0;
  missCalls = false;

  constructor(
    /** The physical page the block was decoded from. */
    readonly page: CodePage,
    readonly ops: Op[],
    /** Page offset of the first instruction, and of the instruction after the last. */
    readonly startOff: number,
    readonly endOff: number,
    /** Index of the first FP/AdvSIMD instruction (ops.length when none): where a CPACR trap stops the block. */
    readonly fpCut: number = ops.length,
  ) {}

  link(epoch: number, pc: number, next: Block): void {
    if (this.linkEpoch !== epoch) {
      this.linkEpoch = epoch;
      this.link0Pc = pc;
      this.link0 = next;
      this.link1Pc = NaN;
      this.link1 = undefined;
    } else if (this.link1 === undefined) {
      this.link1Pc = pc;
      this.link1 = next;
    }
  }
}

export type CodePage = PageOfCode<Block>;

export class CodeCache extends PageCodeCache<Block> {
  constructor(ramSize: number) {
    super(ramSize, 1024);
  }
}
