// The GICv2 CPU interface's register file (GICC_*), over the shared GicState.

import type { MmioDevice } from '../memory/physical-memory';
import { GicState, SPURIOUS } from './gic-state';

/** GICC_IIDR as QEMU's GICv2 reports it. */
const CPU_IIDR = 0x0002043b;

export class GicCpuInterface implements MmioDevice {
  readonly name = 'gic-cpu-interface';

  constructor(
    private readonly s: GicState,
    private readonly changed: () => void,
  ) {}

  read(offset: number, size: number): number {
    if (size !== 4) return 0;
    const s = this.s;
    switch (offset) {
      case 0x00:
        return s.cpuControl;
      case 0x04:
        return s.priorityMask;
      case 0x08:
        return s.binaryPoint;
      case 0x0c: {
        const v = s.acknowledge();
        this.changed();
        return v;
      }
      case 0x14:
        return s.runningPriority === 0x100 ? 0xff : s.runningPriority;
      case 0x18: {
        const id = s.highestPending();
        return id === SPURIOUS ? SPURIOUS : id;
      }
      case 0xfc:
        return CPU_IIDR;
    }
    return 0;
  }

  write(offset: number, size: number, value: number): void {
    if (size !== 4) return;
    const s = this.s;
    switch (offset) {
      case 0x00:
        s.cpuControl = value & 0x3ff;
        break;
      case 0x04:
        s.priorityMask = value & 0xff;
        break;
      case 0x08:
        s.binaryPoint = value & 7;
        break;
      case 0x10:
        s.endOfInterrupt(value);
        break;
    }
    this.changed();
  }
}
