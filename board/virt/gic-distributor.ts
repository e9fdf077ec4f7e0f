// The GICv2 distributor's register file (GICD_*), over the shared GicState.

import type { MmioDevice } from '../memory/physical-memory';
import type { GicState } from './gic-state';

/** GICD_IIDR as QEMU's GIC reports it (Arm as implementer). */
const DIST_IIDR = 0x0000043b;
/** Peripheral/component ids at 0xFD0..0xFFC (PIDR4..7, PIDR0..3, CIDR0..3): architecture version 2. */
const DIST_ID = [0x04, 0x00, 0x00, 0x00, 0x90, 0xb4, 0x2b, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

/**
 * Which INTIDs a register file reaches: all of them on GICv2; with GICv3's
 * affinity routing the distributor keeps the SPIs and each redistributor the
 * SGIs and PPIs, whose enable and pending bits software may then set.
 */
export interface DistributorView {
  readonly first: number;
  readonly end: number;
  readonly sgisWritable: boolean;
  /** The CPU whose SGIs and PPIs (INTIDs 0..31) the registers reach: the accessing one on GICv2, the redistributor's own on GICv3. */
  readonly bank: () => number;
}

const GICV2_VIEW: DistributorView = { first: 0, end: Infinity, sgisWritable: false, bank: () => 0 };

export class GicDistributor implements MmioDevice {
  readonly name = 'gic-distributor';

  constructor(
    private readonly s: GicState,
    private readonly changed: () => void,
    private readonly view: DistributorView = GICV2_VIEW,
  ) {}

  /** The slot in the state's arrays of INTID `id` as this register file sees it. */
  private k(id: number): number {
    return this.s.slot(id, this.view.bank());
  }

  private reaches(id: number): boolean {
    return id >= this.view.first && id < this.view.end && id < this.s.count;
  }

  private softwareMaySet(id: number): boolean {
    return id >= 16 || this.view.sgisWritable;
  }

  read(offset: number, size: number): number {
    if (offset >= 0x400 && offset < 0xc00) return this.readBytes(offset, size);
    if (size !== 4) return 0;
    const s = this.s;
    if (offset === 0x000) return s.distributorControl;
    if (offset === 0x004) return ((((s.count / 32) - 1) & 0x1f) | ((s.cpus - 1) << 5)) >>> 0;
    if (offset === 0x008) return DIST_IIDR;
    if (offset >= 0x080 && offset < 0x100) return this.bitsOf(offset - 0x080, s.group);
    if (offset >= 0x100 && offset < 0x200) return this.bitsOf((offset - 0x100) & 0x7f, s.enabled);
    if (offset >= 0x200 && offset < 0x300) return this.pendingBits((offset - 0x200) & 0x7f);
    if (offset >= 0x300 && offset < 0x400) return this.bitsOf((offset - 0x300) & 0x7f, s.active);
    if (offset >= 0xc00 && offset < 0xd00) return this.config(offset - 0xc00);
    if (offset >= 0xf10 && offset < 0xf30) return this.sgiPendingBytes(offset & 0xf);
    if (offset >= 0xfd0 && offset < 0x1000) return DIST_ID[(offset - 0xfd0) >> 2];
    return 0;
  }

  write(offset: number, size: number, value: number): void {
    if (offset >= 0x400 && offset < 0xc00) this.writeBytes(offset, size, value);
    else if (size === 4) this.writeWord(offset, value >>> 0);
    this.changed();
  }

  private writeWord(offset: number, value: number): void {
    const s = this.s;
    if (offset === 0x000) s.distributorControl = value & 3;
    else if (offset >= 0x080 && offset < 0x100) this.setBits(offset - 0x080, value, (id, on) => (s.group[this.k(id)] = on ? 1 : 0));
    else if (offset >= 0x100 && offset < 0x180) this.setBits(offset - 0x100, value, (id, on) => on && this.softwareMaySet(id) && s.setEnabled(this.k(id), true));
    else if (offset >= 0x180 && offset < 0x200) this.setBits(offset - 0x180, value, (id, on) => on && this.softwareMaySet(id) && s.setEnabled(this.k(id), false));
    else if (offset >= 0x200 && offset < 0x280) this.setBits(offset - 0x200, value, (id, on) => on && this.softwareMaySet(id) && this.setPending(id));
    else if (offset >= 0x280 && offset < 0x300) this.setBits(offset - 0x280, value, (id, on) => on && this.softwareMaySet(id) && this.clearPending(id));
    else if (offset >= 0x300 && offset < 0x380) this.setBits(offset - 0x300, value, (id, on) => on && (s.active[this.k(id)] = 1));
    else if (offset >= 0x380 && offset < 0x400) this.setBits(offset - 0x380, value, (id, on) => on && (s.active[this.k(id)] = 0));
    else if (offset >= 0xc00 && offset < 0xd00) this.setConfig(offset - 0xc00, value);
    else if (offset === 0xf00) this.softwareInterrupt(value);
    else if (offset >= 0xf10 && offset < 0xf30) this.writeSgiPending(offset, value);
  }

  /** An SGI pended through the register file on GICv3 counts as sent by this CPU. */
  private setPending(id: number): void {
    const cpu = this.view.bank();
    if (id < 16) this.s.sendSgi(id, cpu, cpu);
    else this.s.latched[this.s.slot(id, cpu)] = 1;
  }

  private clearPending(id: number): void {
    const cpu = this.view.bank();
    if (id < 16) this.s.clearSgi(id, cpu);
    else this.s.latched[this.s.slot(id, cpu)] = 0;
  }

  private bitsOf(byteOffset: number, arr: ArrayLike<number>): number {
    let v = 0;
    const first = byteOffset * 8;
    for (let k = 0; k < 32; k++) if (this.reaches(first + k) && arr[this.k(first + k)] !== 0) v |= 1 << k;
    return v >>> 0;
  }

  private pendingBits(byteOffset: number): number {
    let v = 0;
    const first = byteOffset * 8;
    const cpu = this.view.bank();
    for (let k = 0; k < 32; k++) if (this.reaches(first + k) && this.s.isPending(first + k, cpu)) v |= 1 << k;
    return v >>> 0;
  }

  private setBits(byteOffset: number, value: number, apply: (id: number, on: boolean) => unknown): void {
    const first = byteOffset * 8;
    for (let k = 0; k < 32; k++) if (this.reaches(first + k)) apply(first + k, ((value >>> k) & 1) !== 0);
  }

  /** IPRIORITYR and ITARGETSR are byte-accessible. */
  private readBytes(offset: number, size: number): number {
    let v = 0;
    for (let k = 0; k < size; k++) v |= this.readByte(offset + k) << (8 * k);
    return v >>> 0;
  }

  private readByte(offset: number): number {
    const s = this.s;
    if (offset < 0x800) {
      const id = offset - 0x400;
      return this.reaches(id) ? s.priority[this.k(id)] : 0;
    }
    // One CPU: ITARGETSR is RAZ/WI, as the GICv2 spec allows for a uniprocessor.
    const id = offset - 0x800;
    if (s.cpus === 1 || !this.reaches(id)) return 0;
    // SGIs and PPIs read as the accessing CPU's own bit.
    return id < 32 ? 1 << this.view.bank() : s.spiTargets[id];
  }

  private writeBytes(offset: number, size: number, value: number): void {
    const s = this.s;
    for (let k = 0; k < size; k++) {
      const byte = (value >>> (8 * k)) & 0xff;
      if (offset < 0x800) {
        const id = offset - 0x400 + k;
        if (this.reaches(id)) s.priority[this.k(id)] = byte;
      } else {
        // As QEMU's GICv2: all eight target bits are kept, even those of CPUs that do not exist.
        const id = offset - 0x800 + k;
        if (s.cpus > 1 && id >= 32 && this.reaches(id)) s.spiTargets[id] = byte;
      }
    }
  }

  private config(byteOffset: number): number {
    let v = 0;
    const first = byteOffset * 4;
    for (let k = 0; k < 16; k++) if (this.reaches(first + k) && this.s.edge[this.k(first + k)] !== 0) v |= 2 << (2 * k);
    return v >>> 0;
  }

  private setConfig(byteOffset: number, value: number): void {
    const first = byteOffset * 4;
    // SGI configuration is fixed (edge); PPIs and SPIs take what is written.
    for (let k = 0; k < 16; k++) if (first + k >= 16 && this.reaches(first + k)) this.s.edge[this.k(first + k)] = (value >>> (2 * k + 1)) & 1;
  }

  /** GICD_SGIR: TargetListFilter 0 = listed CPUs, 1 = all but self, 2 = self. */
  private softwareInterrupt(value: number): void {
    const filter = (value >>> 24) & 3;
    const self = this.view.bank();
    const all = (1 << this.s.cpus) - 1;
    const targets = filter === 0 ? (value >>> 16) & all : filter === 1 ? all & ~(1 << self) : filter === 2 ? 1 << self : 0;
    for (let c = 0; c < this.s.cpus; c++) if ((targets >>> c) & 1) this.s.sendSgi(value & 0xf, self, c);
  }

  /** GICD_SPENDSGIR: the pending SGIs of the accessing CPU, a byte of source CPUs each. */
  private sgiPendingBytes(byteOffset: number): number {
    let v = 0;
    const base = this.view.bank() * 16 + (byteOffset & 0xc);
    for (let k = 0; k < 4; k++) v |= this.s.sgiSources[base + k] << (8 * k);
    return v >>> 0;
  }

  private writeSgiPending(offset: number, value: number): void {
    const set = offset < 0xf20;
    const cpu = this.view.bank();
    const s = this.s;
    for (let k = 0; k < 4; k++) {
      const id = (offset & 0xc) + k;
      const j = cpu * 16 + id;
      const bits = (value >>> (8 * k)) & 0xff;
      s.sgiSources[j] = set ? s.sgiSources[j] | bits : s.sgiSources[j] & ~bits;
      s.latched[s.slot(id, cpu)] = s.sgiSources[j] !== 0 ? 1 : 0;
    }
  }
}
