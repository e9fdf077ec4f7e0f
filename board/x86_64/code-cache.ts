// Decoded x86 instructions, kept per physical 4 KiB page of RAM, as blocks
// starting at any byte offset. A page's blocks are dropped when the page is
// written (by a CPU store, DMA or the hosted kernel).

import type { X86Insn, X86Op } from './decoder';

export type X86BlockFunction = (limit: number) => void;

export class X86Block {
  linkEpoch = -1;
  link0Pc = NaN;
  link0: X86Block | undefined;
  link1Pc = NaN;
  link1: X86Block | undefined;
  runs = 0;
  fn: X86BlockFunction | undefined;
  faultIndex = 0;
  selfLoop = false;
  /** Set by the block function when a store made its own page's code stale: the index of that instruction. */
  smcIndex = -1;
  /** The code page the block was decoded from (undefined for a page-crossing instruction's block). */
  page: X86CodePage | undefined;

  constructor(
    readonly ops: X86Op[],
    /** The decoded instructions, one per op (page offsets, bytes, stack-reference flag). */
    readonly insns: X86Insn[],
    readonly startOff: number,
    /** Page offset after the last instruction (past 4096 for a page-crossing one). */
    readonly endOff: number,
  ) {}

  link(epoch: number, pc: number, next: X86Block): void {
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

export class X86CodePage {
  valid = true;
  readonly blocks: (X86Block | undefined)[] = new Array(4096);
  constructor(readonly ramOffset: number) {}
}

export class X86CodeCache {
  private readonly pages: (X86CodePage | undefined)[];
  onNewCodePage: (ramOffset: number) => void = () => {};
  onInvalidate: () => void = () => {};

  constructor(ramSize: number) {
    this.pages = new Array(ramSize >>> 12);
  }

  hasCode(ramOffset: number): boolean {
    return this.pages[ramOffset >>> 12] !== undefined;
  }

  pageFor(ramOffset: number): X86CodePage {
    const idx = ramOffset >>> 12;
    let page = this.pages[idx];
    if (page === undefined) {
      page = new X86CodePage(idx << 12);
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
      if (page !== undefined) page.valid = false;
      this.pages[i] = undefined;
    }
    this.onInvalidate();
  }
}
