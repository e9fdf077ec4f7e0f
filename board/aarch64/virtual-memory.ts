// The CPU's view of memory: virtual addresses through a software TLB, the
// stage-1 walker on a miss, then RAM or MMIO. Virtual addresses are the signed
// value of the 64-bit address as a JS number (exact for canonical addresses).
//
// The TLB is direct-mapped with separate read/write/fetch tags, one set per
// exception level. A tag is pageBase * 16 + ASID + 2^52 (pageBase is 4 KiB
// aligned, so the ASID fills the low 16 bits): a hit is one mask and one
// compare. The 2^52 puts the tag of every page below 2^48 in the binade of
// doubles whose bits are 0x4330... plus the integer, so compiled code compares
// the tag's bits as an i64 with an integer it computes (jit-memory.ts).

import { BusError, PhysicalMemory } from '../memory/physical-memory';
import { CodeCache, CodePage } from './code-cache';
import { dataAbort, Fsc, GuestFault, instructionAbort } from './exception-syndrome';
import { Access, Perm, Stage1Regs, WalkResult } from './mmu/types';
import { currentAsid, walk } from './mmu/walk';
import { SLOT_DATA_ASID, SLOT_EPOCH, SLOT_TLB0, SLOT_TLB_BASE, TLB_BYTES, TLB_R_ADD, TLB_R_TAG, TLB_W_ADD, TLB_W_TAG } from './jit/cpu-slot';

const TLB_BITS = 12;
const TLB_SIZE = 1 << TLB_BITS;
export const TLB_MASK = TLB_SIZE - 1;
const TWO32 = 4294967296;
const PA_LIMIT = 2 ** 48;
/** Added to every data tag (see the header). */
export const TAG_BIAS = 2 ** 52;
/** The high word of TAG_BIAS's bits as a double (0x4330_0000_0000_0000). */
const TAG_BIAS_HI = 0x43300000;
/** wEntryOf: no write entry recorded for the page, or entries at several places (look at every entry). */
const NO_ENTRY = -1;
const MANY_ENTRIES = -2;

class Tlb {
  readonly rTag: Float64Array;
  readonly wTag: Float64Array;
  readonly xTag = new Float64Array(TLB_SIZE).fill(NaN);
  /**
   * Two words an entry: [2i] the RAM offset of the page (the addend that turns a page offset into a byte
   * index), [2i + 1] that offset less the page's address modulo 2^32 (compiled code adds the address's
   * low word to it: one integer add, jit-memory.ts).
   */
  readonly rAdd: Uint32Array;
  readonly wAdd: Uint32Array;
  readonly xPage: (CodePage | undefined)[] = new Array(TLB_SIZE);

  /** The data arrays live at `offset` in `buffer` (a CPU slot, where compiled code reads them) or in buffers of their own. */
  constructor(buffer?: ArrayBufferLike, offset = 0) {
    const at = (k: number): Float64Array => (buffer === undefined ? new Float64Array(TLB_SIZE) : new Float64Array(buffer, offset + k, TLB_SIZE));
    const words = (k: number): Uint32Array => (buffer === undefined ? new Uint32Array(2 * TLB_SIZE) : new Uint32Array(buffer, offset + k, 2 * TLB_SIZE));
    this.rTag = at(TLB_R_TAG).fill(NaN);
    this.rAdd = words(TLB_R_ADD);
    this.wTag = at(TLB_W_TAG).fill(NaN);
    this.wAdd = words(TLB_W_ADD);
  }

  flushAll(): void {
    this.rTag.fill(NaN);
    this.wTag.fill(NaN);
    this.xTag.fill(NaN);
    this.xPage.fill(undefined);
  }

  flushIndex(i: number): void {
    this.rTag[i] = NaN;
    this.wTag[i] = NaN;
    this.xTag[i] = NaN;
    this.xPage[i] = undefined;
  }

