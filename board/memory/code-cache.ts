// Decoded instructions, kept per physical 4 KiB page of RAM, for either CPU.
// A page's blocks are dropped when the page is written (by a CPU store, DMA
// or the hosted kernel). Each CPU brings its own block type and the number of
// block slots a page holds (one per possible instruction start).

export class CodePage<B> {
  valid = true;
  readonly blocks: (B | undefined)[];
  constructor(
    /** Offset of the page in RAM (physical address - RAM base). */
    readonly ramOffset: number,
    slots: number,
  ) {
    this.blocks = new Array(slots);
  }
}

export class CodeCache<B> {
  private readonly pages: (CodePage<B> | undefined)[];
  /** Called with a page's RAM offset when it first holds decoded code, so write TLB entries to it can be dropped. */
  onNewCodePage: (ramOffset: number) => void = () => {};
  /** Called when decoded code is dropped, so links between blocks are dropped too. */
  onInvalidate: () => void = () => {};

  constructor(
    ramSize: number,
    /** Block slots per page: 1024 for 4-byte A64 instructions, 4096 for x86's byte-aligned ones. */
    private readonly slotsPerPage: number,
  ) {
    this.pages = new Array(ramSize >>> 12);
  }

  hasCode(ramOffset: number): boolean {
    return this.pages[ramOffset >>> 12] !== undefined;
  }

  pageFor(ramOffset: number): CodePage<B> {
    const idx = ramOffset >>> 12;
    let page = this.pages[idx];
    if (page === undefined) {
      page = new CodePage<B>(idx * 4096, this.slotsPerPage);
      this.pages[idx] = page;
      this.onNewCodePage(idx * 4096);
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
