// The x86 CPU's decoded blocks, in the shared per-page code cache
// (board/memory/code-cache.ts): a block may start at any byte of a page.

import { CodeCache, type CodePage } from '../memory/code-cache';
import type { X86Insn, X86Op } from './decoder';

export type X86BlockFunction = (limit: number) => void;

export class X86Block {
  /**
   * Up to two successors (taken and fall-through) found by earlier runs, valid
   * while the translation epoch they were linked in lasts: following a link
   * skips the TLB and code-page lookups.
   */
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

export type X86CodePage = CodePage<X86Block>;

export class X86CodeCache extends CodeCache<X86Block> {
  constructor(ramSize: number) {
    super(ramSize, 4096);
  }
}