  flushAsid(asid: number): void {
    for (const tags of [this.rTag, this.wTag, this.xTag]) {
      for (let i = 0; i < TLB_SIZE; i++) {
        // A tag's low 16 bits (pageVa * 16 is a multiple of 65536): exact, and several times faster than a float %; NaN never matches.
        const t = tags[i];
        if (t - Math.floor(t / 65536) * 65536 === asid) tags[i] = NaN;
      }
    }
  }
}

export class VirtualMemory {
  // Current exception level's TLB arrays, hoisted for the fast paths.
  rTag: Float64Array;
  rAdd: Uint32Array;
  wTag: Float64Array;
  wAdd: Uint32Array;
  xTag: Float64Array;
  xPage: (CodePage | undefined)[];
  /** ASID the tags of this regime carry. */
  asid = 0;
  /** TAG_BIAS + the ASID data lookups compare with; NaN (never hits) forces every data access through the checking slow path. */
  dataTag = TAG_BIAS;
  el = 0;
  alignmentCheck = false;
  /** Bumped whenever a virtual address may translate differently or decoded code went away: block links die with it. */
  epoch = 0;
  /** Set while a watchpoint is armed (self-hosted-debug.ts): checks each data access, throwing the watchpoint exception. */
  watch: ((addr: number, size: number, write: boolean) => void) | undefined = undefined;
  /** The host debugger's watchpoints (host-debug.ts): their pages never enter the data TLB; the slow path checks each access. */
  hostWatch: { readonly watchedPages: ReadonlySet<number>; checkAccess(addr: number, size: number, write: boolean): void } | undefined = undefined;

  readonly regs: Stage1Regs = { sctlrLo: 0, tcrLo: 0, tcrHi: 0, ttbr0Lo: 0, ttbr0Hi: 0, ttbr1Lo: 0, ttbr1Hi: 0, mairLo: 0, mairHi: 0 };
  private readonly tlbs: [Tlb, Tlb];
  /** The CPU slot's words compiled code reads (dataAsid, the current TLB), or undefined without a slot. */
  private readonly slotWords: { i32: Int32Array; f64: Float64Array; base: number } | undefined;
  readonly view: DataView;
  readonly bytes: Uint8Array;
  private readonly ramBase: number;
  private readonly ramSize: number;
  /**
   * For each RAM page, where its write translation was last cached (el * TLB_SIZE + index), or
   * MANY_ENTRIES: a page that becomes code drops its write entries without scanning both TLBs (an exec makes hundreds of code pages).
   */
  private readonly wEntryOf: Int32Array;

  constructor(
    readonly phys: PhysicalMemory,
    readonly code: CodeCache,
    /** Offset of the CPU's slot in phys.memory (cpu-slot.ts), or -1 for TLBs of their own. */
    slot = -1,
  ) {
    const buf = slot >= 0 ? phys.memory.buffer : undefined;
    this.tlbs = [new Tlb(buf, slot + SLOT_TLB0), new Tlb(buf, slot + SLOT_TLB0 + TLB_BYTES)];
    this.slotWords = slot >= 0 ? { i32: new Int32Array(phys.memory.buffer, slot, 16384), f64: new Float64Array(phys.memory.buffer, slot, 8192), base: slot } : undefined;
    this.view = phys.view;
    this.bytes = phys.bytes;
    this.ramBase = phys.ramBase;
    this.ramSize = phys.ramSize;
    this.wEntryOf = new Int32Array(phys.ramSize >>> 12).fill(NO_ENTRY);
    const t = this.tlbs[0];
    this.rTag = t.rTag;
    this.rAdd = t.rAdd;
    this.wTag = t.wTag;
    this.wAdd = t.wAdd;
    this.xTag = t.xTag;
    this.xPage = t.xPage;
    code.onNewCodePage = (ramOffset) => this.dropWriteEntries(ramOffset);
    code.onInvalidate = () => this.bumpEpoch();
    this.mirror();
  }

  /** Retires block links and the block compiler's jump cache. */
  bumpEpoch(): void {
    this.epoch++;
    if (this.slotWords !== undefined) this.slotWords.i32[SLOT_EPOCH / 4] = this.epoch;
  }

