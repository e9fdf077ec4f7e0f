// The kernel's driver for a GICv2 (distributor and CPU interface), programmed
// through their MMIO registers as a bare-metal kernel would: one CPU, every
// interrupt in group 0 signalled as IRQ.

/** 32-bit device register access at physical addresses. */
export interface Mmio {
  read32(pa: number): number;
  write32(pa: number, value: number): void;
}

const GICD_CTLR = 0x000;
const GICD_ISENABLER = 0x100;
const GICD_ICENABLER = 0x180;
const GICD_IPRIORITYR = 0x400;
const GICC_CTLR = 0x00;
const GICC_PMR = 0x04;
const GICC_IAR = 0x0c;
const GICC_EOIR = 0x10;

/** IAR's interrupt id when nothing is pending. */
export const SPURIOUS_INTID = 1023;
/** Interrupts of a priority value below this one are signalled. */
const PRIORITY_MASK = 0xf0;

export class GicV2Driver {
  constructor(
    private readonly bus: Mmio,
    private readonly distBase: number,
    private readonly cpuBase: number,
  ) {}

  /** Enables forwarding in the distributor and signalling at the CPU interface. */
  init(): void {
    this.bus.write32(this.distBase + GICD_CTLR, 1);
    this.bus.write32(this.cpuBase + GICC_PMR, PRIORITY_MASK);
    this.bus.write32(this.cpuBase + GICC_CTLR, 1);
  }

  enable(intid: number, priority: number): void {
    const word = this.distBase + GICD_IPRIORITYR + (intid & ~3);
    const shift = 8 * (intid & 3);
    const old = this.bus.read32(word);
    this.bus.write32(word, ((old & ~(0xff << shift)) | ((priority & 0xff) << shift)) >>> 0);
    this.bus.write32(this.distBase + GICD_ISENABLER + 4 * (intid >>> 5), (1 << (intid & 31)) >>> 0);
  }

  disable(intid: number): void {
    this.bus.write32(this.distBase + GICD_ICENABLER + 4 * (intid >>> 5), (1 << (intid & 31)) >>> 0);
  }

  /** Reads GICC_IAR: the interrupt now active (its id in bits 9:0), or SPURIOUS_INTID. */
  acknowledge(): number {
    return this.bus.read32(this.cpuBase + GICC_IAR);
  }

  /** Writes GICC_EOIR with what acknowledge() returned. */
  end(iar: number): void {
    this.bus.write32(this.cpuBase + GICC_EOIR, iar);
  }
}
