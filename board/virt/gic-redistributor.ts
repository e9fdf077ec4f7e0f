// The GICv3 redistributor of the one CPU at 0x080A_0000: the RD_base frame
// (control, identification, GICR_WAKER) and the SGI_base frame 64 KiB above
// it, whose registers at the GICv2 distributor offsets hold the SGIs and PPIs.

import type { MmioDevice } from '../memory/physical-memory';
import { GicDistributor } from './gic-distributor';
import type { GicState } from './gic-state';

export const REDISTRIBUTOR_SIZE = 0x2_0000;
const SGI_FRAME = 0x1_0000;
const IIDR = 0x0000043b;
/** GICR_TYPER low word as QEMU reports it: PLPIS, Last, CommonLPIAff = 1; Affinity (high word) 0. */
const TYPER_LO = 0x01000011;
const PIDR2 = 0x3b;
const WAKER_PROCESSOR_SLEEP = 1 << 1;
const WAKER_CHILDREN_ASLEEP = 1 << 2;

export class GicRedistributor implements MmioDevice {
  readonly name = 'gicv3-redistributor';
  private readonly local: GicDistributor;
  private waker = WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP;

  constructor(s: GicState, changed: () => void) {
    this.local = new GicDistributor(s, changed, { first: 0, end: 32, sgisWritable: true });
  }

  read(offset: number, size: number): number {
    if (offset >= SGI_FRAME) {
      const o = offset - SGI_FRAME;
      return o >= 0x080 && o < 0xd00 ? this.local.read(o, size) : 0;
    }
    switch (offset) {
      case 0x04:
        return IIDR;
      case 0x08:
        return TYPER_LO;
      case 0x14:
        return this.waker;
      case 0xffe8:
        return PIDR2;
    }
    return 0;
  }

  write(offset: number, size: number, value: number): void {
    if (offset >= SGI_FRAME) {
      const o = offset - SGI_FRAME;
      if (o >= 0x080 && o < 0xd00) this.local.write(o, size, value);
      return;
    }
    // Clearing ProcessorSleep wakes the redistributor at once.
    if (offset === 0x14) this.waker = (value & WAKER_PROCESSOR_SLEEP) !== 0 ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP : 0;
  }
}
