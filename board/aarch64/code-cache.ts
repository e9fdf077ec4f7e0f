// Decoded instructions, kept per physical 4 KiB page of RAM. A page's blocks
// are dropped when the page is written (by a CPU store, DMA or the hosted kernel).

import type { BlockFunction } from './block-function';
import type { Op } from './decoder';

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

  constructor(
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

export class CodePage {
  valid = true;
  readonly blocks: (Block | undefined)[] = new Array(1024);
  constructor(
    /** Offset of the page in RAM (physical address - RAM base). */
    readonly ramOffset: number,
  ) {}
}

export class CodeCache {
  private readonly pages: (CodePage | undefined)[];
  /** Called with a page's RAM offset when it first holds decoded code, so write TLB entries to it can be dropped. */
  onNewCodePage: (ramOffset: number) => void = () => {};
  /** Called when decoded code is dropped, so links between blocks are dropped too. */
  onInvalidate: () => void = () => {};

  constructor(ramSize: number) {
    this.pages = new Array(ramSize >>> 12);
  }

  hasCode(ramOffset: number): boolean {
    return this.pages[ramOffset >>> 12] !== undefined;
  }

  pageFor(ramOffset: number): CodePage {
    const idx = ramOffset >>> 12;
    let page = this.pages[idx];
    if (page === undefined) {
      page = new CodePage(idx << 12);
      this.pages[idx] = page;
      this.onNewCodePage(idx << 12);
    }
    return page;
  }

  invalidate(ramOffset: number): void {
    const idx = ramOffset >>> 12;
    const page = this.pages[idx];
    if (page !== undefined) {
      page.valid = false;
      this.pages[idx] = undefined;
      this.onInvalidate();
    }
  }

  invalidateAll(): void {
    for (let i = 0; i < this.pages.length; i++) {
      const page = this.pages[i];
      if (page !== undefined) {
        page.valid = false;
        this.pages[i] = undefined;
      }
    }
    this.onInvalidate();
  }
}
