// The GICv2 CPU interface's register file (GICC_*), over the shared GicState:
// every CPU reaches its own interface at the same address.

import type { MmioDevice } from '../memory/physical-memory';
import { GicState, SPURIOUS } from './gic-state';

/** GICC_IIDR as QEMU's GICv2 reports it. */
const CPU_IIDR = 0x0002043b;

export class GicCpuInterface implements MmioDevice {
  readonly name = 'gic-cpu-interface';

  constructor(
    private readonly s: GicState,
    private readonly changed: () => void,
    /** The CPU making the access. */
    private readonly current: () => number = () => 0,
  ) {}

  read(offset: number, size: number): number {
    if (size !== 4) return 0;
    const s = this.s;
    const cpu = this.current();
    const bank = s.banks[cpu];
    switch (offset) {
      case 0x00:
        return bank.control;
      case 0x04:
        return bank.priorityMask;
      case 0x08:
        return bank.binaryPoint;
      case 0x0c: {
        const v = s.acknowledge(-1, cpu);
        this.changed();
        return v;
      }
      case 0x14:
        return bank.runningPriority === 0x100 ? 0xff : bank.runningPriority;
      case 0x18: {
        const id = s.highestPending(cpu);
        return id === SPURIOUS ? SPURIOUS : id;
      }
      case 0xfc:
        return CPU_IIDR;
    }
    return 0;
  }

  write(offset: number, size: number, value: number): void {
    if (size !== 4) return;
    const cpu = this.current();
    const bank = this.s.banks[cpu];
    switch (offset) {
      case 0x00:
        bank.control = value & 0x3ff;
        break;
      case 0x04:
        bank.priorityMask = value & 0xff;
        break;
      case 0x08:
        bank.binaryPoint = value & 7;
        break;
      case 0x10:
        this.s.endOfInterrupt(value, cpu);
        break;
    }
    this.changed();
  }
}