  /** Keeps the slot's copy of what compiled code's TLB lookups need. */
  private mirror(): void {
    const w = this.slotWords;
    if (w === undefined) return;
    // The i64 compiled code adds to a page's address * 16 to get the bits of its tag (0: never a tag).
    const checking = this.dataTag !== this.dataTag;
    w.i32[SLOT_DATA_ASID / 4] = checking ? 0 : this.asid;
    w.i32[SLOT_DATA_ASID / 4 + 1] = checking ? 0 : TAG_BIAS_HI;
    w.i32[SLOT_TLB_BASE / 4] = w.base + SLOT_TLB0 + (this.el === 0 ? 0 : TLB_BYTES);
  }

  get mmuEnabled(): boolean {
    return (this.regs.sctlrLo & 1) !== 0;
  }

  setEl(el: number): void {
    this.el = el;
    this.bumpEpoch();
    const t = this.tlbs[el];
    this.rTag = t.rTag;
    this.rAdd = t.rAdd;
    this.wTag = t.wTag;
    this.wAdd = t.wAdd;
    this.xTag = t.xTag;
    this.xPage = t.xPage;
    this.mirror();
  }

  /** Call after writing SCTLR, TCR or a TTBR: recomputes the ASID and the checking mode. */
  regsChanged(flush: boolean): void {
    this.asid = this.mmuEnabled ? currentAsid(this.regs) : 0;
    this.alignmentCheck = (this.regs.sctlrLo & 2) !== 0;
    this.dataTag = this.alignmentCheck ? NaN : TAG_BIAS + this.asid;
    this.mirror();
    this.bumpEpoch();
    if (flush) this.flushAll();
  }

  flushAll(): void {
    this.bumpEpoch();
    this.tlbs[0].flushAll();
    this.tlbs[1].flushAll();
  }

  flushAsid(asid: number): void {
    this.bumpEpoch();
    this.tlbs[0].flushAsid(asid);
    this.tlbs[1].flushAsid(asid);
  }

  /** Invalidate every entry that could hold the page of va, whatever its ASID. */
  flushVa(va: number): void {
    const i = (va >>> 12) & TLB_MASK;
    this.bumpEpoch();
    this.tlbs[0].flushIndex(i);
    this.tlbs[1].flushIndex(i);
  }

  // ---- loads: 8/16-bit return unsigned values, 32-bit a signed int32 ----

