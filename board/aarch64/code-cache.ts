// Decoded instructions, kept per physical 4 KiB page of RAM. A page's blocks
// are dropped when the page is written (by a CPU store, DMA or the hosted kernel).

import type { Op } from './decoder';

export interface Block {
  readonly ops: Op[];
  /** Page offset of the first instruction, and of the instruction after the last. */
  readonly startOff: number;
  readonly endOff: number;
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
  }
}
