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
    // Not ramSize >>> 12: 4 GiB of RAM (x86_64 at -m 4G) is 2^32, which >>> makes 0.
    this.pages = new Array(Math.floor(ramSize / 4096));
  }

  /** The code caches of the other CPUs sharing this RAM: a store by any CPU drops the code of all (see shareWith). */
  private peers: readonly CodeCache<B>[] = [];

  /** Makes these CPUs' caches coherent with each other: a page one of them decoded is write-checked by all. */
  static shareWith<B>(caches: readonly CodeCache<B>[]): void {
    for (const c of caches) c.peers = caches.filter((o) => o !== c);
  }

  hasCode(ramOffset: number): boolean {
    if (this.pages[ramOffset >>> 12] !== undefined) return true;
    for (const p of this.peers) if (p.pages[ramOffset >>> 12] !== undefined) return true;
    return false;
  }

  pageFor(ramOffset: number): CodePage<B> {
    const idx = ramOffset >>> 12;
    let page = this.pages[idx];
    if (page === undefined) {
      page = new CodePage<B>(idx * 4096, this.slotsPerPage);
      this.pages[idx] = page;
      this.onNewCodePage(idx * 4096);
      for (const p of this.peers) p.onNewCodePage(idx * 4096);
    }
    return page;
  }

  invalidate(ramOffset: number): void {
    this.invalidateOwn(ramOffset);
    for (const p of this.peers) p.invalidateOwn(ramOffset);
  }

  private invalidateOwn(ramOffset: number): void {
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