  read8(addr: number): number {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.rTag[i] === (addr - off) * 16 + this.dataTag) return this.bytes[this.rAdd[i << 1] + off];
    return this.readSlow(addr, 1, this.el);
  }

  read16(addr: number): number {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.rTag[i] === (addr - off) * 16 + this.dataTag && off <= 4094) return this.view.getUint16(this.rAdd[i << 1] + off, true);
    return this.readSlow(addr, 2, this.el);
  }

  read32(addr: number): number {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.rTag[i] === (addr - off) * 16 + this.dataTag && off <= 4092) return this.view.getInt32(this.rAdd[i << 1] + off, true);
    return this.readSlow(addr, 4, this.el) | 0;
  }

  /** Loads 8 bytes into dst[di] (low half) and dst[di + 1] (high half). */
  read64(addr: number, dst: Int32Array, di: number): void {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.rTag[i] === (addr - off) * 16 + this.dataTag && off <= 4088) {
      const p = this.rAdd[i << 1] + off;
      dst[di] = this.view.getInt32(p, true);
      dst[di + 1] = this.view.getInt32(p + 4, true);
      return;
    }
    this.readWideSlow(addr, 8, dst, di, this.el);
  }

  /** Loads 16 bytes into dst[di..di+3]. */
  read128(addr: number, dst: Int32Array, di: number): void {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.rTag[i] === (addr - off) * 16 + this.dataTag && off <= 4080) {
      const p = this.rAdd[i << 1] + off;
      const v = this.view;
      dst[di] = v.getInt32(p, true);
      dst[di + 1] = v.getInt32(p + 4, true);
      dst[di + 2] = v.getInt32(p + 8, true);
      dst[di + 3] = v.getInt32(p + 12, true);
      return;
    }
    this.readWideSlow(addr, 16, dst, di, this.el);
  }

  // ---- stores ----

  write8(addr: number, value: number): void {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.wTag[i] === (addr - off) * 16 + this.dataTag) {
      this.bytes[this.wAdd[i << 1] + off] = value;
      return;
    }
    this.writeSlow(addr, 1, value, this.el);
  }

  write16(addr: number, value: number): void {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.wTag[i] === (addr - off) * 16 + this.dataTag && off <= 4094) {
      this.view.setUint16(this.wAdd[i << 1] + off, value, true);
      return;
    }
    this.writeSlow(addr, 2, value, this.el);
  }

  write32(addr: number, value: number): void {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.wTag[i] === (addr - off) * 16 + this.dataTag && off <= 4092) {
      this.view.setInt32(this.wAdd[i << 1] + off, value, true);
      return;
    }
    this.writeSlow(addr, 4, value, this.el);
  }

  write64(addr: number, src: Int32Array, si: number): void {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.wTag[i] === (addr - off) * 16 + this.dataTag && off <= 4088) {
      const p = this.wAdd[i << 1] + off;
      this.view.setInt32(p, src[si], true);
      this.view.setInt32(p + 4, src[si + 1], true);
      return;
    }
    this.writeWideSlow(addr, 8, src, si, this.el);
  }

  write128(addr: number, src: Int32Array, si: number): void {
    const off = addr & 4095;
    const i = (addr >>> 12) & TLB_MASK;
    if (this.wTag[i] === (addr - off) * 16 + this.dataTag && off <= 4080) {
      const p = this.wAdd[i << 1] + off;
      const v = this.view;
      v.setInt32(p, src[si], true);
      v.setInt32(p + 4, src[si + 1], true);
      v.setInt32(p + 8, src[si + 2], true);
      v.setInt32(p + 12, src[si + 3], true);
      return;
    }
    this.writeWideSlow(addr, 16, src, si, this.el);
  }

  /** Faults unless addr is a multiple of size (exclusives, atomics, and SCTLR.A). */
  checkAligned(addr: number, size: number, write: boolean): void {
    if ((addr & (size - 1)) !== 0) throw dataAbort(this.el === 0, Fsc.Alignment, write, addr);
  }

  // ---- slow paths: translation, page crossings, MMIO, faults ----

  /** Reads 1, 2 or 4 bytes at `el`'s privilege (LDTR* pass 0). */
  readSlow(addr: number, size: number, el: number): number {
    if (this.alignmentCheck) this.checkAligned(addr, size, false);
    if (this.watch !== undefined) this.watch(addr, size, false);
    if (this.hostWatch !== undefined) this.hostWatch.checkAccess(addr, size, false);
    if ((addr & 4095) + size > 4096) {
      let v = 0;
      for (let k = size - 1; k >= 0; k--) v = (v << 8) | this.readSlow(addr + k, 1, el);
      return size === 4 ? v | 0 : v;
    }
    const pa = this.translate(addr, Access.Read, el);
    const ro = pa - this.ramBase;
    if (ro >= 0 && ro < this.ramSize) {
      if (size === 1) return this.bytes[ro];
      if (size === 2) return this.view.getUint16(ro, true);
      return this.view.getInt32(ro, true);
    }
    const region = this.phys.findDevice(pa);
    if (region === undefined) throw dataAbort(this.el === 0, Fsc.SyncExternal, false, addr);
    const v = region.device.read(pa - region.base, size);
    return size === 4 ? v | 0 : v;
  }

  writeSlow(addr: number, size: number, value: number, el: number): void {
    if (this.alignmentCheck) this.checkAligned(addr, size, true);
    if (this.watch !== undefined) this.watch(addr, size, true);
    if (this.hostWatch !== undefined) this.hostWatch.checkAccess(addr, size, true);
    if ((addr & 4095) + size > 4096) {
      this.translate(addr + size - 1, Access.Write, el); // fault before writing any byte
      for (let k = 0; k < size; k++) this.writeSlow(addr + k, 1, (value >>> (8 * k)) & 0xff, el);
      return;
    }
    const pa = this.translate(addr, Access.Write, el);
    const ro = pa - this.ramBase;
    if (ro >= 0 && ro < this.ramSize) {
      if (this.code.hasCode(ro)) this.code.invalidate(ro);
      if (size === 1) this.bytes[ro] = value;
      else if (size === 2) this.view.setUint16(ro, value, true);
      else this.view.setInt32(ro, value, true);
      return;
    }
    const region = this.phys.findDevice(pa);
    if (region === undefined) throw dataAbort(this.el === 0, Fsc.SyncExternal, true, addr);
    region.device.write(pa - region.base, size, size === 4 ? value >>> 0 : value);
  }

  readWideSlow(addr: number, size: 8 | 16, dst: Int32Array, di: number, el: number): void {
    if (this.alignmentCheck) this.checkAligned(addr, size, false);
    // Translate every page the access touches before changing any register.
    this.translate(addr, Access.Read, el);
    this.translate(addr + size - 1, Access.Read, el);
    // Bus errors (outside RAM and devices) surface only on the read itself: gather first, then write.
    const words = this.wideScratch;
    for (let w = 0; w < size / 4; w++) words[w] = this.readSlow(addr + 4 * w, 4, el);
    for (let w = 0; w < size / 4; w++) dst[di + w] = words[w];
  }

  private readonly wideScratch = new Int32Array(4);

  writeWideSlow(addr: number, size: 8 | 16, src: Int32Array, si: number, el: number): void {
    if (this.alignmentCheck) this.checkAligned(addr, size, true);
    this.translate(addr, Access.Write, el);
    this.translate(addr + size - 1, Access.Write, el);
    for (let w = 0; w < size / 4; w++) this.writeSlow(addr + 4 * w, 4, src[si + w], el);
  }

  /** The code page holding pc, translating for execution at the current EL. */
  fetchSlow(pc: number): CodePage {
    const pa = this.translate(pc, Access.Fetch, this.el);
    let ro = pa - this.ramBase;
    // Outside RAM: a flash bank in read-array mode holds code too.
    if (ro < 0 || ro >= this.ramSize) ro = this.phys.fetchOffset(pa);
    if (ro < 0) throw instructionAbort(this.el === 0, Fsc.SyncExternal, pc);
    const page = this.code.pageFor(ro - (ro & 4095));
    const i = (pc >>> 12) & TLB_MASK;
    this.xTag[i] = (pc - (pc & 4095)) * 16 + this.asid;
    this.xPage[i] = page;
    return page;
  }

  /**
   * Virtual to physical for one access at exception level `el`; fills that
   * level's TLB for RAM pages of Normal memory. Throws the architectural abort.
   */
  translate(addr: number, acc: Access, el: number): number {
    const off = addr & 4095;
    const pageVa = addr - off;
    if (!this.mmuEnabled) {
      if (!(addr >= 0 && addr < PA_LIMIT)) throw this.abort(acc, Fsc.AddressSize, addr);
      this.fill(el, pageVa, pageVa, Perm.El0Read | Perm.El0Write | Perm.El0Exec | Perm.El1Read | Perm.El1Write | Perm.El1Exec, false, acc);
      return addr;
    }
    const r: WalkResult = walk(this.phys, this.regs, addr >>> 0, Math.floor(addr / TWO32) >>> 0);
    if (!r.ok) {
      const fsc = r.externalAbort ? Fsc.SyncExternalOnWalk + r.level : fscOf(r.kind) + r.level;
      throw this.abort(acc, fsc, addr);
    }
    if ((r.perms & needed(acc, el)) === 0) throw this.abort(acc, Fsc.Permission + r.level, addr);
    this.fill(el, pageVa, r.pagePa, r.perms, r.device, acc);
    return r.pagePa + off;
  }

  private abort(acc: Access, fsc: number, addr: number): GuestFault {
    if (acc === Access.Fetch) return instructionAbort(this.el === 0, fsc, addr);
    return dataAbort(this.el === 0, fsc, acc === Access.Write, addr);
  }

  /**
   * Caches a translation. The kind that missed always gets the slot; the other
   * kinds only take it when it is empty or already theirs for this page, so
   * two pages that share a slot (a loop reading one array and writing another)
   * do not evict each other's entries on every access.
   */
  private fill(el: number, pageVa: number, pagePa: number, perms: number, device: boolean, acc: Access): void {
    // Armed watchpoints see every data access: no data translation is cached.
    if (acc !== Access.Fetch && (this.watch !== undefined || (this.hostWatch !== undefined && this.hostWatch.watchedPages.has(pageVa)))) return;
    const ro = pagePa - this.ramBase;
    if (device || ro < 0 || ro >= this.ramSize) return;
    const t = this.tlbs[el];
    const i = (pageVa >>> 12) & TLB_MASK;
    const tag = pageVa * 16 + (TAG_BIAS + this.asid);
    const r = el === 0 ? Perm.El0Read : Perm.El1Read;
    const w = el === 0 ? Perm.El0Write : Perm.El1Write;
    const rt = t.rTag[i];
    if (perms & r && (acc === Access.Read || rt !== rt || rt === tag)) {
      t.rTag[i] = tag;
      t.rAdd[i << 1] = ro;
      t.rAdd[(i << 1) + 1] = ro - (pageVa | 0);
    }
    const wt = t.wTag[i];
    if (perms & w && (acc === Access.Write || wt !== wt || wt === tag)) {
      if (this.code.hasCode(ro)) this.code.invalidate(ro);
      t.wTag[i] = tag;
      t.wAdd[i << 1] = ro;
      t.wAdd[(i << 1) + 1] = ro - (pageVa | 0);
      this.noteWriteEntry(ro, el * TLB_SIZE + i);
    }
  }

  /** Records that entry e caches a write translation to RAM page ro (see wEntryOf). */
  private noteWriteEntry(ro: number, e: number): void {
    const k = ro >>> 12;
    const prev = this.wEntryOf[k];
    if (prev === e || prev === MANY_ENTRIES) return;
    // An older entry that still maps the page means two: from then on every entry is looked at.
    this.wEntryOf[k] = prev >= 0 && this.isWriteEntryOf(prev, ro) ? MANY_ENTRIES : e;
  }

  private isWriteEntryOf(e: number, ro: number): boolean {
    const t = this.tlbs[e >>> TLB_BITS];
    const i = e & TLB_MASK;
    const tag = t.wTag[i];
    return tag === tag && t.wAdd[i << 1] === ro;
  }

  /** A page now holds decoded code: stores to it must take the slow path, which drops the code. */
  private dropWriteEntries(ramOffset: number): void {
    const k = ramOffset >>> 12;
    // Code outside RAM (flash) never had a write entry.
    if (k >= this.wEntryOf.length) return;
    const e = this.wEntryOf[k];
    this.wEntryOf[k] = NO_ENTRY;
    if (e === NO_ENTRY) return;
    if (e >= 0) {
      if (this.isWriteEntryOf(e, ramOffset)) this.tlbs[e >>> TLB_BITS].wTag[e & TLB_MASK] = NaN;
      return;
    }
    for (const t of this.tlbs) {
      for (let i = 0; i < TLB_SIZE; i++) if (t.wAdd[i << 1] === ramOffset) t.wTag[i] = NaN;
    }
  }
}

function needed(acc: Access, el: number): number {
  if (acc === Access.Read) return el === 0 ? Perm.El0Read : Perm.El1Read;
  if (acc === Access.Write) return el === 0 ? Perm.El0Write : Perm.El1Write;
  return el === 0 ? Perm.El0Exec : Perm.El1Exec;
}

function fscOf(kind: string): number {
  switch (kind) {
    case 'translation':
      return Fsc.Translation;
    case 'access-flag':
      return Fsc.AccessFlag;
    case 'permission':
      return Fsc.Permission;
    default:
      return Fsc.AddressSize;
  }
}

export { BusError };
