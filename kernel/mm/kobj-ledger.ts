// Kernel objects charged to guest memory: a personality's per-process and
// per-thread state lives on the host's heap, but its bytes are counted against
// the guest's RAM. Each kind of object holds whole PMM frames (owner 'kobj')
// enough for the bytes charged to it; a charge that needs a frame the PMM
// does not have fails and changes nothing, so a guest can make the host hold
// at most a fixed multiple of -m in kernel objects.

import { PAGE_SIZE } from '../arch/arch';
import { OutOfFrames, type Pmm } from './pmm';

/** Whoever a charge is counted to as well (a process, for the OOM killer's badness). */
export interface KobjAccount {
  kobjBytes: number;
}

export interface KindFigures {
  readonly kind: string;
  readonly bytes: number;
  readonly frames: number;
  readonly peakBytes: number;
}

interface Kind {
  bytes: number;
  peakBytes: number;
  readonly frames: number[];
}

export class KobjLedger {
  private readonly kinds = new Map<string, Kind>();
  private framesHeld = 0;
  /** Guest memory other parts of the kernel count themselves (the writable layer's pages), for --stats. */
  private readonly outside = new Map<string, () => number>();
  /** Frames left free for user pages: a charge asked to keep off them fails there (Linux's watermarks; fork uses it). */
  reserveFrames = 0;

  constructor(private readonly pmm: Pmm) {}

  /** Charges bytes to kind (and account); throws OutOfFrames, having taken nothing, when the frames are not there. */
  charge(kind: string, bytes: number, account?: KobjAccount): void {
    if (!this.tryCharge(kind, bytes, account)) throw new OutOfFrames(this.framesFor(kind, bytes), 'kobj');
  }

  /** Charges bytes to kind; false (nothing taken) when the PMM cannot cover them (or only from the reserve, with keepReserve). */
  tryCharge(kind: string, bytes: number, account?: KobjAccount, keepReserve = false): boolean {
    if (bytes <= 0) return true;
    const k = this.kind(kind);
    if (!this.canCharge(kind, bytes, keepReserve)) return false;
    const need = this.framesFor(kind, bytes);
    for (let i = 0; i < need; i++) k.frames.push(this.pmm.alloc('kobj'));
    this.framesHeld += need;
    k.bytes += bytes;
    if (k.bytes > k.peakBytes) k.peakBytes = k.bytes;
    if (account) account.kobjBytes += bytes;
    return true;
  }

  /** Returns bytes of kind (and account); frames no longer needed go back to the PMM. */
  release(kind: string, bytes: number, account?: KobjAccount): void {
    if (bytes <= 0) return;
    const k = this.kinds.get(kind);
    if (!k || k.bytes < bytes) throw new Error(`kobj ledger: release of ${bytes} bytes of ${kind}, only ${k?.bytes ?? 0} charged`);
    k.bytes -= bytes;
    if (account) account.kobjBytes -= bytes;
    const keep = Math.ceil(k.bytes / PAGE_SIZE);
    while (k.frames.length > keep) {
      this.pmm.free(k.frames.pop()!, 'kobj');
      this.framesHeld--;
    }
  }

  /** Would tryCharge(kind, bytes, _, keepReserve) succeed now? */
  canCharge(kind: string, bytes: number, keepReserve = false): boolean {
    const need = this.framesFor(kind, bytes);
    return need <= 0 || this.pmm.freeFrames - need >= (keepReserve ? this.reserveFrames : 0);
  }

  /** Frames a charge of bytes to kind would take from the PMM now. */
  framesFor(kind: string, bytes: number): number {
    const k = this.kinds.get(kind);
    const before = k?.bytes ?? 0;
    return Math.ceil((before + bytes) / PAGE_SIZE) - (k?.frames.length ?? 0);
  }

  get frames(): number {
    return this.framesHeld;
  }

  bytesOf(kind: string): number {
    return this.kinds.get(kind)?.bytes ?? 0;
  }

  figures(): KindFigures[] {
    return [...this.kinds].map(([kind, k]) => ({ kind, bytes: k.bytes, frames: k.frames.length, peakBytes: k.peakBytes }));
  }

  /**
   * Names a figure of guest pages held elsewhere (for example the writable
   * layer's, charged by its own code): --stats prints it beside the kinds.
   */
  reportPages(label: string, pages: () => number): void {
    this.outside.set(label, pages);
  }

  outsideFigures(): { readonly label: string; readonly pages: number }[] {
    return [...this.outside].map(([label, pages]) => ({ label, pages: pages() }));
  }

  /** Throws unless every kind holds exactly the frames its bytes need and the PMM counts them all as 'kobj'. */
  audit(): void {
    let total = 0;
    for (const [kind, k] of this.kinds) {
      if (k.frames.length !== Math.ceil(k.bytes / PAGE_SIZE)) throw new Error(`kobj ledger audit: ${kind} holds ${k.frames.length} frames for ${k.bytes} bytes`);
      for (const pa of k.frames) if (this.pmm.ownerOf(pa) !== 'kobj') throw new Error(`kobj ledger audit: frame 0x${pa.toString(16)} of ${kind} is not owned 'kobj'`);
      total += k.frames.length;
    }
    const pmmCount = this.pmm.stats().kobj;
    if (total !== this.framesHeld || pmmCount !== total) throw new Error(`kobj ledger audit: ${total} frames in kinds, ${this.framesHeld} counted, ${pmmCount} owned 'kobj' in the PMM`);
  }

  private kind(kind: string): Kind {
    let k = this.kinds.get(kind);
    if (!k) this.kinds.set(kind, (k = { bytes: 0, peakBytes: 0, frames: [] }));
    return k;
  }
}
