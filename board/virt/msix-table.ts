// A function's MSI-X capability and its table and pending-bit array in a BAR
// of their own, as QEMU's msix_init_exclusive_bar lays them out: the table at
// offset 0, the PBA at 0x800, the rest of the 4 KiB BAR unassigned (all ones).
// A vector fires by writing its data word to its address on the bus (a GICv2m
// frame or the ITS's GITS_TRANSLATER); while the function or the vector is
// masked the vector's pending bit is set instead and the message waits.

import type { MmioDevice } from '../memory/physical-memory';
import { type PciFunction, UNASSIGNED } from './pci-function';

export const MSIX_BAR_SIZE = 0x1000;
const PBA_OFFSET = 0x800;
const ENTRY = 16;
const CTRL_ENABLE = 0x8000;
const CTRL_MASKALL = 0x4000;
const VECTOR_MASKED = 1;

/** Delivers a message: a 32-bit write of `data` at the 64-bit address (lo, hi). */
export type MsiWrite = (addrLo: number, addrHi: number, data: number) => void;

export class MsixTable implements MmioDevice {
  readonly name = 'msix';
  private readonly table: Uint32Array;
  private readonly pending: Uint8Array;
  private cap = 0;

  constructor(
    private readonly fn: PciFunction,
    readonly vectors: number,
    barIndex: number,
    private readonly send: MsiWrite,
  ) {
    this.table = new Uint32Array(4 * vectors);
    this.pending = new Uint8Array(vectors);
    this.reset();
    const cap = new Uint8Array(12);
    cap[0] = 0x11;
    cap[2] = (vectors - 1) & 0xff;
    cap[3] = (vectors - 1) >>> 8;
    cap[4] = barIndex;
    cap[8] = barIndex | (PBA_OFFSET & 0xff);
    cap[9] = PBA_OFFSET >>> 8;
    this.cap = fn.addCapability(cap);
    fn.writable(this.cap + 2, CTRL_ENABLE | CTRL_MASKALL, 2);
  }

  /** Every vector masked, nothing pending (the function's reset). */
  reset(): void {
    this.table.fill(0);
    for (let v = 0; v < this.vectors; v++) this.table[4 * v + 3] = VECTOR_MASKED;
    this.pending.fill(0);
  }

  private get control(): number {
    return this.fn.config[this.cap + 2] | (this.fn.config[this.cap + 3] << 8);
  }

  /** MSI-X Enable is set in the capability. */
  get enabled(): boolean {
    return (this.control & CTRL_ENABLE) !== 0;
  }

  /** Fires `vector` (or marks it pending while masked). */
  notify(vector: number): void {
    if (vector >= this.vectors || !this.enabled) return;
    if (this.masked(vector)) this.pending[vector] = 1;
    else this.fire(vector);
  }

  /** After the capability or a vector's control changed: deliver what an unmask released. */
  update(): void {
    for (let v = 0; v < this.vectors; v++) if (this.pending[v] && this.enabled && !this.masked(v)) this.fire(v);
  }

  private masked(v: number): boolean {
    return (this.control & CTRL_MASKALL) !== 0 || (this.table[4 * v + 3] & VECTOR_MASKED) !== 0;
  }

  private fire(v: number): void {
    this.pending[v] = 0;
    this.send(this.table[4 * v], this.table[4 * v + 1], this.table[4 * v + 2]);
  }

  read(offset: number, size: number): number {
    if (offset < this.vectors * ENTRY) return size === 4 ? this.table[offset >>> 2] : 0;
    if (offset >= PBA_OFFSET && offset < PBA_OFFSET + 8 * Math.ceil(this.vectors / 64)) {
      if (size !== 4) return 0;
      let v = 0;
      for (let b = 0; b < 32; b++) {
        const k = (offset - PBA_OFFSET) * 8 + b;
        if (k < this.vectors && this.pending[k]) v |= 1 << b;
      }
      return v >>> 0;
    }
    return UNASSIGNED.read(offset, size);
  }

  write(offset: number, size: number, value: number): void {
    if (offset >= this.vectors * ENTRY || size !== 4) return;
    const w = offset >>> 2;
    this.table[w] = value >>> 0;
    if ((w & 3) === 3) this.update();
  }
}
