// LPIs of the GICv3 (INTIDs from 8192): each redistributor's GICR_CTLR.EnableLPIs,
// GICR_PROPBASER and GICR_PENDBASER, the pending LPIs of each CPU and the
// configuration bytes (priority, enable) read from the property table in guest
// memory. Like a GIC with a configuration cache, a change to the property table
// takes effect when the ITS is told (INV, INVALL) or when an LPI is first used.
// Pending LPIs are kept here and mirrored, bit for bit, into the pending table
// GICR_PENDBASER names, as QEMU keeps them there; when a CPU's LPIs are
// enabled, the bits its table already holds become pending (QEMU's scan at
// EnableLPIs, PTZ aside).

import type { PhysicalMemory } from '../memory/physical-memory';
import { SPURIOUS } from './gic-state';

export const FIRST_LPI = 8192;
/** GICD_TYPER.IDbits = 15: INTIDs below 2^16. */
const LPI_LIMIT = 1 << 16;
const PROP_ENABLED = 1;
const TWO32 = 4294967296;

export class GicLpis {
  readonly enabled: boolean[];
  readonly propbaser: Uint32Array;
  readonly pendbaser: Uint32Array;
  private readonly pending: Set<number>[];
  /** Configuration byte of each LPI used so far, as last read from the property table. */
  private readonly config = new Map<number, number>();
  phys: PhysicalMemory | undefined;

  constructor(readonly cpus: number) {
    this.enabled = new Array<boolean>(cpus).fill(false);
    this.propbaser = new Uint32Array(2 * cpus);
    this.pendbaser = new Uint32Array(2 * cpus);
    this.pending = Array.from({ length: cpus }, () => new Set<number>());
  }

  /** The LPI of highest priority (lowest id on ties) pending and enabled for `cpu`, or SPURIOUS. */
  best(cpu: number): number {
    if (!this.enabled[cpu]) return SPURIOUS;
    let best = SPURIOUS;
    let bestPrio = 0x100;
    for (const id of this.pending[cpu]) {
      const c = this.configOf(id, cpu);
      if ((c & PROP_ENABLED) === 0) continue;
      const prio = c & 0xfc;
      if (prio < bestPrio || (prio === bestPrio && id < best)) {
        best = id;
        bestPrio = prio;
      }
    }
    return best;
  }

  priority(id: number, cpu: number): number {
    return this.configOf(id, cpu) & 0xfc;
  }

  setPending(id: number, cpu: number, on: boolean): void {
    if (on) this.pending[cpu].add(id);
    else this.pending[cpu].delete(id);
    this.writePendingBit(id, cpu, on);
  }

  /** EnableLPIs went from 0 to 1: the LPIs the CPU's pending table marks are pending. */
  loadPending(cpu: number): void {
    const at = this.pendingTable(cpu);
    if (at < 0) return;
    const bytes = this.phys!.bytes;
    for (let b = FIRST_LPI / 8; b < LPI_LIMIT / 8 && at + b < this.phys!.ramSize; b++) {
      const v = bytes[at + b];
      if (v === 0) continue;
      for (let k = 0; k < 8; k++) if (v & (1 << k)) this.pending[cpu].add(8 * b + k);
    }
  }

  /** Offset in RAM of the CPU's pending table, or -1. */
  private pendingTable(cpu: number): number {
    if (this.phys === undefined) return -1;
    const lo = this.pendbaser[2 * cpu];
    const hi = this.pendbaser[2 * cpu + 1];
    return this.phys.ramOffset((hi & 0xfffff) * TWO32 + ((lo & 0xffff0000) >>> 0));
  }

  private writePendingBit(id: number, cpu: number, on: boolean): void {
    const at = this.pendingTable(cpu);
    if (at < 0 || id >= LPI_LIMIT || at + (id >>> 3) >= this.phys!.ramSize) return;
    const bytes = this.phys!.bytes;
    const i = at + (id >>> 3);
    bytes[i] = on ? bytes[i] | (1 << (id & 7)) : bytes[i] & ~(1 << (id & 7));
  }

  isPending(id: number, cpu: number): boolean {
    return this.pending[cpu].has(id);
  }

  /** MOVALL: every pending LPI of `from` becomes pending on `to`. */
  movePending(from: number, to: number): void {
    for (const id of [...this.pending[from]]) {
      this.setPending(id, from, false);
      this.setPending(id, to, true);
    }
  }

  /** INV: read an LPI's configuration anew. */
  invalidate(id: number, cpu: number): void {
    this.config.set(id, this.readConfig(id, cpu));
  }

  /** INVALL: read every known LPI's configuration anew. */
  invalidateAll(cpu: number): void {
    for (const id of this.config.keys()) this.config.set(id, this.readConfig(id, cpu));
  }

  private configOf(id: number, cpu: number): number {
    let c = this.config.get(id);
    if (c === undefined) {
      c = this.readConfig(id, cpu);
      this.config.set(id, c);
    }
    return c;
  }

  /** The byte for `id` in the property table GICR_PROPBASER of `cpu` names (IDbits bounds it); 0 when outside RAM. */
  private readConfig(id: number, cpu: number): number {
    const lo = this.propbaser[2 * cpu];
    const hi = this.propbaser[2 * cpu + 1];
    const idBits = (lo & 0x1f) + 1;
    if (id >= 2 ** idBits || this.phys === undefined) return 0;
    const base = (hi & 0xfffff) * TWO32 + (lo >>> 12) * 4096;
    const at = this.phys.ramOffset(base + id - FIRST_LPI);
    return at < 0 ? 0 : this.phys.bytes[at];
  }
}
