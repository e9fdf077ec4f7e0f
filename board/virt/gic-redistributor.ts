// The GICv3 redistributors at 0x080A_0000, one 128 KiB pair of frames per CPU
// in CPU order: the RD_base frame (control, identification, GICR_WAKER) and
// the SGI_base frame 64 KiB above it, whose registers at the GICv2
// distributor offsets hold that CPU's SGIs and PPIs.

import type { MmioDevice } from '../memory/physical-memory';
import { GicDistributor } from './gic-distributor';
import type { GicState } from './gic-state';
import type { GicLpis } from './gic-lpis';

/** One CPU's pair of frames. */
export const REDISTRIBUTOR_SIZE = 0x2_0000;
/** The redistributor region QEMU's virt reserves (and its device tree gives): room for 123 CPUs. */
export const REDISTRIBUTOR_REGION_SIZE = 0xf6_0000;
const SGI_FRAME = 0x1_0000;
const IIDR = 0x0000043b;
/** GICR_TYPER low word as QEMU reports it: PLPIS and CommonLPIAff = 1; Last (bit 4) on the last CPU's. */
const TYPER_LO = 0x01000001;
const TYPER_LAST = 1 << 4;
const PIDR2 = 0x3b;
const WAKER_PROCESSOR_SLEEP = 1 << 1;
const WAKER_CHILDREN_ASLEEP = 1 << 2;

export class GicRedistributor implements MmioDevice {
  readonly name = 'gicv3-redistributor';
  private readonly local: GicDistributor[];
  private readonly waker: number[];

  constructor(
    private readonly s: GicState,
    private readonly changed: () => void,
    /** With an ITS: GICR_CTLR.EnableLPIs, GICR_PROPBASER and GICR_PENDBASER. */
    private readonly lpis?: GicLpis,
  ) {
    this.local = Array.from({ length: s.cpus }, (_, cpu) => new GicDistributor(s, changed, { first: 0, end: 32, sgisWritable: true, bank: () => cpu }));
    this.waker = new Array<number>(s.cpus).fill(WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP);
  }

  read(offset: number, size: number): number {
    const cpu = Math.floor(offset / REDISTRIBUTOR_SIZE);
    if (cpu >= this.s.cpus) return 0;
    offset -= cpu * REDISTRIBUTOR_SIZE;
    if (offset >= SGI_FRAME) {
      const o = offset - SGI_FRAME;
      return o >= 0x080 && o < 0xd00 ? this.local[cpu].read(o, size) : 0;
    }
    const lpis = this.lpis;
    if (lpis !== undefined) {
      if (offset === 0x00) return lpis.enabled[cpu] ? 1 : 0;
      if (offset >= 0x70 && offset < 0x78) return lpis.propbaser[2 * cpu + ((offset - 0x70) >>> 2)];
      if (offset >= 0x78 && offset < 0x80) return lpis.pendbaser[2 * cpu + ((offset - 0x78) >>> 2)];
    }
    switch (offset) {
      case 0x04:
        return IIDR;
      case 0x08:
        // Processor_Number in bits 23:8.
        return (TYPER_LO | (cpu << 8) | (cpu === this.s.cpus - 1 ? TYPER_LAST : 0)) >>> 0;
      case 0x0c:
        // Affinity: Aff0 = the CPU's index, as QEMU numbers them.
        return cpu;
      case 0x14:
        return this.waker[cpu];
      case 0xffe8:
        return PIDR2;
    }
    return 0;
  }

  write(offset: number, size: number, value: number): void {
    const cpu = Math.floor(offset / REDISTRIBUTOR_SIZE);
    if (cpu >= this.s.cpus) return;
    offset -= cpu * REDISTRIBUTOR_SIZE;
    if (offset >= SGI_FRAME) {
      const o = offset - SGI_FRAME;
      if (o >= 0x080 && o < 0xd00) this.local[cpu].write(o, size, value);
      return;
    }
    const lpis = this.lpis;
    if (lpis !== undefined) {
      if (offset === 0x00) {
        if (!lpis.enabled[cpu] && (value & 1) !== 0) lpis.loadPending(cpu);
        lpis.enabled[cpu] = (value & 1) !== 0;
        this.changed();
      } else if (offset >= 0x70 && offset < 0x78) lpis.propbaser[2 * cpu + ((offset - 0x70) >>> 2)] = value;
      else if (offset >= 0x78 && offset < 0x80) lpis.pendbaser[2 * cpu + ((offset - 0x78) >>> 2)] = value;
    }
    // Clearing ProcessorSleep wakes the redistributor at once.
    if (offset === 0x14) this.waker[cpu] = (value & WAKER_PROCESSOR_SLEEP) !== 0 ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP : 0;
  }
}
